"""Reads of the engagement module. Every survey number leaves through ``results``, which
passes it through ``anonymity.guard`` and records what the viewer was shown."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhiren.org.access import AnyUser
from zhiren.org.models import Agent, Role, Site, Team
from zhiren.org.scoping import ANY_ROLE, own_agent

from . import flow
from .anonymity import Cell, Reason, Verdict, guard, shown_sets, waves_change
from .items import FACTORS, PULSE, factors_of
from .models import (
    ActionItem,
    Comment,
    Invitation,
    QueryLog,
    Response,
    Suggestion,
    SupervisionItem,
    SupervisionMember,
    Survey,
    Wave,
)
from .reliability import answer_matrix, enps, matrix_scores
from .scrub import scrub
from .supervision import ItemFacts, in_term, month_bounds, monthly_report, overdue_days

RESULT_READERS = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.HR, Role.ADMIN)  # teams they cover
SURVEY_RUNNERS = (
    Role.SITE_MANAGER,
    Role.HR,
    Role.ADMIN,
)  # create and launch for the sites they cover
DECIDERS = (Role.SITE_MANAGER, Role.ADMIN)  # move suggestions of the sites they run
FILTERS = {"tenure_band": ("0-6", "6-12", "12+"), "channel": ("voice", "chat", "email", "ticket")}
LOG_KEEP = 200  # the newest member sets kept per viewer and wave


def reader_teams(user: AnyUser) -> QuerySet[Team]:
    """Teams whose survey results the user reads: those their role covers, or their own team."""
    return Team.objects.select_related("site").visible_to(user, RESULT_READERS, own=True)


def runner_sites(user: AnyUser) -> QuerySet[Site]:
    return Site.objects.filter(
        pk__in=Team.objects.visible_to(user, SURVEY_RUNNERS).values("site_id")
    ).order_by("code")


def visible_surveys(user: AnyUser) -> QuerySet[Survey]:
    return Survey.objects.filter(site__in=runner_sites(user)).select_related("site")


def visible_waves(user: AnyUser) -> QuerySet[Wave]:
    """Waves of the sites where the user reads some team's results (own team included)."""
    sites = reader_teams(user).values("site_id")
    return Wave.objects.filter(survey__site_id__in=sites).select_related("survey", "survey__site")


def open_invitations(user: AnyUser) -> QuerySet[Invitation]:
    today = timezone.localdate()
    return (
        Invitation.objects.filter(
            user_id=getattr(user, "pk", None),
            responded=False,
            wave__opens_on__lte=today,
            wave__closes_on__gte=today,
        )
        .select_related("wave", "wave__survey")
        .order_by("wave__closes_on")
    )


def response_rates(wave: Wave, user: AnyUser) -> list[dict]:
    """Invited and answered per team the user reads (counts of invitations, never of answers)."""
    teams = reader_teams(user).filter(site_id=wave.survey.site_id)
    rows = (
        Invitation.objects.filter(wave=wave, team__in=teams)
        .values("team_id", "team__name")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(responded=True)))
        .order_by("team__name")
    )
    return [{**r, "rate": r["answered"] / r["invited"] if r["invited"] else 0} for r in rows]


# -- results -----------------------------------------------------------------------------------


@dataclass
class Row:
    key: tuple
    label: str
    kind: str  # "site", "team" or "filter"
    verdict: Verdict
    scores: dict[str, dict] = field(default_factory=dict)
    enps: float | None = None
    index: float | None = None  # mean of the factors' means
    previous: float | None = None
    comments: list[str] = field(default_factory=list)
    comments_reason: Reason | None = None
    team_id: int | None = None
    team_code: str = ""

    @property
    def shown(self) -> bool:
        return self.verdict.shown


@dataclass
class Results:
    wave: Wave
    rows: list[Row]
    factors: list[str]
    minimum: int
    comments_minimum: int
    filter_field: str = ""
    filter_value: str = ""
    filter_refused: list[Row] = field(default_factory=list)


def _digest(members: frozenset[Hashable]) -> str:
    return hashlib.sha256(",".join(sorted(map(str, members))).encode()).hexdigest()


