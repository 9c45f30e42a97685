"""QA scores for the floor: what quality gives performance and coaching.

- ``qa_inputs`` is registered in ``core.registries.ability_inputs``: the agent's average
  released QA score of the last 30 days becomes the "质检分" (Quality scores) input of
  coaching's ability map, where it read "no data" before this module existed.
- ``qa_scores`` is registered in ``core.registries.agent_scores``: the released QA average
  over the page's period becomes a column of performance's team ranking and a card of the
  agent page ("too few samples" marked, never ranked as reliable).
- ``qa_kpi_source`` is registered in ``core.registries.kpi_sources``: the QA score (the mean
  released score, ``qa_score``) and a criterion's pass rate (``qa_pass:<criterion key>``,
  see ``scoring.passed``) become measures of performance's SMART goals and of coaching's
  improvement-plan goals, for an agent, a team or a site.
- ``refresh_appraisal_inputs`` fills the ``qa`` component of the agent's appraisals whose
  cycle holds the day (``performance.services.set_component_input``), on every release
  and score change. Quality sits above both apps, so it calls them; neither imports it.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from zhiren.coaching.situational import AbilityInput
from zhiren.core.registries import AgentScore, KpiSource, Metric, MetricAsk, MetricValue
from zhiren.performance.models import Appraisal
from zhiren.performance.services import set_component_input

from . import sampling, selectors
from .selectors import qa_averages

WINDOW_DAYS = 30
QA_SCORE = "qa_score"
RATE_PREFIX = "qa_pass:"
QA_SCORE_TARGET = 90.0
PASS_RATE_TARGET = 95.0


def qa_inputs(agents, today: dt.date) -> dict[int, list[AbilityInput]]:
    """One query: {agent id: [AbilityInput("qa", …)]} for agents with released scores in the window."""
    agents = list(agents)
    if not agents:
        return {}
    found = qa_averages([a.pk for a in agents], today - dt.timedelta(days=WINDOW_DAYS - 1), today)
    result = {}
    for agent_id, row in found.items():
        detail = f"{row['average']:.1f} · n={row['count']}" + ("" if sampling.reliable(row["count"]) else " (!)")
        result[agent_id] = [AbilityInput("qa", "QA", round(row["average"], 1), detail)]
    return result


def qa_scores(agent_ids, start: dt.date, end: dt.date) -> dict[int, AgentScore]:
    """For performance's ranking and agent page (``core.registries.agent_scores``): one query."""
    return {agent_id: AgentScore(round(row["average"], 1), row["count"], sampling.reliable(row["count"]))
            for agent_id, row in qa_averages(agent_ids, start, end).items()}


def qa_events(agent_ids, start: dt.date, end: dt.date) -> list[tuple[int, dt.date, float]]:
    """Released inspection scores by contact day, for engagement's attrition risk
    (``core.registries.risk_signals``): one query."""
    return [(agent_id, day, float(score)) for agent_id, day, score in selectors.qa_events(agent_ids, start, end)]


def refresh_appraisal_inputs(agent_id: int, day: dt.date) -> None:
    appraisals = list(Appraisal.objects.filter(agent_id=agent_id, cycle__start__lte=day, cycle__end__gte=day)
                      .select_related("cycle", "agent"))
    for appraisal in appraisals:
        cycle = appraisal.cycle
        row = qa_averages([agent_id], cycle.start, cycle.end).get(agent_id)
        set_component_input(cycle, appraisal.agent, "qa", None if row is None else round(row["average"], 2))


# --- goals and improvement plans (``core.registries.kpi_sources``) -----------------------------

# Criterion key -> label, read once per process and again for a key not seen yet; cleared when a
# scorecard version is published here (``forget_criterion_labels``). Another process may show a
# renamed criterion's old label until it restarts or meets a new key.
_labels: dict[str, str] = {}


def forget_criterion_labels() -> None:
    _labels.clear()


def _criterion_label(key: str) -> str:
    if key not in _labels:
        found = selectors.criterion_labels()
        _labels.clear()
        _labels.update(found)
        _labels.setdefault(key, key)  # a key no scorecard holds any more: shown as it is
    return _labels[key]


def pass_rate_code(criterion_key: str) -> str:
    return f"{RATE_PREFIX}{criterion_key}"


def _qa_score() -> Metric:
    return Metric(QA_SCORE, _("QA score"), "score", True, QA_SCORE_TARGET)


def _pass_rate(key: str, label: str) -> Metric:
    return Metric(pass_rate_code(key), _("QA pass rate: %(criterion)s") % {"criterion": label}, "percent", True,
                  PASS_RATE_TARGET)


def qa_metrics() -> list[Metric]:
    """What goal forms offer: the QA score, then each criterion of the scorecards in use (one query)."""
    labels = selectors.criterion_labels(offered=True)
    return [_qa_score(), *(_pass_rate(key, label) for key, label in sorted(labels.items(), key=lambda kv: kv[1]))]


def describe_metric(code: str) -> Metric | None:
    if code == QA_SCORE:
        return _qa_score()
    if code.startswith(RATE_PREFIX) and len(code) > len(RATE_PREFIX):
        key = code[len(RATE_PREFIX):]
        return _pass_rate(key, _criterion_label(key))
    return None


def measure(asks) -> list[MetricValue]:
    """One value per ask: QA scores in one query, pass rates in two, whatever the number of asks."""
    asks = list(asks)
    scores = [(n, a) for n, a in enumerate(asks) if a.code == QA_SCORE]
    rates = [(n, a) for n, a in enumerate(asks) if a.code.startswith(RATE_PREFIX)]
    result = [MetricValue(None) for _ask in asks]
    for (n, _a), value in zip(scores, selectors.qa_score_values([a for _n, a in scores]), strict=True):
        result[n] = value
    pairs: list[tuple[MetricAsk, str]] = [(a, a.code[len(RATE_PREFIX):]) for _n, a in rates]
    for (n, _a), value in zip(rates, selectors.pass_rate_values(pairs), strict=True):
        result[n] = value
    return result


qa_kpi_source = KpiSource(offered=qa_metrics, describe=describe_metric, measure=measure)
