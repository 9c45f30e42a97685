"""Calibration (校准) results: several inspectors scored the same contacts blind.

Per criterion: the share of agreeing pairs and Krippendorff's alpha (nominal for yes/no,
ordinal for 1–5, interval for points; N/A is a missing rating); for totals the ICC(2,1);
per inspector the grade-the-grader alignment against the benchmark grader, averaged over
the contacts both scored. Criteria sorted with the least agreement first show where
inspectors disagree. Two queries.
"""

from __future__ import annotations

from collections import defaultdict

from .agreement import alignment, alpha, icc, level_for_scale, percent_agreement
from .models import CalibrationSession, Evaluation, EvaluationKind
from .scoring import NA
from .services import criteria_of


def _rating(answer: object) -> float | None:
    if answer is None or answer == NA:
        return None
    if answer == "yes":
        return 1.0
    if answer == "no":
        return 0.0
    return float(answer)  # type: ignore[arg-type]


def results(session: CalibrationSession) -> dict:
    evaluations = list(Evaluation.objects.filter(calibration=session, kind=EvaluationKind.CALIBRATION)
                       .select_related("inspector").order_by("inspector_id", "interaction_id"))
    criteria = criteria_of(session.version)
    inspectors = sorted({e.inspector_id for e in evaluations})
    contacts = sorted({e.interaction_id for e in evaluations})
    names = {e.inspector_id: e.inspector.get_full_name() or e.inspector.username for e in evaluations}
    by = {(e.inspector_id, e.interaction_id): e for e in evaluations}
    rows = []
    for key, criterion in criteria.items():
        answers = [[(by[(i, c)].answers.get(key) or {}).get("answer") if (i, c) in by else None for i in inspectors]
                   for c in contacts]
        ratings = [[_rating(answers[u][r]) for u in range(len(contacts))] for r in range(len(inspectors))]
        level = level_for_scale(criterion.get("scale", "yes_no"))
        given = [[a for a in unit if a is not None and a != NA] for unit in answers]
        rows.append({"key": key, "label": criterion.get("label", key),
                     "agreement": percent_agreement(given), "alpha": alpha(ratings, level), "level": level})
    rows.sort(key=lambda r: (r["agreement"] if r["agreement"] is not None else 2.0, r["key"]))
    totals = [[float(by[(i, c)].score) if (i, c) in by and by[(i, c)].score is not None else None
               for i in inspectors] for c in contacts]
    spec = {key: (c.get("scale", "yes_no"), float(c.get("points", 1))) for key, c in criteria.items()}
    aligned: dict[int, list[float]] = defaultdict(list)
    for (inspector_id, contact_id), evaluation in by.items():
        reference = by.get((session.benchmark_id, contact_id))
        if reference is None or inspector_id == session.benchmark_id:
            continue
        value = alignment({k: v.get("answer") for k, v in evaluation.answers.items()},
                          {k: v.get("answer") for k, v in reference.answers.items()}, spec)
        if value is not None:
            aligned[inspector_id].append(value)
    return {
        "criteria": rows,
        "icc": icc(totals),
        "alignment": [{"inspector_id": i, "name": names[i], "alignment": sum(v) / len(v), "contacts": len(v)}
                      for i, v in sorted(aligned.items())],
        "inspectors": len(inspectors), "contacts": len(contacts),
    }


def alignment_history(user, sessions: list[CalibrationSession]) -> list[dict]:
    """The user's alignment with the benchmark in each closed session they scored, oldest first (one query)."""
    closed = {s.pk: s for s in sessions if s.closed}
    if not closed:
        return []
    evaluations = list(Evaluation.objects.filter(calibration_id__in=list(closed), kind=EvaluationKind.CALIBRATION)
                       .select_related("version"))
    by = {(e.calibration_id, e.inspector_id, e.interaction_id): e for e in evaluations}
    history = []
    for session in sorted(closed.values(), key=lambda s: (s.held_on, s.pk)):
        if user.pk == session.benchmark_id:
            continue
        spec = {key: (c.get("scale", "yes_no"), float(c.get("points", 1)))
                for key, c in criteria_of(session.version).items()}
        values = []
        for (session_id, inspector_id, contact_id), mine in by.items():
            reference = by.get((session_id, session.benchmark_id, contact_id))
            if session_id != session.pk or inspector_id != user.pk or reference is None:
                continue
            value = alignment({k: v.get("answer") for k, v in mine.answers.items()},
                              {k: v.get("answer") for k, v in reference.answers.items()}, spec)
            if value is not None:
                values.append(value)
        if values:
            history.append({"session": session, "alignment": sum(values) / len(values), "contacts": len(values)})
    return history
