"""Engagement results with every anonymity guard on: 10,000 respondents × 40 items × 200 teams.

    .venv/bin/python benchmarks/bench_engagement.py [--respondents 10000] [--teams 200] [--runs 20]

The computing part of a results page, on plain values (no database): the cells of one view
(the site and every team, then the same narrowed by a tenure band: 402 cells), their factor
scores, eNPS and Cronbach's alpha, with ``anonymity.guard`` deciding every cell against the
view and a viewer's history of earlier views, and against an unguarded aggregate of the same
cells measured in the same run. Goal (issue #22): the guarded page ≤ 300 ms p95; the
guard's own cost is reported. Some teams are planted below the minimum, so the guard also
has to suppress next-smallest siblings. The attrition model is timed in
``bench_attrition.py``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reporting import goal, load_average  # noqa: E402

from zhiren.engagement.anonymity import Cell, guard  # noqa: E402
from zhiren.engagement.items import ITEMS, factors_of  # noqa: E402
from zhiren.engagement.reliability import answer_matrix, enps, matrix_scores  # noqa: E402

BANDS = ("0-6", "6-12", "12+")


def make(respondents: int, teams: int, items: list[str], seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    weights = [0.2 if t % 25 == 0 else 1.0 for t in range(teams)]  # every 25th team is tiny
    rows = []
    for n in range(respondents):
        team = rng.choices(range(teams), weights)[0]
        rows.append(
            {
                "id": n,
                "team": team,
                "band": rng.choice(BANDS),
                "enps": rng.randint(0, 10),
                "answers": {k: rng.randint(1, 5) for k in items},
            }
        )
    return rows


def view(rows: list[dict], teams: int, band: str) -> list[tuple[tuple, list[dict], str]]:
    by_team: dict[int, list[dict]] = {t: [] for t in range(teams)}
    for r in rows:
        by_team[r["team"]].append(r)
    cells = [(("site",), rows, "group")]
    cells += [(("team", t), members, "group") for t, members in by_team.items()]
    cells += [(("site", band), [r for r in rows if r["band"] == band], "filter")]
    cells += [
        (("team", t, band), [r for r in members if r["band"] == band], "filter")
        for t, members in by_team.items()
    ]
    return cells


def aggregate(members: list[dict], matrix, columns: dict) -> dict:
    return {
        "scores": matrix_scores(matrix, [r["id"] for r in members], columns),
        "enps": enps(r["enps"] for r in members),
    }


def unguarded(rows, cells, items, columns) -> dict:
    matrix = answer_matrix(
        [r["answers"] for r in rows], items
    )  # the page builds it once per request
    return {key: aggregate(members, matrix, columns) for key, members, _kind in cells}


def guarded(rows, cells, items, columns, history) -> tuple[dict, dict]:
    matrix = answer_matrix([r["answers"] for r in rows], items)
    verdicts = guard(
        [Cell(key, frozenset(r["id"] for r in members), kind) for key, members, kind in cells],
        5,
        history,
    )
    shown = {
        key: aggregate(members, matrix, columns)
        for key, members, _kind in cells
        if verdicts[key].shown
    }
    return shown, verdicts


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    items = [i.key for i in ITEMS] + [f"extra_{n}" for n in range(40 - len(ITEMS))]
    factors = factors_of(items)
    factors["extra"] = [k for k in items if k.startswith("extra_")]
    columns = {f: [items.index(k) for k in keys] for f, keys in factors.items()}
    rows = make(args.respondents, args.teams, items)
    cells = view(rows, args.teams, "0-6")
    # the viewer looked at the unfiltered page before
    first = [(k, m, kind) for k, m, kind in cells if kind == "group"]
    _, verdicts = guarded(rows, first, items, columns, [])
    history = [frozenset(r["id"] for r in m) for k, m, _ in first if verdicts[k].shown]

    plain_times, guarded_times, guard_times = [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        unguarded(rows, cells, items, columns)
        plain_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        _shown, verdicts = guarded(rows, cells, items, columns, history)
        guarded_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        guard([Cell(k, frozenset(r["id"] for r in m), kind) for k, m, kind in cells], 5, history)
        guard_times.append(time.perf_counter() - t0)
    hidden = sum(1 for v in verdicts.values() if not v.shown)
    reasons = (
        statistics.multimode(str(v.reason) for v in verdicts.values() if not v.shown)
        if hidden
        else []
    )
    page = p95(guarded_times)
    print(
        f"engagement results: {args.respondents:,} respondents × {len(items)} items × {args.teams} teams, "
        f"{len(cells)} cells ({hidden} hidden; most often: {', '.join(reasons)})"
    )
    print(f"  unguarded aggregate  p95 {p95(plain_times) * 1000:7.1f} ms")
    print(f"  guarded page         p95 {page * 1000:7.1f} ms   {goal('≤ 300 ms', page <= 0.3)}")
    print(f"  the guard alone      p95 {p95(guard_times) * 1000:7.1f} ms · {load_average()}")


if __name__ == "__main__":
    main()
