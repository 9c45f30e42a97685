"""Reads of the engagement module. Every survey number leaves through ``results``, which
passes it through ``anonymity.guard`` and records what the viewer was shown."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.org.access import AnyUser
from zhiren.org.models import Agent, Role, Site, Team
from zhiren.org.scoping import ANY_ROLE, own_agent

from . import flow, tallies, tally
from .anonymity import Cell, Reason, Verdict, guard
from .items import FACTORS, PULSE, factors_of
from .models import (
    ActionItem,
    Comment,
    Invitation,
    QueryLog,
    ReminderKind,
    Suggestion,
    SupervisionItem,
    SupervisionMember,
    Survey,
    Wave,
)
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


def reminder_plan(wave: Wave) -> list[dict]:
    """The wave's automatic reminders: kind, day, and when it went out (``sent_at``), or
    ``state`` "planned" (its day is to come, or today before the job's hour) or "not_sent"
    (its day passed, or the wave closed, without it)."""
    sent = {r.kind: r for r in wave.reminders.all()}
    today = timezone.localdate()
    rows = []
    for kind, day in wave.reminder_schedule():
        record = sent.get(kind)
        if record is not None:
            state = "sent"
        elif day >= today and today <= wave.closes_on:
            state = "planned"
        else:
            state = "not_sent"
        rows.append(
            {
                "kind": kind,
                "label": _("%(n)s days after opening") % {"n": wave.remind_after_days}
                if kind == ReminderKind.AFTER
                else _("On the last day"),
                "day": day,
                "state": state,
                "sent_at": record.sent_at if record else None,
            }
        )
    return rows


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


def _digest(members: dict[str, int]) -> str:
    text = ",".join(f"{k}={n}" for k, n in sorted(members.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def _history(user: AnyUser, wave: Wave) -> list[dict[str, int]]:
    """What this viewer was shown for the wave: per view cell, atom -> answers it held then."""
    if not getattr(user, "pk", None):
        return []
    logged = (
        QueryLog.objects.filter(viewer_id=user.pk, wave=wave)
        .order_by("-id")
        .values_list("members", flat=True)
    )
    return [dict(m) for m in logged[:LOG_KEEP] if isinstance(m, dict)]


def _remember(user: AnyUser, wave: Wave, shown: list[dict[str, int]]) -> None:
    if not getattr(user, "pk", None) or not shown:
        return
    QueryLog.objects.bulk_create(
        [QueryLog(viewer_id=user.pk, wave=wave, digest=_digest(m), members=m) for m in shown if m],
        ignore_conflicts=True,
    )


AtomKey = tuple[int | None, str, str]  # team, tenure band, channel


@dataclass(frozen=True)
class _Spec:
    key: tuple
    label: str
    kind: str  # "site", "team" or "filter"
    team_id: int | None
    field: str = ""
    value: str = ""

    def match(self, atom: AtomKey) -> bool:
        if self.team_id is not None and atom[0] != self.team_id:
            return False
        if self.field == "tenure_band":
            return atom[1] == self.value
        if self.field == "channel":
            return atom[2] == self.value
        return True


def _atom_name(prefix: str, atom: AtomKey) -> str:
    return f"{prefix}|{atom[0] or ''}|{atom[1]}|{atom[2]}"


def _segments(
    now: dict[str, int], logs: list[dict[str, int]]
) -> tuple[dict[str, list[str]], list[frozenset[Hashable]], dict[Hashable, int]]:
    """Split each atom into segments at every size it was shown at, so the guard can work on
    a few keys per atom instead of one per answer.

    Answers are only ever added to an atom, so the ``n`` answers it held when a view logged
    it are (up to relabelling, which changes no sum) its first ``n`` now: the segment from
    ``lo`` to ``hi`` stands for answers ``lo`` … ``hi - 1``, with weight ``hi - lo``. Returns
    each atom's current segments, the logged views as segment sets, and the weights. (A
    logged size above the current one — a sheet deleted since — becomes a segment no current
    cell holds, as those answers are.)
    """
    bounds: dict[str, set[int]] = defaultdict(set)
    for name, n in now.items():
        bounds[name].add(n)
    for log in logs:
        for name, n in log.items():
            if n > 0:
                bounds[name].add(n)
    weights: dict[Hashable, int] = {}
    upto: dict[str, list[tuple[int, str]]] = {}
    for name, sizes in bounds.items():
        lo, parts = 0, []
        for hi in sorted(sizes):
            if hi > lo:
                segment = f"{name}#{lo}"
                weights[segment] = hi - lo
                parts.append((hi, segment))
                lo = hi
        upto[name] = parts

    def first(name: str, n: int) -> list[str]:
        return [segment for hi, segment in upto.get(name, []) if hi <= n]

    current = {name: first(name, n) for name, n in now.items()}
    past = [frozenset(m for name, n in log.items() for m in first(name, n)) for log in logs]
    return current, [p for p in past if p], weights


def _wave_pairs(wave: Wave, prior: Wave) -> tuple[Counter, Counter]:
    """Responders of this wave and the previous one as counts of (atom now, atom before) and
    (atom before, atom now), None where they did not answer that wave: enough for every
    cell's joiners and leavers. Read from the token table (never from the answers)."""
    waves: dict[int, dict[int, AtomKey]] = {wave.pk: {}, prior.pk: {}}
    for wave_id, user_id, team_id, band, channel in Invitation.objects.filter(
        wave__in=[wave, prior], responded=True
    ).values_list("wave_id", "user_id", "team_id", "tenure_band", "channel"):
        waves[wave_id][user_id] = (team_id, band, channel)
    now, before = waves[wave.pk], waves[prior.pk]
    joined = Counter((atom, before.get(user)) for user, atom in now.items())
    left = Counter((atom, now.get(user)) for user, atom in before.items())
    return joined, left


