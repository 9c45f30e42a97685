"""Discrete-event simulation (SimPy) of the queues the staffing models describe.

Used to check the formulas and, through ``zhiren wfm simulate``, to let a
planner see what a staffing plan does with randomness in it.  Each run
simulates one stationary interval: a warm-up, then a measured window; the
measures are averaged over independent replications, with a Student-t
confidence interval across replications (replications are independent, so the
interval is honest even though contacts within one run are correlated).

* Voice (:func:`simulate_voice`): Poisson arrivals, exponential handle times,
  ``n`` agents, FIFO; with ``patience_s`` each waiting contact abandons after an
  exponential patience (Erlang A), without it nobody abandons (Erlang C).
* Chat (:func:`simulate_chat`): each agent carries up to ``k`` chats; a new chat
  goes to the least-loaded agent with a free slot (else it queues, FIFO); an
  agent with ``c`` chats finishes one at rate ``c / aht(c)``.  Unlike the
  analytic model, loads are *not* rebalanced after completions, so the
  simulation also tests the model's even-spread assumption.

Measures are counted over contacts that arrive in the measured window; each is
followed to its answer or abandonment even after the window closes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import simpy
from scipy import stats
from simpy.events import ProcessGenerator

from .errors import EngineInputError

MEASURES = (
    "wait_probability",
    "service_level_offered",
    "service_level_answered",
    "abandon_rate",
    "asa_s",
    "occupancy",
)


@dataclass(frozen=True)
class Estimate:
    """Mean over replications and the half-width of its confidence interval."""

    mean: float
    half_width: float

    def contains(self, value: float) -> bool:
        return abs(value - self.mean) <= self.half_width


@dataclass(frozen=True)
class SimulationResult:
    """Per-measure estimates (see :data:`MEASURES`) plus the sample sizes behind them."""

    estimates: dict[str, Estimate]
    replications: int
    contacts: int
    confidence: float = field(default=0.95)

    def __getitem__(self, measure: str) -> Estimate:
        return self.estimates[measure]


@dataclass
class _Tally:
    answer_time_s: float
    window_start: float
    window_end: float
    offered: int = 0
    waited: int = 0
    answered: int = 0
    answered_in_time: int = 0
    abandoned: int = 0
    answered_wait_total: float = 0.0
    busy_area: float = 0.0  # busy agents (voice) or busy chat slots, integrated over the window
    last_change: float = 0.0
    busy_now: int = 0

    def counts(self, arrival: float) -> bool:
        return self.window_start <= arrival < self.window_end

    def change_busy(self, now: float, delta: int) -> None:
        start = max(self.last_change, self.window_start)
        end = min(now, self.window_end)
        if end > start:
            self.busy_area += self.busy_now * (end - start)
        self.last_change = now
        self.busy_now += delta

    def close(self) -> None:
        self.change_busy(self.window_end, 0)

    def record(self, arrival: float, wait: float, answered: bool) -> None:
        if not self.counts(arrival):
            return
        self.offered += 1
        if wait > 0:
            self.waited += 1
        if answered:
            self.answered += 1
            self.answered_wait_total += wait
            if wait <= self.answer_time_s:
                self.answered_in_time += 1
        else:
            self.abandoned += 1

    def measures(self, capacity: int) -> dict[str, float]:
        offered = max(self.offered, 1)
        answered = max(self.answered, 1)
        return {
            "wait_probability": self.waited / offered,
            "service_level_offered": self.answered_in_time / offered,
            "service_level_answered": self.answered_in_time / answered,
            "abandon_rate": self.abandoned / offered,
            "asa_s": self.answered_wait_total / answered,
            "occupancy": self.busy_area / (capacity * (self.window_end - self.window_start)),
        }


def _check_common(agents: int, arrival_rate: float, window_s: float, replications: int) -> None:
    if agents < 1:
        raise EngineInputError("simulation needs at least one agent")
    if not arrival_rate > 0:
        raise EngineInputError("arrival rate must be > 0")
    if not window_s > 0:
        raise EngineInputError("simulated window must be > 0 seconds")
    if replications < 2:
        raise EngineInputError("at least two replications are needed for a confidence interval")


def _summarise(samples: list[dict[str, float]], contacts: int, confidence: float) -> SimulationResult:
    reps = len(samples)
    quantile = float(stats.t.ppf(0.5 + confidence / 2.0, reps - 1))
    estimates: dict[str, Estimate] = {}
    for name in MEASURES:
        values = np.array([s[name] for s in samples])
        estimates[name] = Estimate(float(values.mean()), quantile * float(values.std(ddof=1)) / np.sqrt(reps))
    return SimulationResult(estimates, reps, contacts, confidence)


def simulate_voice(
    agents: int,
    arrival_rate_per_s: float,
    aht_s: float,
    *,
    answer_time_target_s: float,
    patience_s: float | None = None,
    window_s: float = 3600.0,
    warmup_s: float | None = None,
    replications: int = 20,
    seed: int = 0,
    confidence: float = 0.95,
) -> SimulationResult:
    """Simulate M/M/n (``patience_s`` None) or M/M/n+M and estimate :data:`MEASURES`."""
    _check_common(agents, arrival_rate_per_s, window_s, replications)
    if not aht_s > 0:
        raise EngineInputError("AHT must be > 0 seconds")
    if patience_s is not None and not patience_s > 0:
        raise EngineInputError("patience must be > 0 seconds")
    warmup = window_s / 2.0 if warmup_s is None else warmup_s
    root = np.random.SeedSequence(seed)
    samples: list[dict[str, float]] = []
    contacts = 0
    for child in root.spawn(replications):
        rng = np.random.default_rng(child)
        env = simpy.Environment()
        pool = simpy.Resource(env, capacity=agents)
        tally = _Tally(answer_time_target_s, warmup, warmup + window_s)

        def contact(
            env: simpy.Environment = env,
            pool: simpy.Resource = pool,
            tally: _Tally = tally,
            rng: np.random.Generator = rng,
        ) -> ProcessGenerator:
            arrival = env.now
            with pool.request() as request:
                if patience_s is None:
                    yield request
                else:
                    outcome = yield request | env.timeout(rng.exponential(patience_s))
                    if request not in outcome:
                        tally.record(arrival, env.now - arrival, answered=False)
                        return
                tally.record(arrival, env.now - arrival, answered=True)
                tally.change_busy(env.now, +1)
                yield env.timeout(rng.exponential(aht_s))
                tally.change_busy(env.now, -1)

        def arrivals(
            env: simpy.Environment = env,
            tally: _Tally = tally,
            rng: np.random.Generator = rng,
            contact: Callable[[], ProcessGenerator] = contact,
        ) -> ProcessGenerator:
            while env.now < tally.window_end:
                yield env.timeout(rng.exponential(1.0 / arrival_rate_per_s))
                if env.now < tally.window_end:
                    env.process(contact())

        env.process(arrivals())
        env.run()
        tally.close()
        samples.append(tally.measures(agents))
        contacts += tally.offered
    return _summarise(samples, contacts, confidence)


def simulate_chat(
    agents: int,
    arrival_rate_per_s: float,
    aht_by_concurrency_s: Sequence[float],
    *,
    answer_time_target_s: float,
    window_s: float = 3600.0,
    warmup_s: float | None = None,
    replications: int = 20,
    seed: int = 0,
    confidence: float = 0.95,
) -> SimulationResult:
    """Simulate the chat floor described in the module docstring; occupancy is of chat slots."""
    _check_common(agents, arrival_rate_per_s, window_s, replications)
    aht = np.asarray(aht_by_concurrency_s, dtype=float)
    if aht.size == 0 or np.any(~(aht > 0)):
        raise EngineInputError("every AHT by concurrency must be > 0 seconds")
    k = aht.size
    warmup = window_s / 2.0 if warmup_s is None else warmup_s
    root = np.random.SeedSequence(seed)
    samples: list[dict[str, float]] = []
    contacts = 0
    for child in root.spawn(replications):
        rng = np.random.default_rng(child)
        env = simpy.Environment()
        tally = _Tally(answer_time_target_s, warmup, warmup + window_s)
        load = [0] * agents
        wake = [env.event() for _ in range(agents)]
        waiting: deque[float] = deque()

        def nudge(i: int, env: simpy.Environment = env, wake: list[simpy.Event] = wake) -> None:
            if not wake[i].triggered:
                wake[i].succeed()
            wake[i] = env.event()

        def agent(
            i: int,
            env: simpy.Environment = env,
            load: list[int] = load,
            wake: list[simpy.Event] = wake,
            waiting: deque[float] = waiting,
            tally: _Tally = tally,
            rng: np.random.Generator = rng,
        ) -> ProcessGenerator:
            while True:
                current = load[i]
                if current == 0:
                    yield wake[i]
                    continue
                finish = env.timeout(rng.exponential(aht[current - 1] / current))
                outcome = yield finish | wake[i]
                if finish not in outcome:
                    continue  # the load changed: durations are memoryless, so draw again
                load[i] -= 1
                tally.change_busy(env.now, -1)
                if waiting:
                    arrival = waiting.popleft()
                    load[i] += 1
                    tally.change_busy(env.now, +1)
                    tally.record(arrival, env.now - arrival, answered=True)

        def arrivals(
            env: simpy.Environment = env,
            load: list[int] = load,
            waiting: deque[float] = waiting,
            tally: _Tally = tally,
            rng: np.random.Generator = rng,
            nudge: Callable[[int], None] = nudge,
        ) -> ProcessGenerator:
            while env.now < tally.window_end:
                yield env.timeout(rng.exponential(1.0 / arrival_rate_per_s))
                if env.now >= tally.window_end:
                    break
                best = min(range(agents), key=load.__getitem__)
                if load[best] < k:
                    load[best] += 1
                    tally.change_busy(env.now, +1)
                    tally.record(env.now, 0.0, answered=True)
                    nudge(best)
                else:
                    waiting.append(env.now)

        for i in range(agents):
            env.process(agent(i))
        env.process(arrivals())
        # agents run forever; stop once the window has closed and the queue has drained
        horizon = tally.window_end
        while True:
            env.run(until=horizon)
            if not waiting:
                break
            horizon += window_s / 10.0
        tally.close()
        samples.append(tally.measures(agents * k))
        contacts += tally.offered
    return _summarise(samples, contacts, confidence)
