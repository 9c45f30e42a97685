"""LP relaxation of a purely linear CP-SAT model, solved with OR-Tools' GLOP.

The roster relaxation (`roster._Model(aggregate=True)`) has only linear
constraints, so its LP relaxation can be read straight off the CP-SAT model
proto. GLOP solves it to optimality much faster than CP-SAT's own LP worker
reaches the same bound, which gives the roster a meaningful lower bound and
fractional shift counts to guide the construction heuristic.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

__all__ = ["LpSolution", "solve_lp_relaxation"]

_INT_LIMIT = 2**62


@dataclass(frozen=True)
class LpSolution:
    objective: float  # optimal LP value (a lower bound of the integer model)
    values: list[float]  # per CP-SAT variable index


def _bound(value: int, infinite: float) -> float:
    if value <= -_INT_LIMIT:
        return -infinite
    if value >= _INT_LIMIT:
        return infinite
    return float(value)


def solve_lp_relaxation(model: cp_model.CpModel, time_limit_s: float = 60.0) -> LpSolution | None:
    """Solve the LP relaxation of ``model``; ``None`` when not optimal in time.

    Raises ``ValueError`` for a model with non-linear or enforced constraints.
    """
    proto = model.proto
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with every OR-Tools build
        return None
    inf = lp.infinity()
    xs = []
    for v in proto.variables:
        dom = v.domain
        xs.append(lp.NumVar(_bound(dom[0], inf), _bound(dom[len(dom) - 1], inf), ""))
    for c in proto.constraints:
        if not c.has_linear() or len(c.enforcement_literal):
            raise ValueError("only unconditional linear constraints have an LP relaxation here")
        lin = c.linear
        dom = lin.domain
        ct = lp.Constraint(_bound(dom[0], inf), _bound(dom[len(dom) - 1], inf))
        for ref, coef in zip(lin.vars, lin.coeffs, strict=True):
            if ref < 0:
                raise ValueError("negated literals are not supported")
            ct.SetCoefficient(xs[ref], float(coef))
    obj = lp.Objective()
    for ref, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        obj.SetCoefficient(xs[ref], float(coef))
    obj.SetOffset(float(proto.objective.offset))
    obj.SetMinimization()
    lp.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    status = lp.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        return None
    factor = proto.objective.scaling_factor or 1.0
    return LpSolution(objective=obj.Value() * factor, values=[x.solution_value() for x in xs])
