"""Reads of the performance data, always through the user's scope, in a fixed number of queries.

Who sees what:
- an agent: their own figures, and their team's *median* (never another agent's numbers);
- a lead, QA, trainer, HR, site manager, admin: the teams their roles cover
  (``zhiren.org.access``); a team or agent outside them is a 404.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import BigIntegerField, Count, DateField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.registries import MetricAsk, find_metric
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role, Team
from zhiren.org.scoping import covers_everything, get_or_404, get_visible_or_404

from . import kpis, metrics, months
from .kpis import KPIS, SUM_FIELDS
from .models import (
    AgentIntervalStat,
    AgentMonthStat,
    DailyStat,
    Goal,
    GoalLevel,
    IntervalStat,
    KpiTarget,
    SiteIntervalStat,
    SiteSlotMonthStat,
    TeamDayStat,
    TeamDayTotal,
    TeamMonthStat,
)

STAFF_ROLES = tuple(r for r in Role.values if r != Role.AGENT)
# Who reads appraisals and goals besides the agent: the lead who writes the review, HR, the site
# manager who calibrates across teams, administrators. Not QA or trainers: an appraisal carries an
# attendance score from discipline data, and reviews in the lead's own words.
APPRAISAL_ROLES = (Role.TEAM_LEAD, Role.HR, Role.SITE_MANAGER, Role.ADMIN)
PERIOD_CHOICES = (
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("month", _("This month")),
    ("last_month", _("Last month")),
)
SPARK_KPI = "csat"


# --- filters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    period: str = "30"
    channel: str = ""
    queue: str = ""

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def grain(self) -> str:
        """A trend's point: a day up to ``months.DAILY_TREND_MAX_DAYS`` days, a month beyond."""
        return months.grain_for(self.start, self.end)

    @property
    def buckets(self) -> list[date]:
        """The trend's points (days, or the first days of the months), in order."""
        return months.buckets(self.start, self.end, self.grain)

    def previous(self) -> Filters:
        span = (self.end - self.start).days + 1
        return replace(self, start=self.start - timedelta(days=span), end=self.start - timedelta(days=1))

    def as_query(self) -> dict[str, str]:
        result = {"period": self.period, "channel": self.channel, "queue": self.queue}
        if self.period == "custom":
            result.update({"from": self.start.isoformat(), "to": self.end.isoformat()})
        return {k: v for k, v in result.items() if v}


def period_range(period: str, today: date) -> tuple[date, date]:
    if period == "month":
        return today.replace(day=1), today
    if period == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    days = int(period) if period in ("7", "30", "90") else 30
    return today - timedelta(days=days - 1), today


def parse_filters(params, today: date | None = None) -> Filters:
    """Filters from a query string; bad values fall back to the defaults (last 30 days)."""
    today = today or timezone.localdate()
    period = params.get("period") or "30"
    start = end = None
    try:
        if params.get("from"):
            start = date.fromisoformat(params["from"])
        if params.get("to"):
            end = date.fromisoformat(params["to"])
    except ValueError:
        start = end = None
    if start and end and start <= end and (end - start).days <= 366:
        period = "custom"
    else:
        if period not in dict(PERIOD_CHOICES):
            period = "30"
        start, end = period_range(period, today)
    channel = params.get("channel") or ""
    if channel not in dict(kpis.SL_THRESHOLDS):
        channel = ""
    return Filters(start=start, end=end, period=period, channel=channel, queue=(params.get("queue") or "")[:60])


def _filtered(qs: QuerySet, flt: Filters) -> QuerySet:
    qs = qs.filter(day__gte=flt.start, day__lte=flt.end)
    if flt.channel:
        qs = qs.filter(channel=flt.channel)
    if flt.queue:
        qs = qs.filter(queue=flt.queue)
    return qs


class WholeSum(Sum):
    """``SUM`` of integer columns, read as the driver returns it: a Python ``int``.

    A plain ``Sum`` runs a Django converter (``int(value)``) on every value of every
    row, which is most of the Python time of a dashboard. SQLite already returns
    ints; PostgreSQL sums ``bigint`` as ``numeric``, so there the sum is cast back.
    """

    output_field = BigIntegerField()
    convert_value = staticmethod(Sum._convert_value_noop)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        return f"CAST({sql} AS bigint)", params


def _sums(fields: tuple[str, ...] = SUM_FIELDS) -> dict[str, Sum]:
    return {name: WholeSum(name) for name in fields}


# --- scope ---------------------------------------------------------------------------------


def is_staff(user) -> bool:
    return load_access(user).has_role(*STAFF_ROLES)


def scoped_stats(user) -> QuerySet[DailyStat]:
    """Daily rows the user may see: covered teams (the team at the time); an agent their own rows."""
    return DailyStat.objects.visible_to(user, STAFF_ROLES, via="team", own=True, own_via="agent")


def get_dashboard_team(user, pk) -> Team:
    """A team the user covers with a staff role (its lead, site manager, …); 404 otherwise."""
    return get_visible_or_404(Team.objects.select_related("site"), user, pk, STAFF_ROLES)


def get_dashboard_agent(user, pk) -> Agent:
    """The agent themself, or an agent of a covered team; 404 otherwise."""
    return get_visible_or_404(Agent.objects.select_related("team", "team__site"), user, pk, STAFF_ROLES, own=True)


