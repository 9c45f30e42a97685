"""Optimal assignment of agents to open positions: pure Python + OR-Tools, no Django.

The problem: agents ``i``, positions ``j`` with capacities ``c_j`` and fit ``w_ij`` (``None``
where the pair is not allowed — e.g. the agent said they do not want that role and the planner
did not override). Each agent takes at most one seat; each position at most ``c_j`` agents;
maximise the total fit.

It is solved as a min-cost flow (OR-Tools ``SimpleMinCostFlow``): source → agent (1 unit) →
position (cost ``−w_ij``) → sink (capacity ``c_j``), plus an arc agent → sink with cost 0 ("stays
where they are"), so every agent's unit reaches the sink and the cheapest flow is the
maximum-weight assignment, not merely the largest one. The constraint matrix of a network flow is
totally unimodular, so the integral optimum the solver returns is proven optimal (optimality gap
0). ``solve_cp_sat`` states the same model for CP-SAT; the benchmark uses it to show the bound.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

SCALE = 100  # fit 0–100 with two decimals → integer costs


@dataclass(frozen=True)
class Assignment:
    seats: dict[int, int]  # agent index → position index (agents left out stay where they are)
    total: float  # total fit of the chosen pairs
    proven_optimal: bool
    bound: float  # best proven upper bound on the total (equals ``total`` when optimal)
    seconds: float
    solver: str

    @property
    def gap(self) -> float:
        """Relative optimality gap (0 when proven optimal)."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.total) / self.bound)


def _check(fit: Sequence[Sequence[float | None]], capacity: Sequence[int]) -> None:
    if any(c < 0 for c in capacity):
        raise ValueError("capacities must not be negative")
    for row in fit:
        if len(row) != len(capacity):
            raise ValueError("every fit row needs one entry per position")


def solve(fit: Sequence[Sequence[float | None]], capacity: Sequence[int]) -> Assignment:
    """Maximum-total-fit assignment (min-cost flow). ``fit[i][j] is None``: not allowed."""
    from ortools.graph.python import min_cost_flow

    _check(fit, capacity)
    started = time.perf_counter()
    n, m = len(fit), len(capacity)
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    tails, heads, caps, costs = [], [], [], []
    pair_arcs: list[tuple[int, int, int]] = []
    for i, row in enumerate(fit):
        tails.append(source), heads.append(i), caps.append(1), costs.append(0)
        tails.append(i), heads.append(sink), caps.append(1), costs.append(0)  # stays put
        for j, value in enumerate(row):
            if value is None or capacity[j] == 0 or value <= 0:
                continue
            pair_arcs.append((len(tails), i, j))
            tails.append(i), heads.append(n + j), caps.append(1), costs.append(-round(value * SCALE))
    for j, c in enumerate(capacity):
        tails.append(n + j), heads.append(sink), caps.append(c), costs.append(0)
    if tails:
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve() if n else flow.OPTIMAL
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    seats = {i: j for arc, i, j in pair_arcs if flow.flow(arc) > 0}
    total = sum(round(fit[i][j] * SCALE) for i, j in seats.items()) / SCALE
    return Assignment(seats, total, True, total, time.perf_counter() - started, "min-cost flow")


def solve_cp_sat(
    fit: Sequence[Sequence[float | None]], capacity: Sequence[int], *, time_limit: float = 30.0, workers: int = 2
) -> Assignment:
    """The same model in CP-SAT (Boolean per allowed pair); reports its proven bound."""
    from ortools.sat.python import cp_model

    _check(fit, capacity)
    started = time.perf_counter()
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_position: list[list] = [[] for _ in capacity]
    objective = []
    for i, row in enumerate(fit):
        mine = []
        for j, value in enumerate(row):
            if value is None or capacity[j] == 0 or value <= 0:
                continue
            var = model.new_bool_var(f"x{i}_{j}")
            x[i, j] = var
            mine.append(var)
            by_position[j].append(var)
            objective.append(round(value * SCALE) * var)
        if len(mine) > 1:
            model.add_at_most_one(mine)
    for j, seats in enumerate(by_position):
        if len(seats) > capacity[j]:
            model.add(sum(seats) <= capacity[j])
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT failed with status {solver.status_name(status)}")
    seats = {i: j for (i, j), var in x.items() if solver.value(var)}
    total = sum(round(fit[i][j] * SCALE) for i, j in seats.items()) / SCALE
    return Assignment(
        seats,
        total,
        status == cp_model.OPTIMAL,
        solver.best_objective_bound / SCALE if x else 0.0,
        time.perf_counter() - started,
        "CP-SAT",
    )


def greedy(fit: Sequence[Sequence[float | None]], capacity: Sequence[int]) -> Assignment:
    """Baseline: take the best remaining (agent, position) pair until nothing fits."""
    started = time.perf_counter()
    pairs = sorted(
        ((value, i, j) for i, row in enumerate(fit) for j, value in enumerate(row) if value is not None and value > 0),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    left = list(capacity)
    seats: dict[int, int] = {}
    for _value, i, j in pairs:
        if i not in seats and left[j] > 0:
            seats[i] = j
            left[j] -= 1
    total = sum(round(fit[i][j] * SCALE) for i, j in seats.items()) / SCALE
    return Assignment(seats, total, False, float("nan"), time.perf_counter() - started, "greedy")
