"""``zhiren import interactions FILE [--mapping NAME]`` and ``zhiren export kpis …``.

The interaction import is a spec on the shared framework (``zhiren.imports``):
the framework reads the file (CSV in any encoding, XLSX), matches headers,
reports errors by row and column, dry-runs and commits all rows or none; this
module says what the columns are, matches agents by employee number and, after
the rows are written, refreshes the rollups of the days they touched.
"""

from __future__ import annotations

import copy
import dataclasses
import zoneinfo
from datetime import date
from itertools import repeat
from operator import attrgetter, methodcaller
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhiren.accounts.naming import display_name
from zhiren.imports.cells import as_text, choice, choice_lookup, choices_with_aliases, text
from zhiren.imports.errors import CellError
from zhiren.imports.importers import CHANNEL_ALIASES
from zhiren.imports.registry import register_export, register_import
from zhiren.imports.rows import RowColumns
from zhiren.imports.spec import (
    Column,
    ExportColumn,
    ExportContext,
    ExportSpec,
    ImportContext,
    ImportSpec,
)
from zhiren.org.models import Agent, Channel, Role
from zhiren.org.scoping import coverage

from . import parsing
from .bulk import COLUMNS as ROW_COLUMNS
from .bulk import DEFAULTS, bulk_insert_rows
from .kpis import KPIS
from .models import Interaction

IMPORT_ROLES = (Role.SITE_MANAGER, Role.ADMIN)

# Built-in column mappings ("presets"): the headers of a generic Chinese and a
# generic English ACD / chat / ticket export. Both are always accepted; naming
# one with --mapping only documents which system the file came from.
PRESETS: dict[str, dict[str, str]] = {
    "generic-zh": {
        "工单号": "external_id", "渠道": "channel", "技能组": "queue", "工号": "agent", "坐席": "agent_name",
        "客户ID": "customer_id", "进线时间": "offered_at", "接起时间": "answered_at", "挂断时间": "ended_at",
        "排队时长": "wait_seconds", "通话时长": "talk_seconds", "保持时长": "hold_seconds",
        "话后处理时长": "acw_seconds", "首次响应时长": "first_response_seconds", "是否放弃": "abandoned",
        "是否转接": "transferred", "是否解决": "resolved", "满意度": "csat", "推荐度": "nps",
    },
    "generic-en": {
        "Contact ID": "external_id", "Channel": "channel", "Queue": "queue", "Agent ID": "agent",
        "Agent name": "agent_name", "Customer ID": "customer_id", "Offered at": "offered_at",
        "Answered at": "answered_at", "Ended at": "ended_at", "Wait time": "wait_seconds",
        "Talk time": "talk_seconds", "Hold time": "hold_seconds", "After-call work": "acw_seconds",
        "First response time": "first_response_seconds", "Abandoned": "abandoned", "Transferred": "transferred",
        "Resolved": "resolved", "CSAT": "csat", "NPS": "nps",
    },
}

# The presets as the pages name them.
PRESET_LABELS = {
    "generic-zh": _("Generic export, Chinese headers"),
    "generic-en": _("Generic export, English headers"),
}


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def parse_agent(value: Any, context: ImportContext) -> int:
    raw = as_text(value)
    found = context.cache["agents"].get(raw)
    if found is None:
        raise CellError(
            _("Unknown employee number “%(value)s”, or an agent of a team you may not import for.") % {"value": raw}
        )
    return found[0]


def _employee_no(agent_id: int | None) -> str:
    """The agent as a preview shows it: the employee number the file gave, not the internal id."""
    if agent_id is None:
        return ""
    number = Agent.objects.filter(pk=agent_id).values_list("employee_no", flat=True).first()
    return number or str(agent_id)


# Parses a cell, and a column's distinct texts at once (``parse_texts``, see zhiren.imports.validation).
_datetime = parsing.datetime_parser(_tz())


CHANNEL_IMPORT_ALIASES = {
    **CHANNEL_ALIASES,
    Channel.VOICE: [*CHANNEL_ALIASES[Channel.VOICE], "呼叫", "来电", "inbound", "热线电话"],
    Channel.CHAT: [*CHANNEL_ALIASES[Channel.CHAT], "会话", "微信", "webchat", "messaging"],
}

