"""LP relaxation of a purely linear CP-SAT model, solved with OR-Tools' GLOP.

The roster relaxation (`roster.RosterModel(aggregate=True)`) has only linear
constraints, so its LP relaxation can be read straight off the CP-SAT model
proto. GLOP solves it to optimality much faster than CP-SAT's own LP worker
reaches the same bound, which gives the roster a meaningful lower bound and
fractional shift counts to guide the construction heuristic.

`solve_mip` hands the same kind of model, all variables integer, to HiGHS'
branch and cut (`scipy.optimize.milp`): on the day re-optimisation models
(a few thousand integer counts, LP-tight) it proves optimality in well under
a second to a few seconds where CP-SAT does not improve its start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from scipy.sparse import csr_matrix

__all__ = [
    "LpSolution",
    "MipSolution",
    "mip_dual_bound",
    "solve_lp_relaxation",
    "solve_milp_arrays",
    "solve_mip",
]

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


def _arrays(
    model: cp_model.CpModel,
) -> tuple[np.ndarray, csr_matrix, list[float], list[float], np.ndarray, np.ndarray]:
    """``(cost, matrix, lo, hi, lb, ub)`` of a linear CP-SAT model (see `solve_mip`)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    proto = model.proto
    n = len(proto.variables)
    lb = np.empty(n)
    ub = np.empty(n)
    for i, v in enumerate(proto.variables):
        dom = v.domain
        lb[i] = _bound(dom[0], np.inf)
        ub[i] = _bound(dom[len(dom) - 1], np.inf)
    indptr = [0]
    cols: list[int] = []
    coefs: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    for c in proto.constraints:
        if not c.has_linear() or len(c.enforcement_literal):
            raise ValueError("only unconditional linear constraints are supported here")
        lin = c.linear
        for ref in lin.vars:
            if ref < 0:
                raise ValueError("negated literals are not supported")
        cols.extend(lin.vars)
        coefs.extend(float(x) for x in lin.coeffs)
        indptr.append(len(cols))
        dom = lin.domain
        lo.append(_bound(dom[0], np.inf))
        hi.append(_bound(dom[len(dom) - 1], np.inf))
    cost = np.zeros(n)
    for ref, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        cost[ref] += coef
    matrix = csr_matrix((coefs, cols, indptr), shape=(len(lo), n))
    return cost, matrix, lo, hi, lb, ub


def mip_dual_bound(model: cp_model.CpModel, time_limit_s: float) -> float | None:
    """HiGHS' lower bound on ``model`` with every variable integer, after at
    most ``time_limit_s``: its branch and cut's dual bound (the optimum when
    solved; a valid lower bound either way); ``None`` when HiGHS stopped
    before it had one or the model is infeasible."""
    import math

    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    cost, matrix, lo, hi, lb, ub = _arrays(model)
    res = milp(
        cost,
        constraints=LinearConstraint(matrix, lo, hi) if len(lo) else None,
        integrality=np.ones(len(cost), dtype=np.int64),
        bounds=Bounds(lb, ub),
        options={"time_limit": max(0.05, float(time_limit_s)), "disp": False},
    )
    dual = getattr(res, "mip_dual_bound", None)
    if dual is None or not math.isfinite(dual):
        return None
    # integer variables and CP-SAT's integer coefficients: the optimum is an
    # integer, so the bound may be rounded up
    value = math.ceil(float(dual) - 1e-6)
    proto = model.proto
    return (value + proto.objective.offset) * (proto.objective.scaling_factor or 1.0)


@dataclass(frozen=True)
class MipSolution:
    objective: float  # objective of ``values`` (integers), offset included
    values: list[int]  # per CP-SAT variable index
    optimal: bool  # proved optimal within ``relative_gap``


def solve_mip(
    model: cp_model.CpModel, time_limit_s: float = 60.0, relative_gap: float = 1e-4
) -> MipSolution | None:
    """Solve ``model`` (linear, every variable integer) with HiGHS' MIP solver.

    Returns the best integer solution found in the time limit (values rounded
    to the nearest integer and checked against every constraint and bound),
    or ``None`` when there is none. Raises ``ValueError`` like
    `solve_lp_relaxation` for constraints it cannot read.
    """
    import numpy as np

    proto = model.proto
    cost, matrix, lo, hi, lb, ub = _arrays(model)
    n = len(cost)
    solved = _highs(cost, matrix, lo, hi, lb, ub, np.ones(n), time_limit_s, relative_gap)
    if solved is None:
        return None
    x, optimal = solved
    factor = proto.objective.scaling_factor or 1.0
    objective = (float(cost @ x) + proto.objective.offset) * factor
    return MipSolution(objective=objective, values=[int(v) for v in x], optimal=optimal)


def _highs(
    cost: npt.ArrayLike,
    matrix: csr_matrix,
    lo: Sequence[float],
    hi: Sequence[float],
    lb: npt.ArrayLike,
    ub: npt.ArrayLike,
    mask: np.ndarray,
    time_limit_s: float,
    relative_gap: float,
) -> tuple[np.ndarray, bool] | None:
    """``scipy.optimize.milp`` (HiGHS) on ``lo <= matrix @ x <= hi``, ``lb <= x <= ub``, integer where
    ``mask`` is 1: ``(x, optimal)`` with the integer variables rounded and every row and bound checked
    again, or None when HiGHS found no solution in time."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    res = milp(
        np.asarray(cost, dtype=float),
        constraints=LinearConstraint(matrix, lo, hi) if len(lo) else None,
        integrality=mask,
        bounds=Bounds(lb, ub),
        options={
            "time_limit": max(0.05, float(time_limit_s)),
            "mip_rel_gap": float(relative_gap),
            "disp": False,
        },
    )
    if res.x is None:
        return None
    x: np.ndarray = np.where(mask > 0, np.rint(res.x), res.x)
    if (x < np.asarray(lb) - 1e-6).any() or (x > np.asarray(ub) + 1e-6).any():
        return None
    if len(lo):
        row = matrix @ x
        if (row < np.asarray(lo) - 1e-6).any() or (row > np.asarray(hi) + 1e-6).any():
            return None
    return x, res.status == 0


def solve_milp_arrays(
    cost: Sequence[float] | np.ndarray,
    rows: Sequence[Sequence[tuple[int, float]]],
    lo: Sequence[float],
    hi: Sequence[float],
    lb: npt.ArrayLike,
    ub: npt.ArrayLike,
    time_limit_s: float,
    relative_gap: float = 1e-3,
    integrality: npt.ArrayLike | None = None,
) -> np.ndarray | None:
    """A binary/integer program given as sparse rows, solved with HiGHS.

    ``rows[i]`` is a list of ``(variable, coefficient)`` with bounds
    ``lo[i] <= row <= hi[i]``; variables within ``lb..ub``, integer where
    ``integrality`` is 1 (default: all). Returns the solution (integer
    variables rounded, then checked against every row and bound) or ``None``
    when HiGHS found none in time.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(cost)
    indptr = [0]
    cols: list[int] = []
    coefs: list[float] = []
    for terms in rows:
        for j, c in terms:
            cols.append(j)
            coefs.append(c)
        indptr.append(len(cols))
    matrix = csr_matrix((coefs, cols, indptr), shape=(len(rows), n))
    mask = np.ones(n) if integrality is None else np.asarray(integrality, dtype=float)
    solved = _highs(cost, matrix, lo, hi, lb, ub, mask, time_limit_s, relative_gap)
    return None if solved is None else solved[0]