def dashboard_teams(user) -> QuerySet[Team]:
    return Team.objects.select_related("site").order_by("site__code", "code").visible_to(user, STAFF_ROLES)


# --- targets --------------------------------------------------------------------------------


def targets_for(team_ids: list[int] | None = None) -> dict[int | None, dict[str, float]]:
    """Targets by team id (None: the defaults), code defaults overridden by ``KpiTarget`` rows (one query)."""
    defaults = {code: k.default_target for code, k in KPIS.items() if k.default_target is not None}
    result: dict[int | None, dict[str, float]] = {None: dict(defaults)}
    rows = KpiTarget.objects.all()
    if team_ids is not None:
        rows = rows.filter(Q(team__isnull=True) | Q(team_id__in=team_ids))
    overrides = list(rows)
    for row in overrides:
        if row.team_id is None:
            result[None][row.kpi] = row.value
    for row in overrides:
        if row.team_id is not None:
            result.setdefault(row.team_id, dict(result[None]))[row.kpi] = row.value
    return result


def target(targets, team_id, code):
    return targets.get(team_id, targets[None]).get(code)


TARGET_ROLES = (Role.SITE_MANAGER, Role.ADMIN)
TARGET_KPIS = tuple(code for code, k in KPIS.items() if k.unit != "count")


def target_teams(user) -> QuerySet[Team]:
    """Teams whose targets the user may edit (site managers: their sites; admins: all)."""
    return Team.objects.select_related("site").order_by("site__code", "code").visible_to(user, TARGET_ROLES)


def get_target_team(user, pk) -> Team:
    """A team whose targets the user may edit; 404 otherwise."""
    return get_or_404(target_teams(user), pk)


def target_overview(teams: list[Team]) -> dict[str, Any]:
    """Targets in force, a row per team: its own value or the default it falls back to (one query)."""
    targets = targets_for([t.pk for t in teams])
    defaults = targets[None]
    own: dict[int, set[str]] = defaultdict(set)
    for team_id, code in KpiTarget.objects.filter(team_id__in=[t.pk for t in teams]).values_list("team_id", "kpi"):
        own[team_id].add(code)

    def cell(values, code, is_own):
        value = values.get(code)
        return {"display": kpis.format_value(code, value) if value is not None else "—", "own": is_own}

    return {
        "kpi_columns": [KPIS[c] for c in TARGET_KPIS],
        "default_row": [
            cell(defaults, c, defaults.get(c) != KPIS[c].default_target) for c in TARGET_KPIS
        ],
        "team_rows": [
            {"team": t, "cells": [cell(targets.get(t.pk, defaults), c, c in own[t.pk]) for c in TARGET_KPIS]}
            for t in teams
        ],
    }


def target_values(team: Team | None) -> dict[str, float]:
    """The targets set on a team (or the defaults), without fallbacks: the edit form's initial values."""
    return dict(KpiTarget.objects.filter(team=team).values_list("kpi", "value"))


# --- the KPI table (export, tables) -----------------------------------------------------------


@dataclass
class KpiQuery:
    start: date
    end: date
    level: str = "agent"  # agent | team | queue
    period: str = "day"  # day | week | month | total
    team_ids: list[int] | None = None
    agent_id: int | None = None
    channel: str = ""
    queue: str = ""

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> KpiQuery:
        today = timezone.localdate()
        end = options.get("end") or today
        start = options.get("start") or end - timedelta(days=29)
        team = options.get("team")
        return cls(
            start=start,
            end=end,
            level=options.get("level", "agent"),
            period=options.get("period", "day"),
            team_ids=[int(team)] if team else None,
            agent_id=options.get("agent"),
            channel=options.get("channel", ""),
            queue=options.get("queue", ""),
        )


def kpi_table(user, query: KpiQuery) -> list[dict[str, Any]]:
    """KPI rows by level and period, scoped; ``user`` None is the system (command line)."""
    qs = DailyStat.objects.all() if user is None else scoped_stats(user)
    access = None if user is None else load_access(user)
    level = query.level
    if access is not None and not access.has_role(*STAFF_ROLES):
        level = "agent"  # an agent exports their own rows only (scoped_stats holds nothing else)
    qs = qs.filter(day__gte=query.start, day__lte=query.end)
    if query.team_ids is not None:
        qs = qs.filter(team_id__in=query.team_ids)
    if query.agent_id:
        qs = qs.filter(agent_id=query.agent_id)
    if query.channel:
        qs = qs.filter(channel=query.channel)
    if query.queue:
        qs = qs.filter(queue=query.queue)
    dims: list[str]
    if level == "agent":
        qs = qs.filter(agent__isnull=False)
        dims = ["agent", "agent__employee_no", "agent__name", "team__name"]
    elif level == "team":
        qs = qs.filter(team__isnull=False)
        dims = ["team", "team__name"]
    else:
        dims = ["queue"]
    if query.period == "week":
        qs = qs.annotate(bucket=TruncWeek("day"))
    elif query.period == "month":
        qs = qs.annotate(bucket=TruncMonth("day"))
    rows = []
    if query.period == "day":
        grouped = qs.order_by().values("day", *dims).annotate(**_sums()).order_by("day", *dims[:2])
        bucket_key = "day"
    elif query.period == "total":
        grouped = qs.order_by().values(*dims).annotate(**_sums()).order_by(*dims[:2])
        bucket_key = None
    else:
        grouped = qs.order_by().values("bucket", *dims).annotate(**_sums()).order_by("bucket", *dims[:2])
        bucket_key = "bucket"
    codes = kpis.AGENT_KPIS if level == "agent" else kpis.TEAM_KPIS if level == "team" else kpis.QUEUE_KPIS
    for row in grouped:
        bucket = row.get(bucket_key) if bucket_key else None
        if hasattr(bucket, "date"):
            bucket = bucket.date()
        period_label = (
            f"{query.start.isoformat()}–{query.end.isoformat()}" if bucket is None else bucket.isoformat()
        )
        rows.append(
            {
                "period": period_label,
                "team_name": row.get("team__name") or "",
                "employee_no": row.get("agent__employee_no") or "",
                "agent_name": row.get("agent__name") or "",
                "queue": row.get("queue") or "",
                "kpis": kpis.values(row, codes),
            }
        )
    return rows