def _by_team(pairs: Counter) -> dict[int | None, list[tuple[tuple, int]]]:
    """The pairs touching each team (on either side): a team's cell looks at those only."""
    out: dict[int | None, list[tuple[tuple, int]]] = defaultdict(list)
    for pair, n in pairs.items():
        atom, other = pair
        out[atom[0]].append((pair, n))
        if other is not None and other[0] != atom[0]:
            out[other[0]].append((pair, n))
    return out


def _changed(pairs: Counter, indexed: dict, spec: _Spec) -> int:
    """How many of ``pairs`` are in the cell on their first side and not on their second."""
    rows = pairs.items() if spec.team_id is None else indexed.get(spec.team_id, ())
    return sum(
        n for (atom, other), n in rows if spec.match(atom) and not (other and spec.match(other))
    )


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
    comments: bool = True,
) -> Results:
    """The wave's guarded table for this viewer: the site, the teams they read, and, with a
    filter (tenure band or channel), each of those narrowed by it.

    Reads the wave's per-atom tallies (``tallies.atoms``), never a single answer: each cell
    is a set of atoms, its numbers the sum of their tallies; the guard decides on the atoms'
    segments (``_segments``) with the viewer's logged views. ``comments=False`` (the previous
    wave's table, read for the comparison only) decides no comment cell and logs none."""
    if filter_field not in FILTERS or filter_value not in FILTERS[filter_field]:
        filter_field = filter_value = ""
    site = wave.survey.site
    teams = list(reader_teams(user).filter(site_id=site.pk).order_by("code"))
    codes = {t.pk: t.code for t in teams}
    specs = [_Spec(("site", site.pk), site.name, "site", None)]
    specs += [_Spec(("team", t.pk), t.name, "team", t.pk) for t in teams]
    if filter_field:
        specs = [
            s
            for spec in specs
            for s in (
                spec,
                _Spec(
                    (*spec.key, filter_field, filter_value),
                    spec.label,
                    "filter",
                    spec.team_id,
                    filter_field,
                    filter_value,
                ),
            )
        ]

    atoms = tallies.atoms(wave)
    keys: list[AtomKey] = [(a.team_id, a.tenure_band, a.channel) for a in atoms]
    now = {_atom_name("r", k): a.sheets for k, a in zip(keys, atoms, strict=True) if a.sheets}
    now.update(
        {_atom_name("c", k): a.comments for k, a in zip(keys, atoms, strict=True) if a.comments}
    )
    history = _history(user, wave)
    current, past, weights = _segments(now, history)
    by_team: dict[int | None, list[int]] = defaultdict(list)
    for n, k in enumerate(keys):
        by_team[k[0]].append(n)
    prior = _previous_wave(wave)
    joined_pairs, left_pairs = _wave_pairs(wave, prior) if prior is not None else ({}, {})
    joined_index, left_index = _by_team(joined_pairs), _by_team(left_pairs)

    cells, comment_cells, matched = [], [], []
    for spec in specs:
        pool = range(len(keys)) if spec.team_id is None else by_team.get(spec.team_id, [])
        where = [n for n in pool if spec.match(keys[n])]
        matched.append(where)
        joined = _changed(joined_pairs, joined_index, spec) if prior is not None else 0
        left = _changed(left_pairs, left_index, spec) if prior is not None else 0
        cell_kind = "filter" if spec.kind == "filter" else "group"
        for prefix, out in (("r", cells), ("c", comment_cells)):
            members = frozenset(
                m for n in where for m in current.get(_atom_name(prefix, keys[n]), ())
            )
            out.append(Cell(spec.key, members, cell_kind, joined, left))
    verdicts = guard(cells, wave.min_scores, past, weights)
    # comments are shown only under a shown row: the others are not decided (nor logged)
    comment_verdicts = {c.key: Verdict(c.key, 0, False) for c in comment_cells}
    if comments:
        comment_verdicts.update(
            guard(
                [c for c in comment_cells if verdicts[c.key].shown],
                wave.min_comments,
                past,
                weights,
            )
        )
    if remember:
        shown = []
        for spec, where in zip(specs, matched, strict=True):
            for prefix, decided in (("r", verdicts), ("c", comment_verdicts)):
                if decided[spec.key].shown:
                    names = (_atom_name(prefix, keys[n]) for n in where)
                    shown.append({name: now[name] for name in names if name in now})
        _remember(user, wave, shown)

    shape = tallies.layout(wave)
    sums = np.array([a.sums for a in atoms], dtype=np.int64).reshape(len(atoms), shape.size)
    texts: dict[AtomKey, list[str]] = defaultdict(list)
    if any(v.shown for v in comment_verdicts.values()):
        names_ = _names(site)
        for team_id, band, channel, text in Comment.objects.filter(wave=wave).values_list(
            "team_id", "tenure_band", "channel", "text"
        ):
            texts[(team_id, band, channel)].append(scrub(text, names_))
    rows: list[Row] = []
    for spec, where, comment_cell in zip(specs, matched, comment_cells, strict=True):
        row = Row(
            spec.key,
            spec.label,
            spec.kind,
            verdicts[spec.key],
            team_id=spec.team_id,
            team_code=codes.get(spec.team_id, ""),  # type: ignore[arg-type]
        )
        if row.shown:
            total = sums[where].sum(axis=0).tolist()
            row.scores = tally.scores(shape, total)
            row.enps = tally.enps(total)
            row.index = _index(row.scores)
            if comment_verdicts[spec.key].shown:
                row.comments = sorted(t for n in where for t in texts[keys[n]])
            elif comment_cell.members and comments:
                row.comments_reason = comment_verdicts[spec.key].reason
        rows.append(row)
    if compare and prior is not None:
        before = {
            r.key: r
            for r in results(
                prior,
                user,
                filter_field,
                filter_value,
                remember=remember,
                compare=False,
                comments=False,
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
        [f.key for f in FACTORS if f.key in factors_of(wave.items)],
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
