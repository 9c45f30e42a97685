"""The hires' stored figures (``HireFigures``) give the channel report the same numbers as
aggregating QA evaluations, daily statistics, enrolments and departures on every load."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from zhiren.core.registries import periodic_jobs
from zhiren.org.models import AgentStatus, Site
from zhiren.performance.models import DailyStat
from zhiren.privacy.models import Departure
from zhiren.quality.models import Evaluation
from zhiren.recruiting import figures, selectors
from zhiren.recruiting.models import AssessmentResult, HireFigures

from ..factories import AgentFactory
from ..quality import helpers as quality
from ..training import helpers as training
from .helpers import candidate

TODAY = dt.date(2026, 3, 11)
START = TODAY - dt.timedelta(days=400)


@pytest.fixture
def march(_clock):
    _clock.move_to(dt.datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))


def _evaluation(agent, day, score, card, qa, *, released=True):
    now = timezone.now()
    return Evaluation.objects.create(
        interaction=quality.contact(agent, day=day),
        agent=agent,
        team=agent.team,
        version=card.current(),
        inspector=qa,
        answers={},
        score=Decimal(score),
        day=day,
        submitted_at=now,
        status="released" if released else "submitted",
        released_at=now if released else None,
    )


def _stat(agent, day, answered, handle):
    DailyStat.objects.create(
        day=day, agent=agent, team=agent.team, channel="voice", answered=answered, handle_sum=handle
    )


def _hire(world, days_ago, source, *, typing=None):
    hired_on = TODAY - dt.timedelta(days=days_ago)
    agent = AgentFactory(team=world.team_a1, hire_date=hired_on)
    c = candidate(
        world.site_a, source=source, applied_on=hired_on - dt.timedelta(days=10), hired_on=hired_on
    )
    c.agent = agent
    c.save()
    if typing is not None:
        now = timezone.now()
        AssessmentResult.objects.create(
            candidate=c, kind="typing", issued_at=now, submitted_at=now, score=typing
        )
    return agent


def _plant(world):
    """Six hires over three channels: QA inside and outside the first 60 days, AHT windows
    over and not yet over, leavers noticed and not yet noticed, nesting ended and open."""
    qa = world.user("qa")
    card = quality.scorecard(world.site_a)
    old = _hire(world, 200, "referral", typing=55)
    _evaluation(old, old.hire_date + dt.timedelta(days=3), "80", card, qa)
    _evaluation(old, old.hire_date + dt.timedelta(days=59), "91", card, qa)
    _evaluation(old, old.hire_date + dt.timedelta(days=60), "10", card, qa)  # after the window
    _evaluation(old, old.hire_date + dt.timedelta(days=5), "20", card, qa, released=False)
    for offset, answered, handle in ((29, 9, 9000), (30, 10, 3000), (59, 10, 4000), (75, 4, 1000)):
        _stat(old, old.hire_date + dt.timedelta(days=offset), answered, handle)
    training.enrolment(old, status="graduated")

    gone = _hire(world, 150, "referral", typing=31)
    _evaluation(gone, gone.hire_date + dt.timedelta(days=10), "70", card, qa)
    _stat(gone, gone.hire_date + dt.timedelta(days=40), 10, 4500)
    gone.status = AgentStatus.LEFT
    gone.save()
    Departure.objects.create(agent=gone, noticed_on=gone.hire_date + dt.timedelta(days=70))
    training.enrolment(gone, status="withdrawn")

    unnoticed = _hire(world, 120, "agency")  # left, the purge has not seen it yet: today
    unnoticed.status = AgentStatus.LEFT
    unnoticed.save()

    recent = _hire(world, 70, "agency", typing=72)  # 60-day window over, 90-day one not yet
    _evaluation(recent, recent.hire_date + dt.timedelta(days=2), "88", card, qa)
    _stat(recent, recent.hire_date + dt.timedelta(days=35), 10, 3300)
    _stat(recent, recent.hire_date + dt.timedelta(days=65), 10, 2000)
    training.enrolment(recent)  # still nesting

    _hire(world, 10, "campus")  # nothing yet
    candidate(world.site_a, source="campus", applied_on=TODAY - dt.timedelta(days=30))
    tenured = AgentFactory(team=world.team_a1, hire_date=TODAY - dt.timedelta(days=400))
    _stat(tenured, TODAY - dt.timedelta(days=3), 10, 2500)
    return {"old": old, "gone": gone, "unnoticed": unnoticed, "recent": recent, "card": card}


def _both(today=TODAY):
    sites = Site.objects.all()
    return (
        selectors.applicants(sites, START, today, today),
        selectors.applicants(sites, START, today, today, live=True),
    )


@pytest.mark.django_db
def test_stored_figures_give_the_live_numbers(world, march):
    planted = _plant(world)
    assert HireFigures.objects.count() == 5  # kept as the inputs were saved
    stored, live = _both()
    assert stored == live
    by_agent = {a.hired_on: a for a in stored if a.hired_on}
    old = by_agent[planted["old"].hire_date]
    assert old.qa60 == pytest.approx(85.5)  # 80 and 91; day 60 and the unreleased one left out
    assert (old.aht60, old.aht90, old.nesting) == (350, 250, True)  # 7000/20, 1000/4
    recent = by_agent[planted["recent"].hire_date]
    assert (recent.aht60, recent.aht90, recent.nesting) == (330, None, None)  # 90 not over yet
    assert by_agent[planted["unnoticed"].hire_date].left_on == TODAY
    gone = by_agent[planted["gone"].hire_date]
    assert (gone.left_on, gone.nesting) == (planted["gone"].hire_date + dt.timedelta(days=70), False)
    sites = Site.objects.all()
    report = selectors.channel_report(sites, START, TODAY, TODAY)
    assert report == selectors.channel_report(sites, START, TODAY, TODAY, live=True)
    # and later, with windows closing and follow-ups growing, still without a refresh
    later = TODAY + dt.timedelta(days=30)
    stored, live = _both(later)
    assert stored == live
    assert {a.hired_on: a for a in stored if a.hired_on}[planted["recent"].hire_date].aht90 == 200


@pytest.mark.django_db
def test_inputs_saved_through_the_app_refresh_the_figures_at_once(world, march):
    planted = _plant(world)
    recent = planted["recent"]
    _evaluation(recent, recent.hire_date + dt.timedelta(days=20), "68", planted["card"], world.user("qa"))
    from zhiren.training.models import Enrolment

    enrolment = Enrolment.objects.get(agent=recent)
    enrolment.status = "graduated"
    enrolment.save()
    stored, live = _both()
    assert stored == live
    hire = HireFigures.objects.get(candidate__agent=recent)
    assert (hire.qa60, hire.nesting) == (78.0, True)
    Evaluation.objects.filter(agent=recent, score=Decimal("68")).delete()
    assert HireFigures.objects.get(candidate__agent=recent).qa60 == 88.0


@pytest.mark.django_db
def test_bulk_loaded_statistics_wait_for_the_periodic_job(world, march):
    planted = _plant(world)
    old = planted["old"]
    DailyStat.objects.bulk_create(  # as performance's roll-ups write them: no signals
        [DailyStat(day=old.hire_date + dt.timedelta(days=80), agent=old, team=old.team,
                   channel="voice", answered=6, handle_sum=600)]
    )
    stored, live = _both()
    assert stored != live  # stale until the job runs
    job = next(e.value for e in periodic_jobs.entries() if e.name == "hire_figures")
    assert job.every() == dt.timedelta(hours=1)
    assert figures.refresh() == 5
    stored, live = _both()
    assert stored == live
    assert {a.hired_on: a for a in stored if a.hired_on}[old.hire_date].aht90 == 160  # 1600 / 10


@pytest.mark.django_db
def test_a_changed_hire_date_or_undone_hire_is_not_read_stale(world, march):
    planted = _plant(world)
    old = planted["old"]
    HireFigures.objects.filter(candidate__agent=old).update(hired_on=TODAY)  # as if written before
    HireFigures.objects.filter(candidate__agent=planted["recent"]).delete()  # and one missing
    stored, live = _both()
    assert stored == live
    assert HireFigures.objects.get(candidate__agent=old).hired_on == old.hire_date
    c = old.candidacy
    c.agent, c.hired_on = None, None
    c.save()
    assert not HireFigures.objects.filter(candidate=c).exists()
    stored, live = _both()
    assert stored == live