# --- dashboards ---------------------------------------------------------------------------------
#
# Each page reads the smallest summary that answers it (docs/performance-kpis.md, "Summaries"):
# per agent and day for a team's or an agent's month or quarter; per agent and month for a year
# (months held whole from ``AgentMonthStat``, the days at the ends from ``DailyStat``); per team
# (``TeamDayStat``, ``TeamMonthStat``) and per site's 15-minute slot (``SiteIntervalStat``,
# ``SiteSlotMonthStat``) for the site overview. Rows come back as tuples ``(*keys, *sums)``; a
# key may come twice (a month's row and its edge days), so rows are merged before use.


def _series(buckets: list[date], by_bucket: dict[date, dict], code: str) -> list[float | None]:
    kpi = KPIS[code]
    return [None if d not in by_bucket else _rounded(kpi.value(by_bucket[d])) for d in buckets]


def _rounded(value):
    return None if value is None else round(value, 2)


def _by_range(day_rows: QuerySet, month_rows: QuerySet, flt: Filters, keys: tuple[str, ...],
              fields: tuple[str, ...], *, bucket: bool = True) -> list[tuple]:
    """``(*keys, bucket, *sums)`` tuples of ``fields`` over the period, in one query, merged by key.

    Day grain: the daily rows, by day. Month grain: the monthly rows of the months the period
    holds whole and the daily rows of the days at its ends, by month (each end lies in one month).
    ``bucket`` False: ``(*keys, *sums)``, the period's totals by ``keys`` alone (no keys: one row, or
    none without data), from the months and the ends.
    """
    sums = _sums(fields)
    day_rows = _filtered_by(day_rows, flt).order_by()
    if bucket and flt.grain == months.DAY:
        return list(
            day_rows.filter(day__gte=flt.start, day__lte=flt.end).values(*keys, "day").annotate(**sums)
            .values_list(*keys, "day", *fields)
        )
    split = months.split_by_month(flt.start, flt.end)
    parts = [
        _filtered_by(month_rows, flt).order_by().filter(month__in=split.months)
        .values(*keys, "month").annotate(**sums).values_list(*keys, "month", *fields)
    ]
    for first, last in split.edges:
        label = Value(months.month_start(first), output_field=DateField())
        parts.append(
            day_rows.filter(day__gte=first, day__lte=last).annotate(edge_month=label)
            .values(*keys, "edge_month").annotate(**sums).values_list(*keys, "edge_month", *fields)
        )
    rows = list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
    # Without keys a part has no GROUP BY: over no rows it still returns one row, of NULLs.
    rows = [row for row in rows if row[-1] is not None]
    if bucket:
        return _merge(rows, len(keys) + 1)
    width = len(keys)
    return _merge([(*row[:width], *row[width + 1 :]) for row in rows], width)


def _filtered_by(qs: QuerySet, flt: Filters) -> QuerySet:
    if flt.channel:
        qs = qs.filter(channel=flt.channel)
    if flt.queue:
        qs = qs.filter(queue=flt.queue)
    return qs


def _merge(rows: list[tuple], width: int) -> list[tuple]:
    """Rows with the same first ``width`` values (the key) summed column by column, in first-met order."""
    found: dict[tuple, list] = {}
    for row in rows:
        key = row[:width]
        if key in found:
            total = found[key]
            for i, value in enumerate(row[width:]):
                total[i] += value
        else:
            found[key] = list(row[width:])
    return [(*key, *values) for key, values in found.items()]


def _queue_options(parts: list[QuerySet]) -> dict[str, list[str]]:
    """The queues with rows in the period (one query: the parts' distinct queues, united)."""
    queries = [qs.order_by().values_list("queue", flat=True).distinct() for qs in parts]
    found = queries[0].union(*queries[1:]) if len(queries) > 1 else queries[0]
    return {"queues": sorted(q for q in found if q)}


def _summary_parts(day_rows: QuerySet, month_rows: QuerySet, flt: Filters) -> list[QuerySet]:
    """The period as summary rows: the months it holds whole and its end days."""
    split = months.split_by_month(flt.start, flt.end)
    return [month_rows.filter(month__in=split.months),
            *(day_rows.filter(day__gte=first, day__lte=last) for first, last in split.edges)]


