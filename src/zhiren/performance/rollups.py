"""Rollups computed in the database: ``INSERT … SELECT … GROUP BY`` over the contacts.

Every write path (file import, REST bulk endpoint, demo) calls
:func:`refresh_days` with the days it touched; the days are deleted from the
rollup tables (daily by agent, team, queue and channel; 15-minute by team,
queue and channel; 15-minute by agent) and aggregated again from the
contacts. The summaries the dashboards read (:data:`SUMMARIES`: daily by team,
daily by team alone, monthly by team and by agent, 15-minute by site, the month's slots by site) are
then aggregated from those rollups, for the touched days and for every day of
the touched months, so every table always equals a from-scratch recomputation
(:func:`rebuild_all`). No contact is loaded into Python here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Sum, Value
from django.db.models import DateField as DateOutput
from django.db.models import DateTimeField as DateTimeOutput
from django.db.models.functions import Coalesce

from .kpis import REPEAT_WINDOW_DAYS, SHORT_ABANDON_SECONDS, SL_THRESHOLDS, SUM_FIELDS, fields_of
from .models import (
    AgentIntervalStat,
    AgentMonthStat,
    DailyStat,
    Interaction,
    IntervalStat,
    SiteIntervalStat,
    SiteSlotMonthStat,
    TeamDayStat,
    TeamDayTotal,
    TeamMonthStat,
)
from .months import month_end, months_of

DAY_CHUNK = 400  # days per ``IN`` list


def _answered_in_sl() -> Q:
    within = Q()
    for channel, seconds in SL_THRESHOLDS.items():
        within |= Q(channel=channel, wait_seconds__lte=seconds)
    return Q(abandoned=False) & within


def _zero(expr):
    return Coalesce(expr, Value(0))


def aggregates() -> dict:
    """The rollup sums as ORM aggregates, in ``SUM_FIELDS`` order."""
    answered = Q(abandoned=False)
    known_customer = answered & ~Q(customer_id="")
    aggs = {
        "offered": Count("id"),
        "short_abandoned": Count("id", filter=Q(abandoned=True, wait_seconds__lt=SHORT_ABANDON_SECONDS)),
        "abandoned": Count("id", filter=Q(abandoned=True)),
        "answered": Count("id", filter=answered),
        "answered_in_sl": Count("id", filter=_answered_in_sl()),
        "wait_sum": _zero(Sum("wait_seconds", filter=answered)),
        "handle_sum": _zero(Sum(F("talk_seconds") + F("hold_seconds") + F("acw_seconds"), filter=answered)),
        "talk_sum": _zero(Sum("talk_seconds", filter=answered)),
        "hold_sum": _zero(Sum("hold_seconds", filter=answered)),
        "acw_sum": _zero(Sum("acw_seconds", filter=answered)),
        "frt_count": Count("first_response_seconds"),
        "frt_sum": _zero(Sum("first_response_seconds")),
        "resolution_known": Count("id", filter=answered & Q(resolved__isnull=False)),
        "resolved": Count("id", filter=answered & Q(resolved=True)),
        "fcr_base": Count("id", filter=known_customer),
        "fcr_hits": Count(
            "id", filter=known_customer & Q(repeat_contact=False) & (Q(resolved__isnull=True) | Q(resolved=True))
        ),
        "transferred": Count("id", filter=answered & Q(transferred=True)),
        "csat_count": Count("csat"),
        "csat_top2": Count("id", filter=Q(csat__gte=4)),
        "csat_sum": _zero(Sum("csat")),
        "nps_count": Count("nps"),
        "nps_promoters": Count("id", filter=Q(nps__gte=9)),
        "nps_detractors": Count("id", filter=Q(nps__lte=6)),
    }
    assert tuple(aggs) == SUM_FIELDS
    return aggs


# Rows are written in the order of their dimensions, so that the rows a page reads together
# lie together on disk: a team's days (team page, goals), an agent's intervals (agent page).
# Team (agent) first also keeps PostgreSQL from preferring the day index for a team's
# period, as it does when the rows lie in day order (the day column then correlates).
DAILY_DIMENSIONS = (("team", "team_id"), ("day", "day"), ("agent", "agent_id"), ("queue", "queue"),
                    ("channel", "channel"))
INTERVAL_DIMENSIONS = (("day", "day"), ("team", "team_id"), ("slot", "slot"), ("queue", "queue"),
                       ("channel", "channel"))
AGENT_INTERVAL_DIMENSIONS = (("agent", "agent_id"), ("day", "day"), ("slot", "slot"), ("team", "team_id"),
                             ("queue", "queue"), ("channel", "channel"))
# The per-agent 15-minute rollup keeps only what the agent's intraday profile reads.
AGENT_INTERVAL_FIELDS = fields_of("volume", "aht")
# (model, dimensions, whether it holds handled contacts only: they have an agent, its sums)
ROLLUPS = (
    (DailyStat, DAILY_DIMENSIONS, False, SUM_FIELDS),
    (IntervalStat, INTERVAL_DIMENSIONS, False, SUM_FIELDS),
    (AgentIntervalStat, AGENT_INTERVAL_DIMENSIONS, True, AGENT_INTERVAL_FIELDS),
)


def _insert_rollups(contacts) -> None:
    every = aggregates()
    for model, dimensions, agents_only, fields in ROLLUPS:
        _insert_select(model, dimensions, contacts.filter(agent__isnull=False) if agents_only else contacts,
                       {name: every[name] for name in fields})


def _insert_select(model, dimensions, contacts, sums: dict | None = None) -> None:
    """``INSERT INTO model SELECT dimensions, sums … GROUP BY dimensions`` (``sums``: every KPI's, of
    the contacts, by default; the table's sum columns are the keys of ``sums``)."""
    sums = sums or aggregates()
    # Aliased so that an aggregate never shadows a field of the same name (``abandoned``).
    aggs = {f"sum_{name}": expr for name, expr in sums.items()}
    fields = [name for name, _column in dimensions]
    # Ordered by the first three dimensions only: they place the rows; sorting ties further by queue
    # and channel (text, compared by collation) would cost without changing where a page's rows lie.
    qs = contacts.order_by().values(*fields).annotate(**aggs).values_list(*fields, *aggs).order_by(*fields[:3])
    sql, params = qs.query.sql_with_params()
    columns = ", ".join(connection.ops.quote_name(c) for c in [col for _n, col in dimensions] + list(sums))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608 - compiled ORM SQL


# --- summaries: aggregated from the rollups above, never from the contacts ---------------------

def _resum() -> dict:
    """The rollup sums summed again (a summary of rollup rows), in ``SUM_FIELDS`` order."""
    return {name: Sum(name) for name in SUM_FIELDS}


# (model, source rows' model, dimensions as in ROLLUPS, annotations the dimensions need)
DAY_SUMMARIES = (
    (TeamDayStat, DailyStat, (("team", "team_id"), ("day", "day"), ("queue", "queue"), ("channel", "channel")), {}),
    (TeamDayTotal, DailyStat, (("team", "team_id"), ("day", "day")), {}),
    (SiteIntervalStat, IntervalStat, (("day", "day"), ("site", "site_id"), ("slot", "slot"), ("queue", "queue"),
                                      ("channel", "channel")), {"site": F("team__site")}),
)
# (model, source rows' model, dimensions besides the month, source filter)
MONTH_SUMMARIES = (
    (TeamMonthStat, TeamDayStat, (("team", "team_id"), ("queue", "queue"), ("channel", "channel")), Q()),
    (AgentMonthStat, DailyStat, (("team", "team_id"), ("agent", "agent_id"), ("queue", "queue"),
                                 ("channel", "channel")), Q(agent__isnull=False)),
    (SiteSlotMonthStat, SiteIntervalStat, (("site", "site_id"), ("slot", "slot"), ("queue", "queue"),
                                           ("channel", "channel")), Q()),
)
SUMMARIES = tuple(m for m, *_rest in DAY_SUMMARIES) + tuple(m for m, *_rest in MONTH_SUMMARIES)


def _insert_day_summaries(days_filter: Q) -> None:
    for model, source, dimensions, extra in DAY_SUMMARIES:
        _insert_select(model, dimensions, source.objects.filter(days_filter).annotate(**extra), _resum())


def _refresh_months(months: Iterable[date]) -> None:
    """Delete and aggregate again the month summaries of ``months`` from their days' rows, a month
    at a time (the month is a constant of the statement: no date function per row)."""
    for month in sorted(set(months)):
        for model, _source, _dimensions, _where in MONTH_SUMMARIES:
            model.objects.filter(month=month).delete()
        days = Q(day__gte=month, day__lte=month_end(month))
        for model, source, dimensions, where in MONTH_SUMMARIES:
            rows = source.objects.filter(days, where).annotate(month=Value(month, output_field=DateOutput()))
            _insert_select(model, (("month", "month"), *dimensions), rows, _resum())


def _chunks(days: list[date]) -> Iterable[list[date]]:
    for start in range(0, len(days), DAY_CHUNK):
        yield days[start : start + DAY_CHUNK]


def _later_contacts(window_days: int):
    """The same customer's contacts within the window after the outer contact."""
    return Interaction.objects.filter(
        customer_id=OuterRef("customer_id"),
        offered_at__gt=OuterRef("offered_at"),
        offered_at__lte=ExpressionWrapper(
            OuterRef("offered_at") + Value(timedelta(days=window_days)), output_field=DateTimeOutput()
        ),
    )


def refresh_repeat_flags(days: Iterable[date], window_days: int = REPEAT_WINDOW_DAYS) -> None:
    """Set ``repeat_contact`` on the contacts of ``days``: same customer again within the window.

    The later contacts are looked for only on the days a window can reach (a plain day range, one
    index scan): the database then matches customers in one hash join instead of one index probe
    per contact, and contacts need no index by customer. A window of N days ends at most N + 1 local
    days later (a daylight-saving change can move the local time by an hour).
    """
    for chunk in _chunks(sorted(set(days))):
        later = _later_contacts(window_days).filter(
            day__gte=chunk[0], day__lte=chunk[-1] + timedelta(days=window_days + 1)
        )
        _update_flags(Interaction.objects.filter(day__in=chunk), later)


def _update_flags(contacts, later) -> None:
    """Write only the flags that change (an UPDATE of an unchanged row still costs a new row version)."""
    known = contacts.exclude(customer_id="")
    known.filter(repeat_contact=False).filter(Exists(later)).update(repeat_contact=True)
    known.filter(repeat_contact=True).exclude(Exists(later)).update(repeat_contact=False)


def affected_days(days: Iterable[date], window_days: int = REPEAT_WINDOW_DAYS) -> set[date]:
    """The days whose figures a change on ``days`` can move: the days and the window before each
    (an earlier contact of the same customer may turn into a repeat)."""
    result: set[date] = set()
    for day in set(days):
        result.update(day - timedelta(days=n) for n in range(window_days + 1))
    return result


@transaction.atomic
def refresh_days(days: Iterable[date], window_days: int = REPEAT_WINDOW_DAYS) -> int:
    """Recompute repeat flags and every rollup of the days touched by a write. Returns the day count."""
    touched = sorted(affected_days(days, window_days))
    if not touched:
        return 0
    refresh_repeat_flags(touched, window_days)
    for chunk in _chunks(touched):
        for model in (*(m for m, *_rest in ROLLUPS), *(m for m, *_rest in DAY_SUMMARIES)):
            model.objects.filter(day__in=chunk).delete()
        _insert_rollups(Interaction.objects.filter(day__in=chunk))
        _insert_day_summaries(Q(day__in=chunk))
    _refresh_months(months_of(touched))
    return len(touched)


@transaction.atomic
def rebuild_all(window_days: int = REPEAT_WINDOW_DAYS) -> None:
    """Recompute everything from the contacts (repair, tests, after changing the window)."""
    _update_flags(Interaction.objects.all(), _later_contacts(window_days))
    for model in (*(m for m, *_rest in ROLLUPS), *SUMMARIES):
        model.objects.all().delete()
    _insert_rollups(Interaction.objects.all())
    _insert_day_summaries(Q())
    _refresh_months(months_of(DailyStat.objects.order_by().values_list("day", flat=True).distinct()))