COLUMNS = (
    Column("external_id", _("Contact ID"),
           ("工单号", "会话ID", "通话ID", "呼叫ID", "流水号", "记录ID", "录音编号", "Call ID", "Interaction ID",
            "Ticket ID", "Session ID"),
           required=True, parse=text(max_length=64)),
    Column("channel", _("Channel"), ("渠道", "渠道类型", "媒体类型", "接入渠道", "Media", "Media type"),
           parse=choice(lambda: choice_lookup(choices_with_aliases(Channel, CHANNEL_IMPORT_ALIASES))),
           blank_keeps=True),
    Column("queue", _("Queue"), ("技能组", "队列", "业务线", "技能队列", "Skill group", "Skill", "Split"),
           parse=text(max_length=60), blank_value=""),
    Column("agent", _("Employee number"),
           ("工号", "坐席工号", "客服工号", "员工工号", "Agent ID", "Agent no", "Employee no", "Login ID"),
           parse=parse_agent, attr="agent_id", display=lambda v: _employee_no(v)),
    Column("customer_id", _("Customer ID"),
           ("客户ID", "客户编号", "客户号", "会员ID", "用户ID", "主叫号码", "来电号码", "Customer", "Caller", "ANI"),
           parse=text(max_length=64), blank_value=""),
    Column("offered_at", _("Offered at"),
           ("进线时间", "来电时间", "呼入时间", "开始时间", "会话开始时间", "创建时间", "Start time", "Created at",
            "Arrival time"),
           required=True, parse=_datetime),
    Column("answered_at", _("Answered at"), ("接起时间", "应答时间", "接通时间", "接入时间", "Answer time"),
           parse=_datetime),
    Column("ended_at", _("Ended at"), ("挂断时间", "结束时间", "会话结束时间", "End time", "Closed at"),
           parse=_datetime),
    Column("wait_seconds", _("Wait time"), ("排队时长", "等待时长", "排队时间", "Queue time", "Wait seconds"),
           parse=parsing.duration, blank_keeps=True),
    Column("talk_seconds", _("Talk time"), ("通话时长", "会话时长", "处理时长", "Talk seconds", "Handle time"),
           parse=parsing.duration, blank_value=0),
    Column("hold_seconds", _("Hold time"), ("保持时长", "Hold seconds"), parse=parsing.duration, blank_value=0),
    Column("acw_seconds", _("After-call work"),
           ("话后处理时长", "话后时长", "整理时长", "事后处理时长", "ACW", "Wrap time", "Wrap-up time"),
           parse=parsing.duration, blank_value=0),
    Column("first_response_seconds", _("First response time"),
           ("首次响应时长", "首响时长", "首次响应时间", "首响时间", "FRT"), parse=parsing.duration),
    Column("abandoned", _("Abandoned"), ("是否放弃", "放弃", "呼损", "是否呼损", "Abandon"),
           parse=parsing.yes_no, blank_keeps=True),
    Column("transferred", _("Transferred"), ("是否转接", "转接", "Transfer"), parse=parsing.yes_no,
           blank_value=False),
    Column("resolved", _("Resolved"), ("是否解决", "解决状态", "已解决", "Resolution", "Solved"),
           parse=parsing.yes_no),
    Column("csat", _("CSAT"), ("满意度", "满意度评分", "满意度评价", "评价", "客户满意度", "Satisfaction",
                                "Customer satisfaction", "Rating"), parse=parsing.csat),
    Column("nps", _("NPS"), ("推荐度", "推荐意愿", "NPS评分", "Recommend", "Likelihood to recommend"),
           parse=parsing.nps),
)
FIELD_KEYS = [c.key for c in COLUMNS]