def filter_options(qs: QuerySet[DailyStat], flt: Filters) -> dict[str, list[str]]:
    """The queues of ``qs``'s daily rows in the period (an agent's own rows: few)."""
    return _queue_options([qs.filter(day__gte=flt.start, day__lte=flt.end)])


def team_filter_options(team: Team, flt: Filters) -> dict[str, list[str]]:
    """The queues the team's agents answered in the period, from the team summaries."""
    return _queue_options(_summary_parts(TeamDayStat.objects.filter(team=team),
                                         TeamMonthStat.objects.filter(team=team), flt))


@dataclass
class AgentLine:
    agent: Agent
    kpis: dict[str, float | None]
    spark: list[float | None]
    gaps: dict[str, float | None] = field(default_factory=dict)
    worst_gap: float | None = None
    worst_kpi: str = ""
    spark_points: str = ""


TREND_KPIS = ("volume", "aht", "csat", "fcr")


def _agent_buckets(team_id: int, flt: Filters, fields: tuple[str, ...]) -> list[tuple]:
    """``(agent, bucket, *sums)`` of a team's agents over the period: by day, or by month for a long one."""
    return _by_range(DailyStat.objects.filter(team_id=team_id, agent__isnull=False),
                     AgentMonthStat.objects.filter(team_id=team_id), flt, ("agent",), fields)


def team_dashboard(user, team: Team, flt: Filters) -> dict[str, Any]:
    """The lead's team page: KPI cards vs target, trends, distribution, ranking with
    sparklines, the agents furthest below target, goals. Six queries whatever the data size.

    One query sums the period per agent and trend point (a day, or a month over a long
    period: about agents × points rows); the per-agent and per-point totals are column sums
    of those tuples. The previous period comes as one row from the team summaries, with only
    the fields the cards read.
    """
    rows = _agent_buckets(team.pk, flt, TEAM_PAGE_FIELDS)  # 1
    agents = list(Agent.objects.filter(team=team).order_by("employee_no"))  # 2
    targets = targets_for([team.pk])  # 3
    card_fields = kpis.fields_of(*kpis.TEAM_KPIS)
    team_days = TeamDayStat if flt.channel or flt.queue else TeamDayTotal
    before = _by_range(team_days.objects.filter(team=team), TeamMonthStat.objects.filter(team=team),
                       flt.previous(), (), card_fields, bucket=False)  # 4
    previous = dict(zip(card_fields, before[0], strict=True)) if before else {}
    by_agent: dict[int, list[tuple]] = defaultdict(list)
    by_bucket: dict[date, list[tuple]] = defaultdict(list)
    for row in rows:
        by_agent[row[0]].append(row)
        by_bucket[row[1]].append(row)
    per_agent = {a: _column_sums(rs) for a, rs in by_agent.items()}
    bucket_sums = {d: _column_sums(rs) for d, rs in by_bucket.items()}
    totals = _column_sums(rows)
    cards = _cards(kpis.TEAM_KPIS, totals, previous, lambda code: target(targets, team.pk, code))
    spark_kpi = KPIS[SPARK_KPI]
    buckets = flt.buckets
    lines: list[AgentLine] = []
    known = {a.pk for a in agents}
    for agent in agents:
        agent_rows = by_agent.get(agent.pk, [])
        if not agent_rows and agent.status == "left":
            continue
        spark = {r[1]: spark_kpi.value(dict(zip(TEAM_PAGE_FIELDS, r[2:], strict=True))) for r in agent_rows}
        line = AgentLine(agent, kpis.values(per_agent.get(agent.pk, _EMPTY), kpis.AGENT_KPIS),
                         [_rounded(spark.get(d)) for d in buckets])
        _rank_gaps(line, targets, team.pk)
        lines.append(line)
    lines.sort(key=lambda ln: (ln.kpis["volume"] is None, -(ln.kpis["volume"] or 0)))
    below = sorted((ln for ln in lines if ln.worst_gap and ln.worst_gap > 0), key=lambda ln: -ln.worst_gap)[:5]
    goals = goal_rows(user, team_id=team.pk, agent_ids=known)  # 5, 6
    return {
        "cards": cards,
        "trend": {
            "days": [d.isoformat() for d in buckets],
            "grain": flt.grain,
            **{code: _series(buckets, bucket_sums, code) for code in TREND_KPIS},
            "targets": {c: target(targets, team.pk, c) for c in ("aht", "csat", "fcr")},
        },
        "distribution": _histogram([ln.kpis["aht"] for ln in lines], step=60),
        "lines": lines,
        "below": below,
        "goals": goals,
        "has_data": bool(rows),
    }


# The fields the team page's KPIs read (the database sums no more).
TEAM_PAGE_FIELDS = kpis.fields_of(*kpis.TEAM_KPIS, *kpis.AGENT_KPIS, SPARK_KPI, *TREND_KPIS)
_EMPTY = dict.fromkeys(TEAM_PAGE_FIELDS, 0)


