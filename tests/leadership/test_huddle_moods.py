"""Moods observed at the 晨会: the lead records them from the huddle page as wellbeing's
morning-meeting observation; each person's mood is the lead's alone (each read audit-logged),
shared screens show only an average of five people or more."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.leadership.selectors import huddle_day

from ..factories import AgentFactory
from .helpers import huddle

pytestmark = pytest.mark.django_db


def observed(agent, day):
    from zhiren.wellbeing.models import MoodEntry, Source

    entry = MoodEntry.objects.filter(agent=agent, day=day, source=Source.OBSERVED).first()
    return entry.score if entry else None


def test_lead_records_moods_from_the_huddle_page(world, client_for):
    from zhiren.audit.models import AuditEvent

    item = huddle(world.team_a1)
    day = huddle_day(item)
    lead = world.user("lead")
    client = client_for(lead)
    url = reverse("leadership:huddle_run", args=[item.pk])
    client.post(url, {"action": "moods", f"mood-{world.agent.pk}": "2", f"mood-{world.peer.pk}": ""})
    assert (observed(world.agent, day), observed(world.peer, day)) == (2, None)
    assert AuditEvent.objects.filter(purpose="huddle: moods observed").count() == 0

    page = client.get(reverse("leadership:huddle", args=[item.pk])).content.decode()
    assert 'data-testid="moods"' in page and f'name="mood-{world.agent.pk}"' in page
    events = list(AuditEvent.objects.filter(purpose="huddle: moods observed"))
    assert [(e.subject_agent_id, e.actor_id, e.object_type) for e in events] == [
        (world.agent.pk, lead.pk, "wellbeing.moodentry")
    ]

    client.post(url, {"action": "moods", f"mood-{world.agent.pk}": "0"})  # cleared
    assert observed(world.agent, day) is None


def test_only_the_teams_lead_sees_and_records_each_mood(world, client_for):
    item = huddle(world.team_a1)
    client = client_for(world.user("manager"))
    page = client.get(reverse("leadership:huddle", args=[item.pk])).content.decode()
    assert f'name="mood-{world.agent.pk}"' not in page
    answer = client.post(
        reverse("leadership:huddle_run", args=[item.pk]),
        {"action": "moods", f"mood-{world.agent.pk}": "4"},
    )
    assert answer.status_code == 404
    assert observed(world.agent, huddle_day(item)) is None
    # an agent of another team cannot be recorded through this team's huddle
    answer = client_for(world.user("lead")).post(
        reverse("leadership:huddle_run", args=[item.pk]),
        {"action": "moods", f"mood-{world.far.pk}": "4"},
    )
    assert answer.status_code == 404 and observed(world.far, huddle_day(item)) is None


def test_tv_view_shows_moods_only_as_an_average_of_five(world, client_for):
    from zhiren.leadership.services import record_moods

    item = huddle(world.team_a1)
    lead = world.user("lead")
    agents = [world.agent, world.peer] + [
        AgentFactory(team=world.team_a1, name=f"组员{n}", employee_no=f"A19{n}") for n in range(3)
    ]
    record_moods(item, {a.pk: 4 for a in agents[:4]}, actor=lead)
    tv = client_for(lead).get(reverse("leadership:huddle_tv", args=[item.pk])).content.decode()
    assert 'data-testid="tv-moods"' not in tv  # four people: nothing on the shared screen

    record_moods(item, {agents[4].pk: 1}, actor=lead)
    tv = client_for(lead).get(reverse("leadership:huddle_tv", args=[item.pk])).content.decode()
    assert 'data-testid="tv-moods"' in tv and "3.4 of 5, 5 people" in tv
    assert world.agent.name not in tv and "mood-" not in tv
    # the observation is wellbeing's: the morning grid of that day shows it
    from zhiren.wellbeing.selectors import team_grid

    rows = team_grid(world.team_a1, timezone.localdate(item.shift_start))
    assert sorted(r["observed"].score for r in rows if r["observed"]) == [1, 4, 4, 4, 4]
