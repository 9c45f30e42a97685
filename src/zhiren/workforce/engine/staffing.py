"""Staffing per interval: the one entry point the web app and the CLI call.

``staff_erlang_c``, ``staff_erlang_a`` and ``staff_chat`` take per-interval
arrays (volume, AHT) plus :class:`StaffingTargets` and return a
:class:`StaffingPlan`: traffic, the exact minimum agents on the phones
(``agents_required``), the agents to schedule once shrinkage is taken out
(``agents_with_shrinkage = ceil(agents_required / (1 - shrinkage))``), and the
service level, ASA, occupancy (and abandonment for Erlang A) that
``agents_required`` achieves.  Times are in seconds; rates are fractions in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .chat_concurrency import chat_metrics, chat_required_agents
from .erlang_a import SERVICE_LEVEL_BASES, erlang_a_metrics, erlang_a_required_agents
from .erlang_c import (
    agents_with_shrinkage,
    erlang_c_asa_s,
    erlang_c_required_agents,
    erlang_c_service_level,
    erlang_c_wait_probability,
    occupancy,
)
from .errors import EngineInputError

MODELS = ("erlang-c", "erlang-a", "chat")


@dataclass(frozen=True)
class StaffingTargets:
    """What "enough agents" means; every target given must hold (any combination).

    * ``service_level`` with ``answer_time_target_s``: e.g. 0.8 and 20 for "80% answered within 20 s".
    * ``asa_target_s``: mean wait (of answered contacts) at most this many seconds.
    * ``max_occupancy``: share of agent time busy (of chat slots for chat) at most this.
    * ``max_abandon_rate`` (Erlang A only): share of offered contacts that abandon.
    * ``service_level_basis`` (Erlang A only): ``"offered"`` -- answered within T
      over offered; ``"answered"`` -- answered within T over answered.
    """

    service_level: float | None = None
    answer_time_target_s: float | None = None
    asa_target_s: float | None = None
    max_occupancy: float | None = None
    max_abandon_rate: float | None = None
    service_level_basis: str = "offered"

    def require_some(self) -> None:
        if (
            self.service_level is None
            and self.asa_target_s is None
            and self.max_occupancy is None
            and self.max_abandon_rate is None
        ):
            raise EngineInputError(
                "give at least one target: service level (with answer time), ASA, max occupancy or max abandon rate"
            )
        if self.service_level_basis not in SERVICE_LEVEL_BASES:
            raise EngineInputError(f"service level basis must be one of {', '.join(SERVICE_LEVEL_BASES)}")


@dataclass(frozen=True)
class StaffingPlan:
    """Per-interval results (1-D arrays, one entry per interval)."""

    traffic_erlangs: np.ndarray
    agents_required: np.ndarray
    agents_with_shrinkage: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    occupancy: np.ndarray
    wait_probability: np.ndarray
    abandon_rate: np.ndarray | None = None


def traffic_erlangs(volume: npt.ArrayLike, aht_s: npt.ArrayLike, interval_s: float) -> np.ndarray:
    """Offered load in Erlangs: ``volume * aht_s / interval_s``."""
    if not interval_s > 0:
        raise EngineInputError("interval length must be > 0 seconds")
    traffic: np.ndarray = np.asarray(volume, dtype=float) * np.asarray(aht_s, dtype=float) / float(interval_s)
    return traffic


def _prepare(
    volume: npt.ArrayLike, aht_s: npt.ArrayLike, shrinkage: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    vol = np.atleast_1d(np.asarray(volume, dtype=float))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=float), vol.shape).astype(float)
    shrink = np.broadcast_to(np.asarray(shrinkage, dtype=float), vol.shape)
    if np.any(~np.isfinite(vol)) or np.any(vol < 0):
        raise EngineInputError("volume must be finite and >= 0")
    if np.any(~(aht > 0)) or np.any(~np.isfinite(aht)):
        raise EngineInputError("AHT must be > 0 seconds")
    if np.any(~((shrink >= 0) & (shrink < 1))):
        raise EngineInputError("shrinkage must be in [0, 1)")
    return vol, aht, shrink


def staff_erlang_c(
    volume: npt.ArrayLike,
    aht_s: npt.ArrayLike,
    interval_s: float,
    targets: StaffingTargets,
    shrinkage: npt.ArrayLike = 0.0,
) -> StaffingPlan:
    """Erlang C staffing; ``service_level`` reported is answered within T over all contacts."""
    if targets.max_abandon_rate is not None:
        raise EngineInputError("Erlang C has no abandonment: use Erlang A for a max abandon rate target")
    targets.require_some()
    vol, aht, shrink = _prepare(volume, aht_s, shrinkage)
    traffic = traffic_erlangs(vol, aht, interval_s)
    need = erlang_c_required_agents(
        traffic,
        aht,
        service_level_target=targets.service_level,
        answer_time_target_s=targets.answer_time_target_s,
        asa_target_s=targets.asa_target_s,
        max_occupancy=targets.max_occupancy,
    )
    answer_time = targets.answer_time_target_s or 0.0
    return StaffingPlan(
        traffic_erlangs=traffic,
        agents_required=need,
        agents_with_shrinkage=agents_with_shrinkage(need, shrink),
        service_level=erlang_c_service_level(need, traffic, aht, answer_time),
        asa_s=erlang_c_asa_s(need, traffic, aht),
        occupancy=occupancy(need, traffic),
        wait_probability=erlang_c_wait_probability(need, traffic),
    )


def staff_erlang_a(
    volume: npt.ArrayLike,
    aht_s: npt.ArrayLike,
    interval_s: float,
    targets: StaffingTargets,
    patience_s: npt.ArrayLike,
    shrinkage: npt.ArrayLike = 0.0,
) -> StaffingPlan:
    """Erlang A staffing; ``service_level`` reported on ``targets.service_level_basis``."""
    targets.require_some()
    vol, aht, shrink = _prepare(volume, aht_s, shrinkage)
    traffic = traffic_erlangs(vol, aht, interval_s)
    need = erlang_a_required_agents(
        traffic,
        aht,
        patience_s,
        service_level_target=targets.service_level,
        answer_time_target_s=targets.answer_time_target_s,
        service_level_basis=targets.service_level_basis,
        asa_target_s=targets.asa_target_s,
        max_occupancy=targets.max_occupancy,
        max_abandon_rate=targets.max_abandon_rate,
    )
    metrics = erlang_a_metrics(need, traffic, aht, patience_s, targets.answer_time_target_s or 0.0)
    level = metrics.service_level_offered if targets.service_level_basis == "offered" else metrics.service_level_answered
    return StaffingPlan(
        traffic_erlangs=traffic,
        agents_required=need,
        agents_with_shrinkage=agents_with_shrinkage(need, shrink),
        service_level=level,
        asa_s=metrics.asa_s,
        occupancy=metrics.occupancy,
        wait_probability=metrics.wait_probability,
        abandon_rate=metrics.abandon_rate,
    )


def staff_chat(
    volume: npt.ArrayLike,
    interval_s: float,
    aht_by_concurrency_s: npt.ArrayLike,
    targets: StaffingTargets,
    shrinkage: npt.ArrayLike = 0.0,
) -> StaffingPlan:
    """Chat staffing with concurrency; ``aht_by_concurrency_s`` is one list or one row per interval.

    ``traffic_erlangs`` is reported as ``volume * aht(1) / interval`` (single-chat
    Erlangs); ``occupancy`` is the share of chat slots in use.
    """
    if targets.max_abandon_rate is not None:
        raise EngineInputError("the chat model has no abandonment: drop the max abandon rate target")
    targets.require_some()
    table = np.asarray(aht_by_concurrency_s, dtype=float)
    vol, _aht, shrink = _prepare(volume, table[..., 0] if table.ndim == 2 else table[0], shrinkage)
    need = chat_required_agents(
        vol,
        interval_s,
        table,
        service_level_target=targets.service_level,
        answer_time_target_s=targets.answer_time_target_s,
        asa_target_s=targets.asa_target_s,
        max_occupancy=targets.max_occupancy,
    )
    metrics = chat_metrics(need, vol, interval_s, table, targets.answer_time_target_s or 0.0)
    first = table[:, 0] if table.ndim == 2 else np.full(vol.shape, table[0])
    return StaffingPlan(
        traffic_erlangs=traffic_erlangs(vol, first, interval_s),
        agents_required=need,
        agents_with_shrinkage=agents_with_shrinkage(need, shrink),
        service_level=metrics.service_level,
        asa_s=metrics.asa_s,
        occupancy=metrics.occupancy,
        wait_probability=metrics.wait_probability,
    )