def _history(user: AnyUser, wave: Wave) -> list[frozenset[Hashable]]:
    if not getattr(user, "pk", None):
        return []
    logged = (
        QueryLog.objects.filter(viewer_id=user.pk, wave=wave)
        .order_by("-id")
        .values_list("members", flat=True)
    )
    return [frozenset(m) for m in logged[:LOG_KEEP]]


def _remember(user: AnyUser, wave: Wave, sets: list[frozenset[Hashable]]) -> None:
    if not getattr(user, "pk", None) or not sets:
        return
    QueryLog.objects.bulk_create(
        [
            QueryLog(viewer_id=user.pk, wave=wave, digest=_digest(s), members=sorted(map(str, s)))
            for s in sets
        ],
        ignore_conflicts=True,
    )


def _predicate(
    team_id: int | None, field_name: str = "", value: str = ""
) -> Callable[[dict], bool]:
    def match(row: dict) -> bool:
        return (team_id is None or row["team_id"] == team_id) and (
            not field_name or row[field_name] == value
        )

    return match


def _previous_wave(wave: Wave) -> Wave | None:
    if wave.survey.kind != PULSE or wave.number <= 1:
        return None
    return Wave.objects.filter(survey_id=wave.survey_id, number=wave.number - 1).first()


def results(
    wave: Wave,
    user: AnyUser,
    filter_field: str = "",
    filter_value: str = "",
    *,
    remember: bool = True,
    compare: bool = True,
) -> Results:
    """The wave's guarded table for this viewer: the site, the teams they read, and, with a
    filter (tenure band or channel), each of those narrowed by it."""
    if filter_field not in FILTERS or filter_value not in FILTERS[filter_field]:
        filter_field = filter_value = ""
    site = wave.survey.site
    teams = list(reader_teams(user).filter(site_id=site.pk).order_by("code"))
    groups: list[tuple[tuple, str, str, int | None]] = [
        (("site", site.pk), site.name, "site", None)
    ]
    groups += [(("team", t.pk), t.name, "team", t.pk) for t in teams]
    codes = {t.pk: t.code for t in teams}

    answers = list(
        Response.objects.filter(wave=wave).values(
            "id", "team_id", "tenure_band", "channel", "answers", "enps"
        )
    )
    comment_rows = list(
        Comment.objects.filter(wave=wave).values("id", "team_id", "tenure_band", "channel", "text")
    )
    prior = _previous_wave(wave)
    responders: dict[str, list[dict]] = {"now": [], "before": []}
    if prior is not None:
        for row in Invitation.objects.filter(wave__in=[wave, prior], responded=True).values(
            "wave_id", "user_id", "team_id", "tenure_band", "channel"
        ):
            responders["now" if row["wave_id"] == wave.pk else "before"].append(row)

    specs = []  # (key, label, kind, team_id, predicate)
    for key, label, kind, team_id in groups:
        specs.append((key, label, kind, team_id, _predicate(team_id)))
        if filter_field:
            specs.append(
                (
                    (*key, filter_field, filter_value),
                    label,
                    "filter",
                    team_id,
                    _predicate(team_id, filter_field, filter_value),
                )
            )
    cells, comment_cells = [], []
    for key, _label, kind, _team_id, match in specs:
        joined = left = 0
        if prior is not None:
            joined, left = waves_change(
                {r["user_id"] for r in responders["before"] if match(r)},
                {r["user_id"] for r in responders["now"] if match(r)},
            )
        cell_kind = "filter" if kind == "filter" else "group"
        cells.append(
            Cell(key, frozenset(str(a["id"]) for a in answers if match(a)), cell_kind, joined, left)
        )
        comment_cells.append(
            Cell(
                key,
                frozenset(str(c["id"]) for c in comment_rows if match(c)),
                cell_kind,
                joined,
                left,
            )
        )
    history = _history(user, wave)
    verdicts = guard(cells, wave.min_scores, history)
    comment_verdicts = guard(comment_cells, wave.min_comments, history)
    if remember:
        _remember(
            user, wave, shown_sets(cells, verdicts) + shown_sets(comment_cells, comment_verdicts)
        )

    by_id = {str(a["id"]): a for a in answers}
    comments_by_id = {str(c["id"]): c["text"] for c in comment_rows}
    factor_items = factors_of(wave.items)
    matrix = answer_matrix([a["answers"] for a in answers], list(wave.items))
    position = {str(a["id"]): n for n, a in enumerate(answers)}
    columns = {f: [wave.items.index(k) for k in keys] for f, keys in factor_items.items()}
    names = _names(site) if comment_rows else []
    rows: list[Row] = []
    for (key, label, kind, team_id, _match), cell, comment_cell in zip(
        specs, cells, comment_cells, strict=True
    ):
        row = Row(
            key, label, kind, verdicts[key], team_id=team_id, team_code=codes.get(team_id, "")
        )
        if row.shown:
            row.scores = matrix_scores(matrix, [position[m] for m in cell.members], columns)
            row.enps = enps(by_id[m]["enps"] for m in cell.members)
            row.index = _index(row.scores)
            if comment_verdicts[key].shown:
                row.comments = sorted(scrub(comments_by_id[m], names) for m in comment_cell.members)
            elif comment_cell.members:
                row.comments_reason = comment_verdicts[key].reason
        rows.append(row)
    if compare and prior is not None:
        before = {
            r.key: r
            for r in results(
                prior, user, filter_field, filter_value, remember=remember, compare=False
            ).rows
        }
        for row in rows:
            old = before.get(row.key)
            if row.shown and old is not None and old.shown:
                row.previous = old.index
    refused = [r for r in rows if r.kind == "filter" and not r.shown]
    return Results(
        wave,
        rows,
        [f.key for f in FACTORS if f.key in factor_items],
        wave.min_scores,
        wave.min_comments,
        filter_field,
        filter_value,
        refused,
    )


