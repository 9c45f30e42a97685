"""The suggestion (合理化建议) state machine and its clock: plain Python, no Django.

received → reviewing → adopted | declined (a reason is required) ; adopted → implemented.
A decision is the move to adopted or declined; the time to decision runs from submission.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median

RECEIVED, REVIEWING, ADOPTED, DECLINED, IMPLEMENTED = (
    "received",
    "reviewing",
    "adopted",
    "declined",
    "implemented",
)
STATES = (RECEIVED, REVIEWING, ADOPTED, DECLINED, IMPLEMENTED)
MOVES: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({REVIEWING}),
    REVIEWING: frozenset({ADOPTED, DECLINED}),
    ADOPTED: frozenset({IMPLEMENTED}),
    DECLINED: frozenset(),
    IMPLEMENTED: frozenset(),
}
DECIDED = frozenset({ADOPTED, DECLINED, IMPLEMENTED})


class FlowError(ValueError):
    """A move the state machine does not allow, or one that lacks what it needs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_move(current: str, target: str, reason: str = "", reward: int | None = None) -> None:
    """Raise ``FlowError`` unless ``current`` → ``target`` is allowed with what is given."""
    if target not in MOVES.get(current, frozenset()):
        raise FlowError("not_allowed", f"{current} → {target} is not allowed")
    if target == DECLINED and not reason.strip():
        raise FlowError("reason_required", "a declined suggestion needs a reason")
    if reward is not None and reward < 0:
        raise FlowError("negative_reward", "a reward cannot be negative")


@dataclass(frozen=True)
class Decision:
    """One suggestion as the dashboard counts it."""

    submitted_at: datetime
    decided_at: datetime | None
    adopted: bool  # adopted or implemented


def adoption_rate(decisions: Iterable[Decision]) -> float | None:
    """Adopted among decided (None: nothing decided yet)."""
    decided = [d for d in decisions if d.decided_at is not None]
    if not decided:
        return None
    return sum(1 for d in decided if d.adopted) / len(decided)


def median_days_to_decision(decisions: Iterable[Decision]) -> float | None:
    days = [
        (d.decided_at - d.submitted_at).total_seconds() / 86400
        for d in decisions
        if d.decided_at is not None
    ]
    return median(days) if days else None


def waiting_days(decisions: Iterable[Decision], now: datetime) -> list[float]:
    """Days each undecided suggestion has waited so far (the clock that the dashboard shows)."""
    return sorted(
        ((now - d.submitted_at).total_seconds() / 86400 for d in decisions if d.decided_at is None),
        reverse=True,
    )
