"""Import and export specs of the agent roster (``zhiren import agents FILE``).

They live here, not in ``org``, because ``org`` is the bottom of the foundation and imports
nothing above it; the imports app sits on ``org`` (see docs/architecture.md, "Layers").
"""

from __future__ import annotations

from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.org.access import FieldGroup
from zhiren.org.models import Agent, AgentStatus, Channel, Position, Role, Team

from .cells import (
    as_text,
    choice,
    choice_lookup,
    choices_with_aliases,
    date_value,
    multi_choice,
    normalize_token,
    text,
)
from .errors import CellError
from .registry import register_export, register_import
from .spec import (
    Column,
    ExportColumn,
    ExportContext,
    ExportSpec,
    ImportContext,
    ImportSpec,
)

ROSTER_ROLES = (Role.HR, Role.SITE_MANAGER, Role.ADMIN)

POSITION_ALIASES = {
    Position.PRESALES: ["售前", "售前客服", "pre-sales", "sales"],
    Position.AFTERSALES: ["售后", "售后客服", "after-sales"],
    Position.COMPLAINTS: ["投诉", "投诉专员", "投诉处理", "complaint"],
    Position.QA: ["质检", "质检专员", "QA"],
    Position.TRAINER: ["培训师", "培训", "讲师"],
    Position.OPERATIONS: ["运营", "运营专员", "ops"],
    Position.TEAM_LEAD: ["班组长", "组长", "主管", "lead"],
    Position.LEAD_RESERVE: ["储备干部", "储备组长", "储备", "reserve"],
}
CHANNEL_ALIASES = {
    Channel.VOICE: ["语音", "电话", "热线", "呼入", "phone", "call"],
    Channel.CHAT: ["在线", "文字", "在线客服", "聊天", "IM", "online"],
    Channel.EMAIL: ["邮件", "电邮", "mail", "e-mail"],
    Channel.TICKET: ["工单", "ticket"],
}
STATUS_ALIASES = {
    AgentStatus.ACTIVE: ["在职", "在岗", "正常", "active"],
    AgentStatus.ON_LEAVE: ["休假", "请假", "长假", "停薪留职"],
    AgentStatus.LEFT: ["离职", "已离职", "resigned"],
}


def _lookup(choices, aliases):
    return lambda: choice_lookup(choices_with_aliases(choices, aliases))


def _label(choices):
    labels = dict(choices.choices)
    return lambda value: "" if value is None else str(labels.get(value, value))


def _skills_label(value) -> str:
    labels = dict(Channel.choices)
    return "、".join(str(labels.get(v, v)) for v in value or [])


def import_teams(user):
    """Teams a user may import agents into: visible teams covered by a roster role."""
    from zhiren.org.selectors import visible_teams

    return visible_teams(user) & Team.objects.visible_to(user, ROSTER_ROLES)