def _index(scores: dict[str, dict]) -> float | None:
    means = [s["mean"] for s in scores.values()]
    return sum(means) / len(means) if means else None


def _names(site: Site) -> list[str]:
    """Names that comments are scrubbed of: the site's agents and the users with a name."""
    return list(Agent.objects.filter(team__site=site).values_list("name", flat=True))


def trend(survey: Survey, user: AnyUser, last: int = 8) -> list[dict]:
    """The pulse's index per wave for each row the viewer reads, each point guarded in its wave."""
    waves = list(survey.waves.order_by("-number")[:last])[::-1]
    series: dict[tuple, dict] = {}
    for wave in waves:
        for row in results(wave, user, compare=False).rows:
            entry = series.setdefault(row.key, {"label": row.label, "points": []})
            entry["points"].append(
                {
                    "wave": wave.number,
                    "value": row.index if row.shown else None,
                    "reason": row.verdict.reason,
                    "minimum": wave.min_scores,
                }
            )
    return list(series.values())


def team_actions(wave: Wave, user: AnyUser) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.visible_to(user, RESULT_READERS, own=True)
        .filter(wave__survey_id=wave.survey_id)
        .select_related("team", "owner", "wave")
    )


# -- suggestions -------------------------------------------------------------------------------


def suggestion_sites(user: AnyUser) -> QuerySet[Site]:
    """Sites whose suggestions the user sees: those where they cover a team, or their own team's."""
    teams = Team.objects.visible_to(user, ANY_ROLE, own=True)
    return Site.objects.filter(pk__in=teams.values("site_id"))


def visible_suggestions(user: AnyUser) -> QuerySet[Suggestion]:
    """The site's suggestion board: content and status; an author's name only for a named one."""
    return Suggestion.objects.filter(site__in=suggestion_sites(user)).select_related(
        "site", "team", "author", "decided_by"
    )


def may_decide(user: AnyUser, suggestion: Suggestion) -> bool:
    return Team.objects.visible_to(user, DECIDERS).filter(site_id=suggestion.site_id).exists()


def own_suggestions(user: AnyUser) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(author_id=getattr(user, "pk", None)).order_by("-submitted_at")


