"""QA reports over a period: per agent, team, inspector, criterion and rule, a weekly trend,
and the rows of the CSV/XLSX export (comments and sentences masked, see ``masking``).

Everything is read through the scoped selectors; a fixed number of queries whatever the
number of rows (evaluations are read once, their answers summed in Python).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count

from . import sampling, selectors
from .masking import mask
from .models import EvaluationKind, EvaluationStatus
from .scoring import NA, card_from_definition
from .services import overturn_rates


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def report(user, start: dt.date, end: dt.date) -> dict[str, Any]:
    evaluations = list(selectors.visible_evaluations(user).filter(
        kind=EvaluationKind.INSPECTION, day__gte=start, day__lte=end).exclude(score__isnull=True))
    agents: dict[int, dict] = {}
    teams: dict[int | None, dict] = {}
    inspectors: dict[int, dict] = {}
    weeks: dict[dt.date, list[float]] = defaultdict(list)
    criteria: dict[str, dict] = {}
    cards: dict[int, Any] = {}
    for e in evaluations:
        value = float(e.score)
        a = agents.setdefault(e.agent_id, {"name": e.agent.name, "team": e.team.name if e.team else "", "scores": []})
        a["scores"].append(value)
        t = teams.setdefault(e.team_id, {"name": e.team.name if e.team else "", "scores": []})
        t["scores"].append(value)
        i = inspectors.setdefault(e.inspector_id, {"name": e.inspector.username, "scores": [], "seconds": []})
        i["scores"].append(value)
        i["seconds"].append(e.seconds_spent)
        weeks[e.day - dt.timedelta(days=e.day.weekday())].append(value)
        if e.version_id not in cards:
            cards[e.version_id] = {c.key: c for _s, c in card_from_definition(e.version.definition).criteria()}
        labels = {c["key"]: c.get("label", c["key"]) for s in e.version.definition.get("sections", [])
                  for c in s.get("criteria", [])}
        for key, entry in e.answers.items():
            criterion = cards[e.version_id].get(key)
            answer = entry.get("answer")
            if criterion is None or answer in (NA, None):
                continue
            row = criteria.setdefault(key, {"label": labels.get(key, key), "answered": 0, "failed": 0, "sum": 0.0})
            fraction = float(criterion.fraction(answer))
            row["answered"] += 1
            row["sum"] += fraction
            row["failed"] += fraction == 0
    rates = overturn_rates(selectors.visible_disputes(user).filter(evaluation__day__gte=start,
                                                                    evaluation__day__lte=end))
    rules = list(selectors.visible_hits(user).filter(day__gte=start, day__lte=end).order_by()
                 .values("rule__name").annotate(n=Count("pk")).order_by("-n", "rule__name"))
    return {
        "agents": sorted(({"name": a["name"], "team": a["team"], "count": len(a["scores"]),
                           "average": _mean(a["scores"]), "reliable": sampling.reliable(len(a["scores"]))}
                          for a in agents.values()), key=lambda r: (-(r["average"] or 0), r["name"])),
        "teams": sorted(({"name": t["name"], "count": len(t["scores"]), "average": _mean(t["scores"])}
                         for t in teams.values()), key=lambda r: r["name"]),
        "inspectors": sorted(({"name": i["name"], "count": len(i["scores"]), "average": _mean(i["scores"]),
                               "minutes": (_mean(i["seconds"]) or 0) / 60,
                               "overturn_rate": rates.get(inspector_id, {}).get("rate"),
                               "disputes": rates.get(inspector_id, {}).get("decided", 0)}
                              for inspector_id, i in inspectors.items()), key=lambda r: r["name"]),
        "criteria": sorted(({"key": key, "label": c["label"], "answered": c["answered"],
                             "fail_rate": c["failed"] / c["answered"], "average": c["sum"] / c["answered"]}
                            for key, c in criteria.items()), key=lambda r: (-r["fail_rate"], r["key"])),
        "rules": [{"name": r["rule__name"], "hits": r["n"]} for r in rules],
        "trend": [{"week": week, "average": _mean(values), "count": len(values)} for week, values in sorted(weeks.items())],
    }


EXPORT_HEADERS = ["contact", "agent", "employee_no", "team", "day", "scorecard", "version", "inspector", "status",
                  "score", "critical_failed", "criterion", "answer", "comment"]


def export_rows(user, start: dt.date, end: dt.date) -> list[list[Any]]:
    """One row per evaluation and criterion; comments masked."""
    rows = []
    evaluations = selectors.visible_evaluations(user).filter(kind=EvaluationKind.INSPECTION, day__gte=start,
                                                             day__lte=end).order_by("day", "pk")
    for e in evaluations:
        for key, entry in e.answers.items():
            rows.append([e.interaction.external_id, e.agent.name, e.agent.employee_no, e.team.name if e.team else "",
                         e.day.isoformat(), e.version.scorecard.name, e.version.number, e.inspector.username,
                         str(EvaluationStatus(e.status).label), None if e.score is None else float(e.score),
                         e.critical_failed, key, str(entry.get("answer")), mask(str(entry.get("comment", "")))])
    return rows
