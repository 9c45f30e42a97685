"""Reads of recruiting: the staffing gap of a site, pipelines, the channel report and panel agreement.

Pages pass in what ``scope`` let the user see; these functions add no visibility of their own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from zhiren.org.models import Agent, AgentStatus, Site
from zhiren.performance import handle_time
from zhiren.performance.models import DailyStat
from zhiren.privacy.models import Departure
from zhiren.quality import agreement
from zhiren.workforce.planning.selectors import weekly_fte

from . import channels, figures, gap, timebudget
from .models import (
    AssessmentKind,
    AssessmentResult,
    Candidate,
    ChannelCost,
    Interview,
    InterviewerBudget,
    InterviewScorecard,
    Offer,
    OfferStatus,
    Stage,
)

LOOKBACK_WEEKS = 26


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- the staffing gap -------------------------------------------------------------------------


def site_attrition(site: Site, today: dt.date, weeks: int = LOOKBACK_WEEKS) -> dict:
    """Leavers of the site in the look-back (the day privacy noticed them leave) and the weekly rate."""
    since = today - dt.timedelta(weeks=weeks)
    leavers = Departure.objects.filter(
        agent__team__site=site, noticed_on__gt=since, noticed_on__lte=today
    ).count()
    active = Agent.objects.filter(team__site=site, status=AgentStatus.ACTIVE).count()
    average = active + leavers / 2  # the headcount halfway, assuming leavers left evenly
    rate = gap.weekly_attrition(leavers, average, weeks)
    return {
        "leavers": leavers,
        "headcount": active,
        "weeks": weeks,
        "rate": rate,
        "percent": rate * 100,
    }


def staffing_gap(site: Site, today: dt.date, *, weeks: int = 8, training_days: int = 21) -> dict:
    """The gap per queue for the coming weeks (starting next Monday), after expected attrition."""
    start = monday(today) + dt.timedelta(days=7)
    week_starts = [start + dt.timedelta(weeks=n) for n in range(weeks)]
    attrition = site_attrition(site, today)
    queues = [
        gap.queue_gap(
            row["code"],
            row["name"],
            week_starts,
            row["required"],
            row["available"],
            attrition["rate"],
            training_days=training_days,
            today=today,
        )
        for row in weekly_fte(site, week_starts)
    ]
    return {
        "weeks": week_starts,
        "queues": queues,
        "attrition": attrition,
        "training_days": training_days,
    }


# --- candidates -------------------------------------------------------------------------------


def stage_counts(candidates: QuerySet[Candidate]) -> dict[str, int]:
    counts = dict.fromkeys(Stage.values, 0)
    for row in candidates.order_by().values("stage").annotate(n=Count("pk")):
        counts[row["stage"]] = row["n"]
    return counts


def latest_tests(candidate: Candidate) -> dict[str, AssessmentResult]:
    """The latest submitted result of each test kind."""
    out: dict[str, AssessmentResult] = {}
    for result in candidate.tests.filter(submitted_at__isnull=False).order_by(
        "kind", "-submitted_at"
    ):
        out.setdefault(result.kind, result)
    return out


# --- the channel report -----------------------------------------------------------------------


def _leave_days(hired: QuerySet[Candidate], today: dt.date) -> dict[int, dt.date]:
    """When each hired agent who left did so: the day privacy noticed it, else today (not noticed yet)."""
    agents = hired.values("agent_id")
    noticed = dict(
        Departure.objects.filter(agent_id__in=agents).values_list("agent_id", "noticed_on")
    )
    left = Agent.objects.filter(pk__in=agents, status=AgentStatus.LEFT).values_list("pk", flat=True)
    return {pk: noticed.get(pk, today) for pk in left}


def _aht_windows(hired: QuerySet[Candidate], today: dt.date) -> dict[int, dict[int, float]]:
    """Each hired agent's AHT (Σ handle ÷ Σ answered, seconds) in the month before day 60
    (days 30–59 after the hire) and before day 90 (days 60–89): ``{agent: {60: s, 90: s}}``.

    One query, summed in the database over each hire's own days 30–89, the first window
    apart; a window not over yet (the hire is less than 60 or 90 days ago) or without answered
    contacts is left out."""
    hired_on = F("agent__candidacy__hired_on")
    first = Q(day__lt=figures.DatePlus(hired_on, 60))
    rows = (
        DailyStat.objects.filter(
            agent_id__in=hired.filter(hired_on__lte=today - dt.timedelta(days=60)).values(
                "agent_id"
            ),
            day__gte=figures.DatePlus(hired_on, 30),
            day__lt=figures.DatePlus(hired_on, 90),
        )
        .order_by()
        .values("agent_id", "agent__candidacy__hired_on")
        .annotate(
            total_handle=Sum("handle_sum"),
            total_answered=Sum("answered"),
            h60=Sum("handle_sum", filter=first),
            a60=Sum("answered", filter=first),
        )
    )
    out: dict[int, dict[int, float]] = {}
    for row in rows:
        hired_day = row["agent__candidacy__hired_on"]
        h60, a60 = row["h60"] or 0, row["a60"] or 0
        windows = {60: (h60, a60), 90: (row["total_handle"] - h60, row["total_answered"] - a60)}
        for k, (handle, answered) in windows.items():
            if answered and hired_day + dt.timedelta(days=k) <= today:
                out.setdefault(row["agent_id"], {})[k] = handle / answered
    return out


def _cost_shares(
    found: QuerySet[Candidate], start: dt.date, end: dt.date, rows: list
) -> dict[tuple[int, str], float]:
    """Each (site, channel)'s cost in the months of the period ÷ its applicants in the period:
    the share of the channel's cost one applicant carries."""
    totals = {
        (site_id, source): float(total)
        for site_id, source, total in ChannelCost.objects.filter(
            site_id__in=found.values("site_id"), month__gte=start.replace(day=1), month__lte=end
        )
        .order_by()
        .values_list("site_id", "source")
        .annotate(total=Sum("amount"))
    }
    if not totals:
        return {}
    counts = Counter((row[5], row[1]) for row in rows)
    return {key: total / counts[key] for key, total in totals.items() if counts.get(key)}