def _column_sums(rows: list[tuple], fields: tuple[str, ...] = TEAM_PAGE_FIELDS) -> dict[str, int]:
    """Totals of ``(agent, day, *sums)`` tuples holding ``fields`` (summed column by column)."""
    if not rows:
        return dict.fromkeys(fields, 0)
    # SUM over a group's rows is never NULL: the columns are NOT NULL.
    columns = list(zip(*rows, strict=True))[2:]
    return dict(zip(fields, map(sum, columns), strict=True))


def _rank_gaps(line: AgentLine, targets, team_id) -> None:
    """Relative shortfall against target per KPI (0.1 = 10 % short); the worst one is kept."""
    for code in ("aht", "csat", "fcr", "resolution_rate"):
        goal = target(targets, team_id, code)
        gap = KPIS[code].gap(line.kpis.get(code), goal)
        rel = None if gap is None or not goal else gap / goal
        line.gaps[code] = rel
        if rel is not None and (line.worst_gap is None or rel > line.worst_gap):
            line.worst_gap, line.worst_kpi = rel, code


def _histogram(items, step: float) -> dict[str, list]:
    present = [v for v in items if v is not None]
    if not present:
        return {"labels": [], "counts": []}
    low = int(min(present) // step * step)
    high = int(max(present) // step * step)
    labels, counts = [], []
    edge = low
    while edge <= high:
        labels.append(f"{edge:.0f}–{edge + step:.0f}")
        counts.append(sum(1 for v in present if edge <= v < edge + step))
        edge += step
    return {"labels": labels, "counts": counts}


def _cards(codes, totals, previous, target_of) -> list[dict[str, Any]]:
    cards = []
    for code in codes:
        kpi = KPIS[code]
        value = kpi.value(totals)
        before = kpi.value(previous)
        goal = target_of(code)
        cards.append(
            {
                "code": code,
                "label": kpi.label,
                "value": value,
                "display": kpis.format_value(code, value),
                "target": goal,
                "target_display": kpis.format_value(code, goal) if goal is not None else "",
                "meets": kpi.meets(value, goal),
                "change": None if value is None or before is None else value - before,
                "better": None if value is None or before is None or value == before
                else (value > before) == kpi.higher_is_better,
            }
        )
    return cards


AGENT_PAGE_FIELDS = kpis.fields_of(*kpis.AGENT_KPIS, *TREND_KPIS)  # what the agent page reads


def agent_dashboard(user, agent: Agent, flt: Filters) -> dict[str, Any]:
    """One agent's page: own figures and trend vs the team median (no other agent's numbers).

    One query sums the team's rows per agent and trend point (a day, or a month over a long
    period) over the fields the cards and trends read: the medians per point come from it,
    the medians of the cards from its column sums per agent. The agent's own days come
    whole, for the daily table (a year of one agent's days is a few hundred rows).
    """
    agent_points = _agent_buckets(agent.team_id, flt, AGENT_PAGE_FIELDS) if agent.team_id else []  # 1
    by_agent: dict[int, list[tuple]] = defaultdict(list)
    for row in agent_points:
        by_agent[row[0]].append(row)
    team_totals = [_column_sums(rs, AGENT_PAGE_FIELDS) for rs in by_agent.values()]
    trend_rows = [{"bucket": r[1], **dict(zip(AGENT_PAGE_FIELDS, r[2:], strict=True))} for r in agent_points]
    team_rows = _filtered(DailyStat.objects.filter(team_id=agent.team_id, agent__isnull=False), flt).order_by()
    own_sums = _sums(AGENT_PAGE_FIELDS)
    own_rows = list(team_rows.filter(agent=agent).values("day").annotate(**own_sums))  # 2
    own_team = agent.team_id
    # The agent's own rows may also sit under an earlier team.
    if not own_rows:
        own_team = None
        own_rows = list(
            _filtered(DailyStat.objects.filter(agent=agent), flt).order_by().values("day").annotate(**own_sums)
        )  # (3, only when the agent moved)
    targets = targets_for([agent.team_id])  # 3
    days = flt.days
    buckets = flt.buckets
    own_by_day = {r["day"]: r for r in own_rows}
    own_by_bucket: dict[date, dict[str, float]] = {}
    for day, row in own_by_day.items():
        key = months.bucket_of(day, flt.grain)
        own_by_bucket[key] = kpis.add_sums([own_by_bucket[key], row]) if key in own_by_bucket else row
    totals = kpis.add_sums(own_rows)
    trend: dict[str, Any] = {"days": [d.isoformat() for d in buckets], "grain": flt.grain}
    for code in TREND_KPIS:
        per_agent_point: dict[date, list[float | None]] = defaultdict(list)
        for r in trend_rows:
            per_agent_point[r["bucket"]].append(KPIS[code].value(r))
        trend[code] = _series(buckets, own_by_bucket, code)
        trend[f"{code}_median"] = [_rounded(kpis.median_or_none(per_agent_point.get(d, []))) for d in buckets]
    medians = {code: kpis.median_or_none(KPIS[code].value(s) for s in team_totals) for code in kpis.AGENT_KPIS}
    cards = _cards(kpis.AGENT_KPIS, totals, {}, lambda code: target(targets, agent.team_id, code))
    for card in cards:
        card["median"] = medians.get(card["code"])
        card["median_display"] = kpis.format_value(card["code"], card["median"])
        card["change"] = card["better"] = None
    goals = goal_rows(user, agent_ids={agent.pk})  # 4, 5
    intraday = agent_intraday(agent, flt, own_team, days_worked=len(own_by_day))  # 6
    daily = [
        {"day": d, "kpis": kpis.values(own_by_day[d], kpis.AGENT_KPIS)} for d in reversed(days) if d in own_by_day
    ]
    return {"cards": cards, "trend": trend, "goals": goals, "daily": daily, "intraday": intraday,
            "has_data": bool(own_rows)}


INTRADAY_KPIS = ("volume", "aht")
HALF_HOURS = 48


def agent_intraday(agent: Agent, flt: Filters, team_id: int | None, days_worked: int) -> dict[str, Any]:
    """The agent's day by half-hour over the period, from the per-agent 15-minute rollup
    (two intervals summed by the database): contacts handled per day worked, and AHT.
    ``team_id``: only the rows under that team (None: all of the agent's rows). Shows the
    hours with contacts, 08:00–20:00 at least."""
    rows = _filtered(AgentIntervalStat.objects.filter(agent=agent), flt)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    by_half = {
        r["half"]: r
        for r in rows.order_by().annotate(half=F("slot") / 2).values("half")
        .annotate(**_sums(kpis.fields_of(*INTRADAY_KPIS)))
    }
    days_worked = max(1, days_worked)
    first = min([16, *by_half])
    last = max([39, *by_half])
    halves = range(first, last + 1)
    return {
        "slots": [f"{h // 2:02d}:{h % 2 * 30:02d}" for h in halves],
        "volume": [round(by_half[h]["answered"] / days_worked, 2) if h in by_half else 0 for h in halves],
        "aht": [_rounded(KPIS["aht"].value(by_half[h])) if h in by_half else None for h in halves],
        "days": days_worked,
    }


# What the overview reads: the database sums these fields only.
OVERVIEW_TEAM_FIELDS = kpis.fields_of(*kpis.TEAM_KPIS)  # the team table and the trends
OVERVIEW_QUEUE_FIELDS = kpis.fields_of(*kpis.QUEUE_KPIS)
OVERVIEW_SLOT_FIELDS = kpis.fields_of("offered", "service_level")


def _named(rows: list[tuple], width: int, fields: tuple[str, ...]) -> list[tuple[tuple, dict[str, int]]]:
    return [(row[:width], dict(zip(fields, row[width:], strict=True))) for row in rows]


def _partly_covered_sites(teams: list[Team]) -> set[int]:
    """Sites of which the user covers some teams but not all (one query)."""
    site_ids = {t.site_id for t in teams}
    return set(
        Team.objects.filter(site_id__in=site_ids).exclude(pk__in=[t.pk for t in teams])
        .order_by().values_list("site_id", flat=True).distinct()
    )


def _slot_rows(flt: Filters, everything: bool, teams: list[Team], served: Q) -> list[tuple]:
    """``(slot, *sums)`` over the period, in one query: the site profiles of the sites the user
    covers whole (the months the period holds whole, its end days), and the teams' own
    15-minute rows for a site covered in part. Contacts nobody handled belong to no site:
    those of the queues the covered teams served (everything: all of them)."""
    fields = OVERVIEW_SLOT_FIELDS
    sums = _sums(fields)
    partly = set() if everything else _partly_covered_sites(teams)  # (one query)
    whole_sites = {t.site_id for t in teams} - partly
    site_cond = Q() if everything else Q(site_id__in=whole_sites) | (Q(site__isnull=True) & served)
    split = months.split_by_month(flt.start, flt.end)
    parts = [
        _filtered_by(SiteSlotMonthStat.objects.filter(site_cond, month__in=split.months), flt),
        *(_filtered_by(SiteIntervalStat.objects.filter(site_cond, day__gte=first, day__lte=last), flt)
          for first, last in split.edges),
    ]
    partial_teams = [t.pk for t in teams if t.site_id in partly]
    if partial_teams:
        parts.append(_filtered(IntervalStat.objects.filter(team_id__in=partial_teams), flt))
    queries = [qs.order_by().values("slot").annotate(**sums).values_list("slot", *fields) for qs in parts]
    return _merge(list(queries[0].union(*queries[1:], all=True)) if len(queries) > 1 else list(queries[0]), 1)


def _served_pairs(team_days: QuerySet, team_months: QuerySet, flt: Filters) -> set[tuple[str, str]]:
    """The (queue, channel) pairs of the covered teams' summary rows in the period (one query):
    the queue filter's choices, and which contacts without a team the overview counts."""
    queries = [qs.order_by().values_list("queue", "channel").distinct()
               for qs in _summary_parts(team_days, team_months, flt)]
    return set(queries[0].union(*queries[1:]) if len(queries) > 1 else queries[0])


def _served_queues(pairs: set[tuple[str, str]], flt: Filters) -> list[str]:
    """The queues the covered teams served under the channel and queue picked."""
    return sorted({queue for queue, channel in pairs
                   if (not flt.channel or channel == flt.channel) and (not flt.queue or queue == flt.queue)})


OVERVIEW_TREND_FIELDS = kpis.fields_of("volume", "csat", "aht")  # the site's trend lines
OVERVIEW_SERIES_FIELDS = kpis.fields_of("csat")  # a line per team


def overview(user, flt: Filters) -> dict[str, Any]:
    """Site manager's view across the teams they cover: team table, trend, queues, intraday profile,
    the queue filter's choices. Nine queries, from the team and site summaries (never the agents'
    rows); the database sums each part at the grain it is shown (per team; per trend point; per
    team and point only the CSAT line's two fields), and the queues the teams served are looked up
    once, as a list, for the queue table, the intraday profile and the filter."""
    teams = list(dashboard_teams(user))  # 1
    team_ids = [t.pk for t in teams]
    everything = covers_everything(user, STAFF_ROLES)
    team_days = TeamDayStat.objects.visible_to(user, STAFF_ROLES, via="team")
    team_months = TeamMonthStat.objects.visible_to(user, STAFF_ROLES, via="team")
    pairs = _served_pairs(team_days, team_months, flt)  # 2
    # No queue or channel picked: the teams' daily totals (a row per team and day) serve.
    totals = team_days if flt.channel or flt.queue else TeamDayTotal.objects.visible_to(user, STAFF_ROLES, via="team")
    totals, months_rows = totals.filter(team__isnull=False), team_months.filter(team__isnull=False)
    by_team = _by_range(totals, months_rows, flt, ("team",), OVERVIEW_TEAM_FIELDS, bucket=False)  # 3
    by_bucket = _by_range(totals, months_rows, flt, (), OVERVIEW_TREND_FIELDS)  # 4
    team_points = _by_range(totals, months_rows, flt, ("team",), OVERVIEW_SERIES_FIELDS)  # 5
    targets = targets_for(team_ids)  # 6
    queue_days, queue_months = TeamDayStat.objects.all(), TeamMonthStat.objects.all()
    served = Q()
    if not everything:  # rows without a team: those of the queues the covered teams served in the period
        served = Q(queue__in=_served_queues(pairs, flt))
        scope = Q(team_id__in=team_ids) | (Q(team__isnull=True) & served)
        queue_days, queue_months = queue_days.filter(scope), queue_months.filter(scope)
    queues = _by_range(queue_days, queue_months, flt, ("queue",), OVERVIEW_QUEUE_FIELDS, bucket=False)  # 7
    queues.sort(key=lambda r: r[0])
    slots = _slot_rows(flt, everything, teams, served)  # 8, 9
    buckets = flt.buckets
    team_sums = {r[0]: dict(zip(OVERVIEW_TEAM_FIELDS, r[1:], strict=True)) for r in by_team}
    series: dict[int, dict[date, dict[str, int]]] = defaultdict(dict)
    for row in team_points:
        series[row[0]][row[1]] = dict(zip(OVERVIEW_SERIES_FIELDS, row[2:], strict=True))
    empty = dict.fromkeys(OVERVIEW_TEAM_FIELDS, 0)
    team_rows = []
    team_series = []
    for team in teams:
        values = kpis.values(team_sums.get(team.pk, empty), kpis.TEAM_KPIS)
        team_rows.append(
            {
                "team": team,
                "kpis": values,
                "meets": {c: KPIS[c].meets(values[c], target(targets, team.pk, c)) for c in kpis.TEAM_KPIS},
            }
        )
        team_series.append({"name": team.name, "csat": _series(buckets, series.get(team.pk, {}), "csat")})
    bucket_sums = {r[0]: dict(zip(OVERVIEW_TREND_FIELDS, r[1:], strict=True)) for r in by_bucket}
    queue_sums = [dict(zip(OVERVIEW_QUEUE_FIELDS, r[1:], strict=True)) for r in queues]
    all_sums = kpis.add_sums(queue_sums)
    queue_rows = [{"queue": r[0] or "—", "kpis": kpis.values(s, kpis.QUEUE_KPIS)} for r, s in zip(queues, queue_sums,
                                                                                                 strict=True)]
    n_days = max(1, len(flt.days))
    slot_by = {r[0]: dict(zip(OVERVIEW_SLOT_FIELDS, r[1:], strict=True)) for r in slots}
    return {
        "cards": _cards(kpis.QUEUE_KPIS, all_sums, {}, lambda code: target(targets, None, code)),
        "teams": team_rows,
        "queues": queue_rows,
        "queue_options": sorted({queue for queue, _channel in pairs if queue}),
        "trend": {
            "days": [d.isoformat() for d in buckets],
            "grain": flt.grain,
            "volume": _series(buckets, bucket_sums, "volume"),
            "csat": _series(buckets, bucket_sums, "csat"),
            "aht": _series(buckets, bucket_sums, "aht"),
            "teams": team_series,
        },
        "intraday": {
            "slots": [f"{s // 4:02d}:{s % 4 * 15:02d}" for s in range(96)],
            "offered": [round(slot_by[s]["offered"] / n_days, 2) if s in slot_by else 0 for s in range(96)],
            "service_level": [_rounded(KPIS["service_level"].value(slot_by[s])) if s in slot_by else None
                              for s in range(96)],
        },
        "has_data": bool(by_team or queues),
    }


# --- goals --------------------------------------------------------------------------------------


def visible_goals(user) -> QuerySet[Goal]:
    """Goals of covered teams, of their agents, of their sites, and the user's own."""
    qs = Goal.objects.select_related("agent", "team", "site", "owner", "parent")
    if covers_everything(user, APPRAISAL_ROLES):
        return qs
    sites = Team.objects.visible_to(user, APPRAISAL_ROLES).values("site_id")
    return (
        qs.visible_to(user, APPRAISAL_ROLES, via="team")
        | qs.visible_to(user, APPRAISAL_ROLES, via="agent", own=True)
        | qs.filter(level=GoalLevel.SITE, site_id__in=sites)
    )


def get_visible_goal(user, pk) -> Goal:
    return get_or_404(visible_goals(user), pk)


def goal_rows(user, *, team_id=None, agent_ids=None, goals=None, today: date | None = None) -> list[dict]:
    """Goals with their progress, in two queries (goals, then the daily rows behind all of them)."""
    if goals is None:
        qs = visible_goals(user) if user is not None else Goal.objects.select_related("agent", "team", "site", "owner")
        if team_id is not None or agent_ids is not None:
            cond = Q()
            if team_id is not None:
                cond |= Q(team_id=team_id) | Q(agent__team_id=team_id)
            if agent_ids:
                cond |= Q(agent_id__in=agent_ids)
            qs = qs.filter(cond)
        goals = list(qs.order_by("end", "title"))
    return goal_progress(goals, today)


def _goal_rows_condition(goal: Goal) -> Q | None:
    """The daily rows behind a goal's subject (None: the goal names no subject)."""
    if goal.level == GoalLevel.AGENT and goal.agent_id:
        return Q(agent_id=goal.agent_id)
    if goal.level == GoalLevel.TEAM and goal.team_id:
        return Q(team_id=goal.team_id)
    if goal.level == GoalLevel.SITE and goal.site_id:
        # team ids rather than a join, so that the (team, day) index serves the condition
        return Q(team_id__in=Team.objects.filter(site_id=goal.site_id).values("pk"))
    return None


def _registered_value(goal: Goal, today: date) -> dict[str, Any]:
    """What to ask a metric's source for a goal: its subject over its period so far (None: nothing to ask)."""
    subject_id = {GoalLevel.AGENT: goal.agent_id, GoalLevel.TEAM: goal.team_id, GoalLevel.SITE: goal.site_id}.get(
        goal.level)
    last = min(goal.end, today)
    ask = None if subject_id is None or last < goal.start else MetricAsk(goal.kpi, goal.level, subject_id,
                                                                          goal.start, last)
    return {"ask": ask, "value": None}


def _measure_registered(items: dict[int, dict[str, Any]]) -> None:
    """Fill each item's ``value`` from its metric's source: one ``measure`` call per source."""
    by_source: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
    for item in items.values():
        if item["ask"] is None:
            continue
        found = find_metric(item["ask"].code)
        if found is not None:
            by_source.setdefault(id(found[0]), (found[0], []))[1].append(item)
    for source, asked in by_source.values():
        for item, value in zip(asked, source.measure([i["ask"] for i in asked]), strict=True):
            item["value"] = value


def goal_progress(goals: list[Goal], today: date | None = None) -> list[dict]:
    """Each goal assessed on its period so far, with ``volume``: the KPI's denominator over
    that period (what a cascade weighs the goal's target by).

    One query for the KPIs: the database sums, for every goal, only the fields its KPI
    reads over its own subject and days (``SUM … FILTER``), in one scan of the rows any
    goal needs. Goals on another app's metric (``metrics.is_registered``: the QA score …)
    are measured by its ``kpi_sources`` entry, one call per source for all its goals.
    """
    from .goals import assess

    today = today or timezone.localdate()
    if not goals:
        return []
    registered = {n: _registered_value(goal, today) for n, goal in enumerate(goals) if metrics.is_registered(goal.kpi)}
    _measure_registered(registered)
    aggregates: dict[str, Any] = {}
    scope = Q()
    conditions = {}
    for n, goal in enumerate(goals):
        if n in registered:
            continue
        subject = _goal_rows_condition(goal)
        last = min(goal.end, today)
        if subject is None or last < goal.start:
            continue
        cond = subject & Q(day__gte=goal.start, day__lte=last)
        conditions[n] = cond
        scope |= cond
        aggregates[f"g{n}_rows"] = Count("id", filter=cond)
        for name in kpis.fields_of(goal.kpi):
            aggregates[f"g{n}_{name}"] = WholeSum(name, filter=cond)
    totals = DailyStat.objects.filter(scope, agent__isnull=False).aggregate(**aggregates) if aggregates else {}
    result = []
    for n, goal in enumerate(goals):
        if n in registered:
            measured = registered[n]["value"]
            actual = None if measured is None else measured.value
            result.append({**assess(goal, actual, today), "volume": 0.0 if measured is None else measured.volume})
            continue
        found = n in conditions and bool(totals.get(f"g{n}_rows"))
        sums = {name: totals.get(f"g{n}_{name}") or 0 for name in kpis.fields_of(goal.kpi)} if found else {}
        actual = KPIS[goal.kpi].value(sums) if found else None
        result.append({**assess(goal, actual, today), "volume": KPIS[goal.kpi].weight(sums)})
    return result
