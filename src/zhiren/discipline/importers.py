"""``zhiren import clock-events FILE``: punches from a time clock (CSV/XLSX, any encoding), and the REST push.

Time clocks export one row per punch: employee number, date and time (in one
cell, or a date column and a time column), sometimes the direction (上班/下班,
签到/签退, in/out) and the device. A punch is keyed by agent, time and
direction, so the same export imported twice writes nothing the second time.
After the commit the touched days are judged again against the schedule.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.imports.cells import as_text, choice, choice_lookup, date_value, text
from zhiren.imports.errors import CellError
from zhiren.imports.registry import register_export, register_import
from zhiren.imports.spec import (
    Column,
    ExportColumn,
    ExportContext,
    ExportSpec,
    ImportContext,
    ImportSpec,
)
from zhiren.org.access import load_access
from zhiren.org.models import Agent
from zhiren.performance.parsing import datetime_parser

from .models import ClockEvent, PunchKind, PunchSource

PUSH_ROLES = ("site_manager", "admin")
READ_ROLES = ("team_lead", "site_manager", "hr")
_TIME_RE = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")

KIND_ALIASES = {
    PunchKind.IN: ["in", "clock in", "check in", "上班", "上班打卡", "签到", "进", "入", "进门", "上班签到", "0"],
    PunchKind.OUT: ["out", "clock out", "check out", "下班", "下班打卡", "签退", "出", "出门", "下班签退", "1"],
    PunchKind.PUNCH: ["punch", "打卡", "刷卡", "考勤"],
}


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


_datetime = datetime_parser(_tz())


def parse_moment(value: Any, context: Any):
    """A full date and time, or a time of day alone (then the row needs a date column)."""
    if isinstance(value, time):
        return value
    match = _TIME_RE.match(as_text(value))
    if match:
        hour, minute, second = (int(g) if g else 0 for g in match.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise CellError(_("“%(value)s” is not a time of day.") % {"value": as_text(value)})
        return time(hour, minute, second)
    return _datetime(value, context)


def parse_agent(value: Any, context: ImportContext) -> int:
    raw = as_text(value)
    found = context.cache["agents"].get(raw)
    if found is None:
        raise CellError(
            _("Unknown employee number “%(value)s”, or an agent of a team you may not import for.") % {"value": raw}
        )
    return found


COLUMNS = (
    Column("agent", _("Employee number"),
           ("工号", "员工工号", "员工编号", "人员编号", "考勤号", "考勤号码", "登记号码", "Employee no", "Emp No",
            "Employee ID", "Badge", "Badge ID", "User ID"),
           required=True, parse=parse_agent, attr="agent_id"),
    Column("day", _("Date"), ("日期", "打卡日期", "考勤日期", "Punch date"), parse=date_value(2000, 2100)),
    Column("at", _("Punch time"),
           ("打卡时间", "刷卡时间", "考勤时间", "签到时间", "时间", "日期时间", "Time", "Punch time", "Clock time",
            "Timestamp", "Date time"),
           required=True, parse=parse_moment, attr="fingerprint"),
    Column("kind", _("Direction"), ("类型", "打卡类型", "进出", "进出方向", "方向", "状态", "考勤状态", "Type",
                                    "Direction", "In/Out", "State"),
           parse=choice(lambda: choice_lookup(
               [(kind, [kind.value, str(kind.label), *aliases]) for kind, aliases in KIND_ALIASES.items()]
           )),
           blank_value=PunchKind.PUNCH),
    Column("device", _("Device"), ("考勤机", "设备", "设备名称", "机器号", "打卡地点", "Device", "Terminal"),
           parse=text(max_length=60), blank_value=""),
)


class ClockEventImport(ImportSpec):
    kind = "clock-events"
    label = _("clock events")
    model = ClockEvent
    # The punch time is the key column: check_row turns it into the punch's fingerprint
    # (agent, time, direction) and keeps the time itself in the run's cache.
    key = "at"
    columns = COLUMNS
    ignored_headers = ("姓名", "名字", "部门", "班组", "Name", "Department", "Team", "备注", "Note")
    batch_size = 2000

    def may_import(self, access) -> bool:
        return access.has_role(*PUSH_ROLES)

    def prepare(self, context: ImportContext) -> None:
        agents = Agent.objects.all()
        if not context.is_system:
            agents = agents.visible_to(context.user, PUSH_ROLES)
        context.cache["agents"] = dict(agents.values_list("employee_no", "id"))
        context.cache["touched"] = set()

    def check_row(self, values: dict[str, Any], context: ImportContext):
        moment = values.get("at")
        if isinstance(moment, time):
            if values.get("day") is None:
                yield "at", _("A time of day alone needs a date column.")
                return
            moment = datetime.combine(values["day"], moment, tzinfo=_tz())
        values.pop("day", None)
        kind = values.get("kind") or PunchKind.PUNCH
        fingerprint = ClockEvent.make_fingerprint(values["agent"], moment, kind)
        context.cache.setdefault("moments", {})[fingerprint] = moment
        values["at"] = fingerprint

    def build(self, values: dict[str, Any], context: ImportContext) -> ClockEvent:
        moment = context.cache["moments"][values["at"]]
        context.cache["touched"].add((values["agent"], moment))
        return ClockEvent(
            agent_id=values["agent"], at=moment, kind=values.get("kind") or PunchKind.PUNCH,
            device=values.get("device") or "", fingerprint=values["at"], source=PunchSource.IMPORT,
        )

    def apply(self, obj, changes, context):
        if "device" in changes:
            obj.device = changes["device"] or ""

    def update_fields(self, changed_keys):
        return ["device"]

    def current_value(self, obj, column):
        if column.key == "agent":
            return obj.agent_id
        if column.key == "day":
            return None
        return getattr(obj, column.target)

    def after_write(self, plan, context: ImportContext) -> None:
        touched = context.cache["touched"]
        if not touched:
            return
        from django.utils import timezone

        from .services import evaluate_attendance

        days = [timezone.localtime(at).date() for _, at in touched]
        evaluate_attendance(min(days), max(days), {agent for agent, _ in touched})


register_import(ClockEventImport())


# --- export: the violations the user oversees --------------------------------------------------


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None) if value else None


class ViolationExport(ExportSpec):
    """``zhiren export violations FILE``; on the web from the violations page (CSV/XLSX, formula-safe)."""

    kind = "violations"
    label = _("violations")
    object_type = "discipline.violation"
    filename = "violations"
    columns = (
        ExportColumn("day", _("Day"), lambda v, c: v.day),
        ExportColumn("employee_no", _("Employee number"), lambda v, c: v.agent.employee_no),
        ExportColumn("agent", _("Agent"), lambda v, c: v.agent.name),
        ExportColumn("team", _("Team"), lambda v, c: v.team.name),
        ExportColumn("rule", _("Rule"), lambda v, c: v.rule.title),
        ExportColumn("kind", _("Kind"), lambda v, c: str(v.get_kind_display())),
        ExportColumn("minutes", _("Minutes"), lambda v, c: v.minutes or None),
        ExportColumn("consequence", _("Consequence"), lambda v, c: str(v.get_consequence_display())),
        ExportColumn("unit", _("Count in window"), lambda v, c: v.unit),
        ExportColumn("recorded_at", _("Recorded at"), lambda v, c: _local(v.recorded_at)),
        ExportColumn("responded_at", _("Responded at"), lambda v, c: _local(v.responded_at)),
        ExportColumn("response", _("Response"), lambda v, c: v.response_note),
        ExportColumn("exception", _("Exception"),
                     lambda v, c: v.exemption.reason if getattr(v, "exemption", None) else ""),
    )

    def may_export(self, access) -> bool:
        """Leads, site managers and HR export what they oversee; an agent exports their own history."""
        return access is None or access.has_role(*READ_ROLES) or bool(access.own_agent_id)

    def objects(self, context: ExportContext):
        from .models import Violation
        from .selectors import queue

        qs = Violation.objects.select_related("agent", "team", "rule", "exemption").order_by("-day", "-recorded_at")
        if context.user is None:
            return qs
        if context.access.has_role(*READ_ROLES):
            return queue(context.user, "all")
        return qs.filter(agent_id=context.access.own_agent_id)


register_export(ViolationExport())


# --- REST push (``discipline.api``) ------------------------------------------------------------

MAX_API_PUNCHES = 5000


def may_push(user) -> bool:
    return load_access(user).has_role(*PUSH_ROLES)


def push_punches(records: list[dict], *, user, dry_run: bool = False):
    """Punches pushed as JSON records (``agent`` = employee number, ``at``, ``kind``, ``device``, or any
    header the file import accepts): the same checks as a file, all or none. Returns the import plan."""
    from zhiren.imports.planning import commit_plan, plan_import
    from zhiren.imports.records import records_table
    from zhiren.imports.services import import_context
    from zhiren.imports.validation import validate

    spec = ClockEventImport()
    context = import_context(user)
    if not context.is_system and not spec.may_import(context.access):
        raise PermissionDenied(_("You may not push clock events."))
    spec.prepare(context)
    plan = plan_import(spec, validate(records_table(records), spec, context), context)
    if dry_run or plan.has_errors or not plan.has_changes:
        return plan
    with transaction.atomic():
        commit_plan(spec, plan, context)
        record(actor=user, action=AuditAction.IMPORT, object_type=spec.object_type, fields=["agent", "at", "kind"],
               purpose=f"api push clock events: {plan.counts()['created']} created")
    return plan
