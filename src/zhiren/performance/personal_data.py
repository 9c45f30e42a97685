"""What the performance module holds about an agent (``core.registries.personal_data``).

Contacts hold customers' data, so the agent's export shows their KPIs per month (from the
daily rollups), not the contacts themselves. Nothing is erased on leaving: KPIs, goals and
appraisals are employment records (docs/privacy.md).
"""

from __future__ import annotations

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import model_section
from zhiren.core.registries import APPROVER_LEAD, CorrectionTopic, DataSection, PersonalDataSource
from zhiren.org.models import Agent

from . import kpis
from .models import Appraisal, DailyStat, Goal


def _monthly(agent: Agent) -> DataSection:
    rows = (
        DailyStat.objects.filter(agent=agent).annotate(month=TruncMonth("day")).values("month")
        .annotate(**{name: Sum(name) for name in kpis.SUM_FIELDS}).order_by("month")
    )
    fields = (("month", _("month")),) + tuple((code, kpis.kpi(code).label) for code in kpis.AGENT_KPIS)
    result = []
    for row in rows:
        values = kpis.values(row, kpis.AGENT_KPIS)
        result.append({"month": row["month"].strftime("%Y-%m"),
                       **{code: None if value is None else round(value, 1) for code, value in values.items()}})
    return DataSection("kpis", _("KPIs per month"), fields, result,
                       _("From your contacts, summed per month; the contacts themselves hold customers' data."))


def collect(agent: Agent) -> list[DataSection]:
    return [
        _monthly(agent),
        model_section("goals", _("Goals"), Goal, Goal.objects.filter(agent=agent).order_by("start", "id"),
                      ["title", ("kpi", _("KPI"), lambda g: str(g.kpi_label)), "target", "baseline", "start",
                       "end", "rationale"]),
        model_section("appraisals", _("Appraisals"), Appraisal,
                      Appraisal.objects.filter(agent=agent).select_related("cycle").order_by("cycle__start", "id"), [
                          ("cycle", _("appraisal cycle"), lambda a: a.cycle.name), "stage", "self_review",
                          "lead_review", "behaviour_rating", "score", "signed_at",
                      ]),
    ]


SOURCE = PersonalDataSource(
    label=_("Performance"),
    collect=collect,
    corrections=(CorrectionTopic("performance.records", _("KPIs, goals and appraisals"), APPROVER_LEAD),),
)