_STORED = (
    "agent__status",
    "agent__departure__noticed_on",
    "figures__hired_on",
    "figures__qa60",
    "figures__aht60_handle",
    "figures__aht60_answered",
    "figures__aht90_handle",
    "figures__aht90_answered",
    "figures__nesting",
)


def _stored_rows(found: QuerySet[Candidate]) -> list[tuple]:
    """The candidates with each hire's stored figures (``HireFigures``) and leaving, one query;
    hires without figures, or with figures for another hire date, are refreshed first."""
    columns = ("pk", "source", "agent_id", "hired_on", "recruiter__username", "site_id")
    rows = list(found.values_list(*columns, *_STORED))
    stale = [r[0] for r in rows if r[2] and r[3] and r[8] != r[3]]
    if stale:
        figures.refresh(Candidate.objects.filter(pk__in=stale))
        rows = list(found.values_list(*columns, *_STORED))
    return rows


def _post_hire_stored(rows: list[tuple], today: dt.date) -> dict[int, dict]:
    """Per hired agent: left_on, qa60, aht60, aht90 and nesting from the stored rows."""
    out = {}
    for row in rows:
        agent_id, hired_on = row[2], row[3]
        if not (agent_id and hired_on):
            continue
        status, noticed, _on, qa60, h60, a60, h90, a90, nesting = row[6:]
        windows = figures.aht_windows(hired_on, (h60, a60, h90, a90), today)
        out[agent_id] = {
            "left_on": figures.left_day(status == AgentStatus.LEFT, noticed, today),
            "qa60": qa60,
            "aht60": windows.get(60),
            "aht90": windows.get(90),
            "nesting": nesting,
        }
    return out


def _post_hire_live(found: QuerySet[Candidate], today: dt.date) -> dict[int, dict]:
    """The same figures aggregated from QA evaluations, daily statistics and enrolments now
    (what the report did before the figures were stored; kept to check the stored ones)."""
    hired = found.filter(agent__isnull=False, hired_on__isnull=False)
    ids = list(hired.values_list("agent_id", flat=True))
    if not ids:
        return {}
    left = _leave_days(hired, today)
    qa = figures.qa_first_days(hired)
    aht = _aht_windows(hired, today)
    nesting = figures.nesting(hired.values("agent_id"))
    return {
        agent_id: {
            "left_on": left.get(agent_id),
            "qa60": qa.get(agent_id),
            "aht60": aht.get(agent_id, {}).get(60),
            "aht90": aht.get(agent_id, {}).get(90),
            "nesting": nesting.get(agent_id),
        }
        for agent_id in ids
    }