class InteractionImport(ImportSpec):
    kind = "interactions"
    label = _("interactions")
    model = Interaction
    key = "external_id"
    existing_fields = ("team_id",)  # read by check_existing (re-imports read only what they compare)
    columns = COLUMNS
    ignored_headers = ("坐席", "坐席姓名", "客服姓名", "姓名", "Agent name", "Agent", "班组", "Team")
    batch_size = 2000
    mapping_name = ""

    def may_import(self, access) -> bool:
        return access.has_role(*IMPORT_ROLES)

    # --- column mappings -------------------------------------------------------------

    def with_options(self, options):
        name = (options or {}).get("mapping")
        if not name:
            return self
        headers = mapping_headers(name)
        configured = copy.copy(self)
        extra: dict[str, list[str]] = {}
        ignored = list(self.ignored_headers)
        for header, key in headers.items():
            if key in FIELD_KEYS:
                extra.setdefault(key, []).append(header)
            else:  # mapped to nothing (or to a field we do not keep): read past silently
                ignored.append(header)
        configured.columns = tuple(
            dataclasses.replace(c, aliases=(*c.aliases, *extra.get(c.key, ()))) for c in self.columns
        )
        configured.ignored_headers = tuple(ignored)
        configured.mapping_name = name
        configured.__dict__.pop("_header_aliases", None)
        return configured

    # --- reference data and checks --------------------------------------------------------

    def prepare(self, context: ImportContext) -> None:
        agents = Agent.objects.all()
        if not context.is_system:
            agents = agents.visible_to(context.user, IMPORT_ROLES)
        rows = agents.values_list("id", "employee_no", "team_id")
        context.cache["agents"] = {no: (pk, team) for pk, no, team in rows}
        context.cache["team_of"] = dict(context.cache["agents"].values())
        context.cache["tz"] = _tz()
        context.cache["days"] = set()
        if not context.is_system:
            context.cache["coverage"] = coverage(context.user, IMPORT_ROLES)

    def check_columns(self, columns: dict[str, list[Any]], context: ImportContext):
        offered = columns["offered_at"]
        answered = columns.get("answered_at")
        ended = columns.get("ended_at")
        if answered is not None:
            message = _("Answered before it was offered.")
            for i, (a, o) in enumerate(zip(answered, offered, strict=True)):
                if a is not None and a < o:
                    yield i, "answered_at", message
        if ended is not None:
            message = _("Ended before it was offered or answered.")
            started = offered if answered is None else [a or o for a, o in zip(answered, offered, strict=True)]
            for i, (e, s) in enumerate(zip(ended, started, strict=True)):
                if e is not None and e < s:
                    yield i, "ended_at", message
        agents = columns.get("agent")
        unassigned = range(len(offered)) if agents is None else [i for i, a in enumerate(agents) if a is None]
        if unassigned:
            message = _("A contact that was not abandoned needs the agent's employee number.")
            abandoned = _abandoned_column(columns, len(offered))
            for i in unassigned:
                if not abandoned[i]:
                    yield i, "agent", message

    def check_existing(self, obj, values, context):
        covered = context.cache.get("coverage")
        if covered is not None and obj.team_id is not None and not covered.covers(obj.team_id):
            yield "external_id", _("This contact belongs to a team you may not import for.")

    # --- writes ------------------------------------------------------------------------

    def existing_queryset(self, context: ImportContext):
        return Interaction.objects.all()

    def build_columns(self, columns: dict[str, list[Any]], count: int, context: ImportContext) -> RowColumns:
        """New contacts as row tuples (``bulk.COLUMNS`` order), column by column: no model instances, for speed.

        Derived here: the local day and 15-minute slot of the offer, the agent's team, and (when the file
        has no such column) whether the contact was abandoned and how long it waited.
        """
        tz = context.cache["tz"]
        team_of = context.cache["team_of"]
        out: list[Any] = [[DEFAULTS[name]] * count for name in ROW_COLUMNS]
        for column in self.columns:
            values = columns.get(column.key)
            if values is not None:
                out[_INDEX[column.target]] = values
        offered = columns["offered_at"]
        local = offered if set(map(_tzinfo, offered)) == {tz} else [o.astimezone(tz) for o in offered]
        out[_DAY] = days = list(map(_date, local))
        out[_SLOT] = [d.hour * 4 + d.minute // 15 for d in local]
        agents = columns.get("agent")
        out[_TEAM] = [None] * count if agents is None else list(map(team_of.get, agents))
        if "abandoned" not in columns:
            out[_ABANDONED] = abandoned = _abandoned_column(columns, count)
        else:
            abandoned = columns["abandoned"]
        if "wait_seconds" not in columns:
            answered, ended = columns.get("answered_at"), columns.get("ended_at")
            out[_WAIT] = list(map(_wait, offered, answered or repeat(None), ended or repeat(None), abandoned))
        context.cache["days"].update(days)
        return RowColumns(out, count)

    def apply(self, obj, changes, context) -> None:
        context.cache["days"].add(obj.day)
        super().apply(obj, changes, context)
        self._derive(obj, changes, context)

    def update_fields(self, changed_keys):
        return sorted(set(super().update_fields(changed_keys)) | {"day", "slot", "team", "abandoned", "wait_seconds"})

    def _derive(self, obj: Interaction, values: dict[str, Any], context: ImportContext) -> None:
        local = obj.offered_at.astimezone(context.cache["tz"])
        obj.day = local.date()
        obj.slot = (local.hour * 60 + local.minute) // 15
        obj.team_id = context.cache["team_of"].get(obj.agent_id)
        if "abandoned" not in values and obj.pk is None:
            obj.abandoned = _abandoned(values)
        if "wait_seconds" not in values and obj.pk is None:
            obj.wait_seconds = _derived_wait(obj)
        context.cache["days"].add(obj.day)

    def create(self, rows, context) -> None:
        bulk_insert_rows(rows, self.batch_size)

    def after_write(self, plan, context: ImportContext) -> None:
        from .rollups import refresh_days

        refresh_days(context.cache["days"])


def _abandoned_column(columns: dict[str, list[Any]], count: int) -> list[bool]:
    """Whether each contact was abandoned: as the file says, else answered by nobody (see ``_abandoned``)."""
    agents = columns.get("agent") or [None] * count
    answered = columns.get("answered_at")
    derived = (
        [agent is None for agent in agents] if answered is None
        else [a is None and agent is None for a, agent in zip(answered, agents, strict=True)]
    )
    given = columns.get("abandoned")
    if given is None:
        return derived
    return [d if g is None else g for g, d in zip(given, derived, strict=True)]


def _abandoned(values: dict[str, Any]) -> bool:
    if values.get("abandoned") is not None:
        return values["abandoned"]
    if "answered_at" in values:
        return values["answered_at"] is None and values.get("agent") is None
    return values.get("agent") is None


def _derived_wait(obj: Interaction) -> int:
    return _wait(obj.offered_at, obj.answered_at, obj.ended_at, obj.abandoned)


def _wait(offered, answered, ended, abandoned) -> int:
    if answered is not None:
        return max(0, int((answered - offered).total_seconds()))
    if abandoned and ended is not None:
        return max(0, int((ended - offered).total_seconds()))
    return 0


_INDEX = {name: i for i, name in enumerate(ROW_COLUMNS)}
_OFFERED, _ANSWERED, _ENDED = _INDEX["offered_at"], _INDEX["answered_at"], _INDEX["ended_at"]
_DAY, _SLOT, _TEAM, _AGENT = _INDEX["day"], _INDEX["slot"], _INDEX["team_id"], _INDEX["agent_id"]
_ABANDONED, _WAIT = _INDEX["abandoned"], _INDEX["wait_seconds"]


_tzinfo = attrgetter("tzinfo")
_date = methodcaller("date")


def mapping_headers(name: str) -> dict[str, str]:
    """File header → field key for a preset or a saved mapping; ``LookupError`` when unknown."""
    if name in PRESETS:
        return PRESETS[name]
    from .models import ColumnMapping

    mapping = ColumnMapping.objects.filter(name=name).first()
    if mapping is None:
        names = ", ".join([*PRESETS, *ColumnMapping.objects.values_list("name", flat=True)])
        raise LookupError(_("Unknown column mapping “%(name)s” (known: %(names)s).") % {"name": name, "names": names})
    return dict(mapping.columns)


# --- exports -------------------------------------------------------------------------------


def _kpi_column(code: str) -> ExportColumn:
    return ExportColumn(code, KPIS[code].label, lambda row, c, code=code: _round(row["kpis"].get(code)))


def _round(value):
    return None if value is None else round(value, 2)


class KpiExport(ExportSpec):
    """KPI table by agent, team or queue and by day, week, month or the whole range."""

    kind = "kpis"
    label = _("KPIs")
    object_type = "performance.dailystat"
    filename = "kpis"
    columns = (
        ExportColumn("period", _("Period"), lambda row, c: row["period"]),
        ExportColumn("team", _("Team"), lambda row, c: row.get("team_name", "")),
        ExportColumn("employee_no", _("Employee number"), lambda row, c: row.get("employee_no", "")),
        ExportColumn("agent", _("Agent"), lambda row, c: row.get("agent_name", "")),
        ExportColumn("queue", _("Queue"), lambda row, c: row.get("queue", "")),
        *(_kpi_column(code) for code in KPIS),
    )

    def may_export(self, access) -> bool:
        return bool(access.roles)

    def add_arguments(self, parser) -> None:
        group = parser.add_argument_group("kpis")
        group.add_argument("--level", choices=("agent", "team", "queue"), default="agent")
        group.add_argument("--period", choices=("day", "week", "month", "total"), default="day")
        group.add_argument("--from", dest="date_from", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
        group.add_argument("--to", dest="date_to", type=date.fromisoformat, help="last day (YYYY-MM-DD)")

    def cli_options(self, options: dict[str, Any]) -> dict[str, Any]:
        result = {"level": options.get("level") or "agent", "period": options.get("period") or "day"}
        if options.get("date_from"):
            result["start"] = options["date_from"]
        if options.get("date_to"):
            result["end"] = options["date_to"]
        if "start" in result and "end" in result and result["end"] < result["start"]:
            raise ValueError(_("--to lies before --from."))
        return result

    def objects(self, context: ExportContext):
        from .selectors import KpiQuery, kpi_table

        return kpi_table(context.user, KpiQuery.from_options(context.options))


class GoalExport(ExportSpec):
    kind = "goals"
    label = _("goals")
    object_type = "performance.goal"
    filename = "goals"
    columns = (
        ExportColumn("title", _("Goal"), lambda g, c: g["goal"].title),
        ExportColumn("for", _("For"), lambda g, c: g["subject"]),
        ExportColumn("kpi", _("KPI"), lambda g, c: str(g["goal"].kpi_label)),
        ExportColumn("target", _("Target"), lambda g, c: g["goal"].target),
        ExportColumn("actual", _("Actual"), lambda g, c: _round(g["actual"])),
        ExportColumn("progress", _("Progress (%)"), lambda g, c: _round(g["progress"])),
        ExportColumn("status", _("Status"), lambda g, c: g["status_label"]),
        ExportColumn("start", _("Start"), lambda g, c: g["goal"].start),
        ExportColumn("end", _("End"), lambda g, c: g["goal"].end),
        ExportColumn("owner", _("Owner"), lambda g, c: display_name(g["goal"].owner)),
    )

    def may_export(self, access) -> bool:
        return bool(access.roles)

    def objects(self, context: ExportContext):
        from .selectors import goal_rows

        return goal_rows(context.user, team_id=context.options.get("team"))


class AppraisalExport(ExportSpec):
    kind = "appraisals"
    label = _("appraisals")
    object_type = "performance.appraisal"
    filename = "appraisals"
    columns = (
        ExportColumn("cycle", _("Cycle"), lambda r, c: r["appraisal"].cycle.name),
        ExportColumn("employee_no", _("Employee number"), lambda r, c: r["appraisal"].agent.employee_no),
        ExportColumn("agent", _("Agent"), lambda r, c: r["appraisal"].agent.name),
        ExportColumn("team", _("Team"), lambda r, c: r["appraisal"].team.name),
        ExportColumn("stage", _("Stage"), lambda r, c: r["appraisal"].get_stage_display()),
        ExportColumn("score", _("Score"), lambda r, c: _round(r["score"])),
        ExportColumn("coverage", _("Weight with data (%)"), lambda r, c: _round(r["coverage"] * 100)),
        ExportColumn("missing", _("Missing components"), lambda r, c: "、".join(r["missing"])),
    )

    def may_export(self, access) -> bool:
        return bool(access.roles)

    def objects(self, context: ExportContext):
        from .appraisal import appraisal_rows

        return appraisal_rows(context.user, cycle_id=context.options.get("cycle"), team_id=context.options.get("team"))


register_import(InteractionImport())
register_export(KpiExport())
register_export(GoalExport())
register_export(AppraisalExport())