def parse_team(value: Any, context: ImportContext) -> Team:
    raw = as_text(value)
    token = normalize_token(raw)
    by_code, by_name = context.cache["teams_by_code"], context.cache["teams_by_name"]
    team = by_code.get(token)
    if team is not None:
        return team
    matches = by_name.get(token, [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CellError(
            _("Several teams are named “%(name)s”; use the team code (%(codes)s).")
            % {"name": raw, "codes": ", ".join(t.code for t in matches)}
        )
    raise CellError(_("Unknown team “%(team)s”, or not a team you manage.") % {"team": raw})


def plausible_birthday(day: date) -> None:
    """A birthday that makes the agent ``AGENT_MIN_AGE`` to ``AGENT_MAX_AGE`` years old today."""
    today = timezone.localdate()
    age = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
    if day >= today or not settings.AGENT_MIN_AGE <= age <= settings.AGENT_MAX_AGE:
        raise CellError(
            _("A birthday on %(day)s makes the agent %(age)d years old; expected %(low)d to %(high)d.")
            % {"day": day.isoformat(), "age": age, "low": settings.AGENT_MIN_AGE,
               "high": settings.AGENT_MAX_AGE}
        )


def plausible_hire_date(day: date) -> None:
    """A hire date in the past, or at most ``HIRE_DATE_DAYS_AHEAD`` days ahead (someone starting soon)."""
    latest = timezone.localdate() + timedelta(days=settings.HIRE_DATE_DAYS_AHEAD)
    if day > latest or day.year < 1950:
        raise CellError(
            _("A hire date on %(day)s is not plausible; expected 1950 to %(latest)s.")
            % {"day": day.isoformat(), "latest": latest.isoformat()}
        )


class AgentImport(ImportSpec):
    kind = "agents"
    label = _("agents")
    model = Agent
    key = "employee_no"
    existing_fields = ("team_id",)  # read by check_existing
    # Headers of our own export that the import reads past silently.
    ignored_headers = ("site", "站点", "职场", "Site")
    columns = (
        Column(
            "employee_no",
            _("Employee number"),
            ("工号", "员工编号", "员工号", "编号", "employee no", "employee no.", "emp no", "staff no", "staff id"),
            required=True,
            parse=text(max_length=30),
        ),
        Column("name", _("Name"), ("姓名", "名字", "员工姓名", "full name"), required=True, parse=text(max_length=60)),
        Column(
            "team",
            _("Team"),
            ("班组", "团队", "组别", "小组", "班组编码", "团队编码", "team code", "team name"),
            required=True,
            parse=parse_team,
            display=lambda team: "" if team is None else str(team),
        ),
        Column(
            "position",
            _("Position"),
            ("岗位", "职位", "岗位类型", "role"),
            parse=choice(_lookup(Position, POSITION_ALIASES)),
            blank_keeps=True,
            display=_label(Position),
        ),
        Column(
            "channel_skills",
            _("Channel skills"),
            ("技能", "渠道", "渠道技能", "技能渠道", "技能组", "skills", "channels"),
            parse=multi_choice(_lookup(Channel, CHANNEL_ALIASES), order=Channel.values),
            blank_value=[],
            display=_skills_label,
        ),
        Column("hire_date", _("Hire date"), ("入职日期", "入职时间", "入司日期", "start date", "date hired"),
               parse=date_value(check=plausible_hire_date)),
        Column("birthday", _("Birthday"), ("生日", "出生日期", "出生年月日", "date of birth", "birth date", "dob"),
               parse=date_value(check=plausible_birthday)),
        Column(
            "status",
            _("Status"),
            ("状态", "在职状态", "员工状态", "employment status"),
            parse=choice(_lookup(AgentStatus, STATUS_ALIASES)),
            blank_keeps=True,
            display=_label(AgentStatus),
        ),
    )

    def may_import(self, access) -> bool:
        return access.has_role(*ROSTER_ROLES)

    def prepare(self, context: ImportContext) -> None:
        teams = Team.objects.select_related("site") if context.is_system else import_teams(context.user)
        by_code: dict[str, Team] = {}
        by_name: dict[str, list[Team]] = {}
        for team in teams:
            by_code[normalize_token(team.code)] = team
            by_name.setdefault(normalize_token(team.name), []).append(team)
        context.cache["teams_by_code"] = by_code
        context.cache["teams_by_name"] = by_name
        context.cache["team_ids"] = {team.pk for team in by_code.values()}

    def existing_queryset(self, context: ImportContext):
        return Agent.objects.select_related("team")

    def check_existing_rows(self, objs, columns, context):
        if context.is_system:
            return ()
        team_ids = context.cache["team_ids"]
        message = _("This employee number belongs to an agent of a team you do not manage.")
        return [(i, "employee_no", message) for i, team_id in enumerate(map(attrgetter("team_id"), objs))
                if team_id not in team_ids]


def _field_visible(context: ExportContext, agent: Agent, group: FieldGroup) -> bool:
    return context.access is None or group in context.access.field_groups(agent.pk, agent.team_id)


def _employment(getter):
    return lambda agent, context: getter(agent) if _field_visible(context, agent, FieldGroup.EMPLOYMENT) else None


def _personal(getter):
    return lambda agent, context: getter(agent) if _field_visible(context, agent, FieldGroup.PERSONAL) else None


class AgentExport(ExportSpec):
    kind = "agents"
    label = _("agents")
    object_type = "org.agent"
    filename = "agents"
    columns = (
        ExportColumn("employee_no", _("Employee number"), lambda a, c: a.employee_no),
        ExportColumn("name", _("Name"), lambda a, c: a.name),
        ExportColumn("team", _("Team"), lambda a, c: a.team.name),
        ExportColumn("site", _("Site"), lambda a, c: a.team.site.name),
        ExportColumn("position", _("Position"), lambda a, c: a.get_position_display()),
        ExportColumn("channel_skills", _("Channel skills"), lambda a, c: a.get_channel_skills_display()),
        ExportColumn("hire_date", _("Hire date"), _employment(lambda a: a.hire_date)),
        ExportColumn("birthday", _("Birthday"), _personal(lambda a: a.birthday)),
        ExportColumn("status", _("Status"), lambda a, c: a.get_status_display()),
    )

    def may_export(self, access) -> bool:
        # Any role; an agent exports only their own record (visible_agents scopes the rows).
        return bool(access.roles)

    def objects(self, context: ExportContext):
        from zhiren.org.selectors import visible_agents

        if context.access is None:
            qs = Agent.objects.select_related("team", "team__site")
        else:
            qs = visible_agents(context.user)
        return qs.order_by("team__site__code", "team__code", "employee_no").iterator(chunk_size=2000)


register_import(AgentImport())
register_export(AgentExport())
