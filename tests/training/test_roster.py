"""The workforce roster honours a nesting cohort's graduated queue exposure (``queue_limits``)."""

from __future__ import annotations

import datetime as dt

from tests.factories import AgentFactory
from zhiren.workforce.drafts.roster import roster_input
from zhiren.workforce.engine.roster.problem import SLOTS_PER_DAY

from . import helpers

START = dt.date(2026, 3, 2)  # the cohort's first Monday


def _setup(world):
    for code in ("faq", "orders", "complaints"):
        helpers.queue(world.site_a, code)
    tenured = AgentFactory(team=world.team_a2, channel_skills=["voice"])
    hire = AgentFactory(
        team=world.team_a2, channel_skills=["voice"], hire_date=dt.date(2026, 2, 20)
    )
    prog = helpers.programme(world.site_a)
    helpers.enrolment(
        hire, prog
    )  # cohort from START: faq (weeks 1–2), faq + orders (3–4), then all
    return tenured, hire


def _skills(world, start, weeks=1):
    demand = {code: [1] * (weeks * 7 * SLOTS_PER_DAY) for code in ("faq", "orders", "complaints")}
    found = roster_input(world.site_a.pk, [world.team_a2.pk], start, weeks, demand=demand)
    return {int(a.id): a.skills for a in found.problem.agents}


def test_nesting_agents_take_only_the_queues_of_their_week(world):
    tenured, hire = _setup(world)
    assert _skills(world, START)[hire.pk] == ("faq",)
    assert _skills(world, START + dt.timedelta(weeks=2))[hire.pk] == ("faq", "orders")
    assert _skills(world, START + dt.timedelta(weeks=4))[hire.pk] == ("complaints", "faq", "orders")
    assert _skills(world, START)[tenured.pk] == ("complaints", "faq", "orders")


def test_a_roster_over_several_weeks_keeps_to_the_narrowest(world):
    _tenured, hire = _setup(world)
    assert _skills(world, START + dt.timedelta(weeks=1), weeks=2)[hire.pk] == ("faq",)


def test_graduates_are_not_limited(world):
    from zhiren.training.models import Enrolment

    _tenured, hire = _setup(world)
    Enrolment.objects.filter(agent=hire).update(status="graduated")
    assert _skills(world, START)[hire.pk] == ("complaints", "faq", "orders")


def test_a_stage_without_queues_keeps_the_agent_off_the_roster(world):
    from zhiren.training.models import Cohort

    _tenured, hire = _setup(world)
    Cohort.objects.update(exposure=[{"key": "classroom", "weeks": 1, "queues": []}])
    assert hire.pk not in _skills(world, START)
    assert hire.pk in _skills(world, START + dt.timedelta(weeks=1))