def applicants(
    sites: QuerySet[Site], start: dt.date, end: dt.date, today: dt.date, *, live: bool = False
) -> list[channels.Applicant]:
    """Plain records of the candidates who applied between the days (a fixed number of queries).

    The related rows are selected through subqueries of the same candidates, never long
    lists of ids (which cost more to build than to run). Each hire's figures past the hire
    date come from ``HireFigures`` (``figures.py``); ``live=True`` aggregates them from their
    sources instead (the same numbers while the stored rows are fresh).
    """
    found = Candidate.objects.filter(site__in=sites, applied_on__range=(start, end)).order_by()
    if live:
        rows = list(
            found.values_list(
                "pk", "source", "agent_id", "hired_on", "recruiter__username", "site_id"
            )
        )
        post_hire = _post_hire_live(found, today)
    else:
        rows = _stored_rows(found)
        post_hire = _post_hire_stored(rows, today)
    panels: dict[int, list[str]] = defaultdict(list)
    for candidate_id, username in (
        InterviewScorecard.objects.filter(
            interview__candidate_id__in=found.values("pk"), submitted_at__isnull=False
        )
        .order_by("interviewer__username")
        .values_list("interview__candidate_id", "interviewer__username")
        .distinct()
    ):
        panels[candidate_id].append(username)
    offers = dict(
        Offer.objects.filter(candidate_id__in=found.values("pk")).values_list(
            "candidate_id", "status"
        )
    )
    scores: dict[str, dict[int, float]] = defaultdict(dict)
    for candidate_id, kind, score in (
        AssessmentResult.objects.filter(
            candidate_id__in=found.values("pk"),
            kind__in=(AssessmentKind.TYPING, AssessmentKind.SJT, AssessmentKind.LISTENING),
            score__isnull=False,
        )
        .order_by("candidate_id", "submitted_at")
        .values_list("candidate_id", "kind", "score")
    ):
        scores[kind][candidate_id] = score  # the latest sitting wins
    minutes: dict[int, float] = defaultdict(float)
    for candidate_id, planned, spent, panel in (
        Interview.objects.filter(
            candidate_id__in=found.values("pk"),
            scheduled_at__lt=timezone.make_aware(
                dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)
            ),
        )
        .order_by()
        .annotate(panel=Count("scorecards"))
        .values_list("candidate_id", "planned_minutes", "minutes_spent", "panel")
    ):
        minutes[candidate_id] += timebudget.spent_minutes(planned, spent) * panel
    shares = _cost_shares(found, start, end, rows)
    typing, sjt, listening = scores["typing"], scores["sjt"], scores["listening"]
    out = []
    nobody: dict = {}
    for pk, source, agent_id, hired_on, recruiter, site_id, *_rest in rows:
        status = offers.get(pk)
        hire = post_hire.get(agent_id, nobody) if agent_id and hired_on else nobody
        out.append(
            channels.Applicant(
                channel=source,
                offered=status is not None,
                offer_accepted=None
                if status in (None, OfferStatus.MADE)
                else status == OfferStatus.ACCEPTED,
                hired_on=hired_on if agent_id else None,
                left_on=hire.get("left_on"),
                qa60=hire.get("qa60"),
                typing=typing.get(pk),
                recruiter=recruiter or "",
                interviewers=tuple(panels.get(pk, ())),
                sjt=sjt.get(pk),
                listening=listening.get(pk),
                nesting=hire.get("nesting"),
                aht60=hire.get("aht60"),
                aht90=hire.get("aht90"),
                cost=shares.get((site_id, source), 0.0),
                interview_minutes=minutes.get(pk, 0.0),
            )
        )
    return out


def _band_order(label: str) -> int:
    """ "< 30" first, then "30–49", "50–69", "≥ 70"."""
    if label.startswith("<"):
        return 0
    digits = "".join(ch if ch.isdigit() else " " for ch in label).split()
    return int(digits[0]) + (1 if label.startswith("≥") else 0)


