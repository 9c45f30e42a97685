"""The offer → agent → enrolment → buddy chain: wellbeing pairs the new hire (一帮一)."""

import datetime as dt

import pytest

from zhiren.core.registries import onboarding_steps
from zhiren.recruiting import services
from zhiren.training.models import Enrolment
from zhiren.wellbeing.models import BuddyPair
from zhiren.wellbeing.onboarding import pair_new_hire

from ..factories import AgentFactory
from ..training import helpers as training
from .helpers import candidate, offer, requisition

pytestmark = pytest.mark.django_db


def test_an_accepted_offer_enrols_the_hire_and_books_a_buddy(world):
    hr = world.user("hr")
    training.programme(world.site_a)
    c = candidate(world.site_a, hr, requisition=requisition(world.site_a, hr), name="新同学")
    start = dt.date(2026, 3, 16)  # the offer's start date
    world.team_a1.agents.update(hire_date=start - dt.timedelta(days=30))  # the world's: new
    busy = AgentFactory(team=world.team_a1, hire_date=start - dt.timedelta(days=900))
    free = AgentFactory(team=world.team_a1, hire_date=start - dt.timedelta(days=200))
    AgentFactory(team=world.team_a1, hire_date=start - dt.timedelta(days=179))  # too new
    BuddyPair.objects.create(helper=busy, buddy=world.agent, started_on=start)
    assert [e.name for e in onboarding_steps.entries()][-1] == "buddy"
    lines = services.accept_offer(offer(c, world.team_a1), user=hr)
    c.refresh_from_db()
    pair = BuddyPair.objects.get(buddy=c.agent)
    assert (pair.helper, pair.started_on, pair.ended_on) == (free, start, None)
    assert any(free.name in line for line in lines)
    assert Enrolment.objects.filter(agent=c.agent).exists()  # training's step ran first
    assert pair_new_hire(c.agent) == ""  # already paired: nothing more


def test_no_experienced_colleague_means_no_pair_and_says_so(world):
    hire = AgentFactory(team=world.team_b1, hire_date=dt.date(2026, 3, 16))
    for agent in world.team_b1.agents.exclude(pk=hire.pk):
        agent.hire_date = dt.date(2026, 1, 1)
        agent.save(update_fields=["hire_date"])
    line = pair_new_hire(hire)
    assert "No buddy yet" in line and not BuddyPair.objects.filter(buddy=hire).exists()