def dashboard(user: AnyUser) -> dict:
    """Adoption rate, median days to decision and the longest wait, per site and per decider."""
    rows = list(
        visible_suggestions(user)
        .order_by()
        .values(
            "site__name",
            "decided_by__username",
            "decided_by__first_name",
            "decided_by__last_name",
            "status",
            "submitted_at",
            "decided_at",
            "reward_points",
        )
    )
    now = timezone.now()

    def summary(items: list[dict]) -> dict:
        decisions = [
            flow.Decision(
                r["submitted_at"], r["decided_at"], r["status"] in (flow.ADOPTED, flow.IMPLEMENTED)
            )
            for r in items
        ]
        waits = flow.waiting_days(decisions, now)
        return {
            "count": len(items),
            "decided": sum(1 for d in decisions if d.decided_at),
            "adoption": flow.adoption_rate(decisions),
            "median_days": flow.median_days_to_decision(decisions),
            "longest_wait": waits[0] if waits else None,
            "implemented": sum(1 for r in items if r["status"] == flow.IMPLEMENTED),
            "points": sum(r["reward_points"] for r in items),
        }

    by_site: dict[str, list[dict]] = defaultdict(list)
    by_decider: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_site[r["site__name"]].append(r)
        if r["decided_by__username"]:
            name = (
                f"{r['decided_by__last_name']}{r['decided_by__first_name']}"
                or r["decided_by__username"]
            )
            by_decider[f"{name} · {r['site__name']}"].append(r)
    return {
        "overall": summary(rows),
        "sites": [{"name": k, **summary(v)} for k, v in sorted(by_site.items())],
        "deciders": [{"name": k, **summary(v)} for k, v in sorted(by_decider.items())],
    }


PLANNERS = (
    Role.TEAM_LEAD,
    Role.SITE_MANAGER,
    Role.HR,
    Role.ADMIN,
)  # write action plans for the teams they cover


def plan_teams(user: AnyUser) -> QuerySet[Team]:
    return Team.objects.visible_to(user, PLANNERS)


def may_plan(user: AnyUser) -> bool:
    return plan_teams(user).exists()


def plan_actions(user: AnyUser) -> QuerySet[ActionItem]:
    return ActionItem.objects.visible_to(user, PLANNERS)


def may_submit(user: AnyUser) -> bool:
    agent = own_agent(user)
    return agent is not None and agent.team_id is not None


# -- the supervision group ---------------------------------------------------------------------


def supervision_sites(user: AnyUser) -> QuerySet[Site]:
    """Everyone at a site sees its group's items and monthly report (items hold no personal data)."""
    return suggestion_sites(user).order_by("code")


def is_member(user: AnyUser, site: Site) -> bool:
    today = timezone.localdate()
    return (
        SupervisionMember.objects.filter(
            site=site, user_id=getattr(user, "pk", None), term_start__lte=today
        )
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .exists()
    )


def runs_site(user: AnyUser, site: Site) -> bool:
    """The site's manager (or an admin): seats members, and is who overdue items escalate to."""
    return Team.objects.visible_to(user, DECIDERS).filter(site_id=site.pk).exists()


def supervision_page(site: Site, today) -> dict:
    items = list(SupervisionItem.objects.filter(site=site).select_related("owner", "suggestion"))
    for item in items:
        item.overdue = overdue_days(item.status, item.due_on, today)
    members = [
        m
        for m in SupervisionMember.objects.filter(site=site).select_related("user")
        if in_term(m.term_start, m.term_end, today)
    ]
    facts = [ItemFacts(i.raised_on, i.status, i.due_on, i.done_on) for i in items]
    return {
        "items": items,
        "members": members,
        "escalated": [i for i in items if i.overdue],
        "report": monthly_report(facts, today.year, today.month),
    }


def month_report(site: Site, year: int, month: int) -> dict:
    start, end = month_bounds(year, month)
    items = list(
        SupervisionItem.objects.filter(site=site, raised_on__lt=end).select_related("owner")
    )
    facts = [ItemFacts(i.raised_on, i.status, i.due_on, i.done_on) for i in items]
    return {
        "summary": monthly_report(facts, year, month),
        "start": start,
        "raised": [i for i in items if i.raised_on >= start],
        "done": [i for i in items if i.done_on is not None and start <= i.done_on < end],
    }