def channel_report(
    sites: QuerySet[Site], start: dt.date, end: dt.date, today: dt.date, *, live: bool = False
) -> dict:
    """Every table of the report from one pass over the candidates: the follow-up of each hire
    is computed once (``channels.prepare``), then grouped by channel, recruiter, test band and
    interviewer."""
    found = channels.prepare(applicants(sites, start, end, today, live=live), today)
    tenured = handle_time.tenured_median_aht(sites.values_list("pk", flat=True), today)

    def grouped(key) -> list[channels.ChannelRow]:
        return channels.group_rows(found, today, key, tenured_aht=tenured, curves=False)

    by_channel = channels.group_rows(found, today, lambda a: (a.channel,), tenured_aht=tenured)
    return {
        "rows": sorted(by_channel, key=lambda r: -r.applicants),
        "by_recruiter": sorted(
            grouped(lambda a: (a.recruiter,) if a.recruiter else ()), key=lambda r: r.channel
        ),
        "by_band": sorted(
            grouped(channels.typing_band_label), key=lambda r: _band_order(r.channel)
        ),
        "by_sjt": sorted(grouped(channels.sjt_band_label), key=lambda r: _band_order(r.channel)),
        "by_listening": sorted(
            grouped(channels.listening_band_label), key=lambda r: _band_order(r.channel)
        ),
        "by_interviewer": sorted(grouped(lambda a: a.interviewers), key=lambda r: r.channel),
        "typing_retention": channels.score_vs_retention(found, today, "typing"),
        "typing_qa": channels.score_vs_qa(found, "typing"),
        "sjt_retention": channels.score_vs_retention(found, today, "sjt"),
        "sjt_qa": channels.score_vs_qa(found, "sjt"),
        "listening_retention": channels.score_vs_retention(found, today, "listening"),
        "listening_qa": channels.score_vs_qa(found, "listening"),
        "tenured_aht": tenured,
        "applicants": len(found),
    }


# --- panel agreement --------------------------------------------------------------------------


def panel_agreement(kit_ids: list[int]) -> dict[int, dict]:
    """Krippendorff's alpha (ordinal) of submitted ratings per kit, by quality's engine.

    Units are (interview, competency); raters are the interviewers. Per interviewer: how many
    cards, and the mean absolute difference from the other panel members' mean on the same units.
    """
    cards = InterviewScorecard.objects.filter(
        interview__kit_id__in=kit_ids, submitted_at__isnull=False
    ).values_list(
        "interview__kit_id", "interview_id", "interviewer_id", "interviewer__username", "ratings"
    )
    by_kit: dict[int, dict[tuple[int, str], dict[int, float]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    names: dict[int, str] = {}
    for kit_id, interview_id, rater, username, ratings in cards:
        names[rater] = username
        for key, value in (ratings or {}).items():
            if value is not None:
                by_kit[kit_id][(interview_id, key)][rater] = float(value)
    out = {}
    for kit_id, units in by_kit.items():
        raters = sorted({r for unit in units.values() for r in unit})
        keys = sorted(units)
        matrix = [[units[k].get(r) for k in keys] for r in raters]
        gaps: dict[int, list[float]] = defaultdict(list)
        for unit in units.values():
            for r, v in unit.items():
                others = [w for o, w in unit.items() if o != r]
                if others:
                    gaps[r].append(abs(v - sum(others) / len(others)))
        counts = Counter(r for unit in units.values() for r in unit)
        out[kit_id] = {
            "alpha": agreement.alpha(matrix, "ordinal"),
            "units": len(keys),
            "interviewers": [
                {
                    "name": names[r],
                    "ratings": counts[r],
                    "difference": sum(gaps[r]) / len(gaps[r]) if gaps[r] else None,
                }
                for r in raters
            ],
        }
    return out


# --- interviewers' time -----------------------------------------------------------------------


def day_loads(users, day: dt.date, *, exclude: int | None = None) -> dict[int, timebudget.DayLoad]:
    """Each person's interview minutes booked on ``day`` (the recorded minutes of interviews
    already held, else the plan) against their daily budget."""
    ids = [getattr(u, "pk", u) for u in users]
    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
    cards = InterviewScorecard.objects.filter(
        interviewer_id__in=ids,
        interview__scheduled_at__gte=begin,
        interview__scheduled_at__lt=begin + dt.timedelta(days=1),
    )
    if exclude is not None:
        cards = cards.exclude(interview_id=exclude)
    booked: dict[int, list[int]] = {pk: [] for pk in ids}
    for user_id, planned, spent in cards.values_list(
        "interviewer_id", "interview__planned_minutes", "interview__minutes_spent"
    ):
        booked[user_id].append(timebudget.spent_minutes(planned, spent))
    budgets = dict(
        InterviewerBudget.objects.filter(user_id__in=ids).values_list("user_id", "daily_minutes")
    )
    return {pk: timebudget.day_load(booked[pk], budgets.get(pk)) for pk in ids}


def interviewer_week(people, start: dt.date, days: int = 7) -> list[dict]:
    """Each interviewer's booked minutes and budget for ``days`` days from ``start``."""
    week = [start + dt.timedelta(days=n) for n in range(days)]
    loads = {day: day_loads(people, day) for day in week}
    return [
        {"person": person, "days": [(day, loads[day][person.pk]) for day in week]}
        for person in people
    ]
