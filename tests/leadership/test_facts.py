"""The team's data as tables (``team_facts``): each provider's table from planted data, moods only
from five people up, corrections never counted; a 请示 keeps the tables it was sent with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.core.registries import team_facts
from zhiren.leadership import facts, services
from zhiren.leadership.models import Request

from ..factories import AgentFactory

pytestmark = pytest.mark.django_db


def _plant(world, movers=5):
    from zhiren.coaching.models import Feedback
    from zhiren.discipline.models import AttendanceDay
    from zhiren.people.models import Talk, TalkParticipant
    from zhiren.performance.models import DailyStat
    from zhiren.wellbeing.models import MoodEntry

    day = timezone.localdate() - timedelta(days=2)
    lead = world.user("lead")
    DailyStat.objects.create(
        day=day,
        agent=world.agent,
        team=world.team_a1,
        channel="voice",
        offered=100,
        answered=100,
        answered_in_sl=70,
        handle_sum=33000,
    )
    start = timezone.now().replace(hour=1, minute=0) - timedelta(days=2)
    AttendanceDay.objects.create(
        agent=world.agent,
        day=day,
        shift_start=start,
        shift_end=start + timedelta(hours=8),
        late_minutes=12,
    )
    talk = Talk.objects.create(lead=lead, team=world.team_a1, held_on=day, setting="tea")
    TalkParticipant.objects.create(talk=talk, agent=world.agent)
    for kind, last in (("bia", "appreciation"), ("bid", "desired")):
        Feedback.objects.create(
            agent=world.agent,
            lead=lead,
            kind=kind,
            given_on=day,
            behavior="b",
            impact="i",
            **{last: "x"},
        )
    for n in range(movers):
        agent = AgentFactory(team=world.team_a1, employee_no=f"F{n}")
        MoodEntry.objects.create(agent=agent, day=day, source="self", score=3)


def _rows(tables, key):
    return {r[0]: r[1] for t in tables if t.key == key for r in t.rows}


def test_each_provider_contributes_its_table(world):
    _plant(world)
    start, end = facts.period("week", timezone.localdate())
    tables = facts.collect(world.team_a1.pk, start, end)
    assert {t.key for t in tables} >= {
        "performance:kpis",
        "performance:service_level",
        "discipline:attendance",
        "people:talks",
        "coaching:praise",
        "wellbeing:mood",
    }
    assert _rows(tables, "performance:kpis")["Service level"] == "70.0"
    assert _rows(tables, "discipline:attendance")["Late arrivals"] == "1"
    assert _rows(tables, "people:talks")["Talks held"] == "1"
    # praise is counted; the BID correction given the same day is not
    assert _rows(tables, "coaching:praise") == {"Praise given": "1", "Shared on the wall": "0"}
    assert _rows(tables, "wellbeing:mood")["People who answered"] == "5"
    # another team's period sees none of it
    assert facts.collect(world.team_a2.pk, start, end) == []


def test_mood_of_four_people_is_left_out(world):
    _plant(world, movers=4)
    start, end = facts.period("month", timezone.localdate())
    assert "wellbeing:mood" not in {t.key for t in facts.collect(world.team_a1.pk, start, end)}


def test_a_failing_provider_costs_only_its_table(world):
    def broken(team_id, start, end):
        raise RuntimeError("down")

    ok = next(e.value for e in team_facts.entries() if e.name == "people")
    _plant(world)
    with team_facts.replaced([("broken", broken), ("people", ok)]):
        start, end = facts.period("week", timezone.localdate())
        assert [t.key for t in facts.collect(world.team_a1.pk, start, end)] == ["people:talks"]


def test_request_keeps_the_evidence_as_sent(world, client_for):
    from zhiren.people.models import Talk

    _plant(world)
    client = client_for(world.user("lead"))
    page = client.get(reverse("leadership:request_new")).content.decode()
    assert 'data-testid="facts-people:talks"' in page and 'data-testid="chart"' in page
    client.post(
        reverse("leadership:request_new"),
        {
            "team": str(world.team_a1.pk),
            "period": "week",
            "subject": "增开夜班",
            "background": "话务上涨",
            "options": "增开\n外包",
            "recommended": "1",
            "tables": ["people:talks", "performance:service_level"],
        },
    )
    item = Request.objects.get()
    assert [t["key"] for t in item.evidence_data["tables"]] == [
        "performance:service_level",
        "people:talks",
    ]
    Talk.objects.all().delete()  # the data changes after sending: the approver sees the snapshot
    page = client_for(world.user("manager")).get(reverse("leadership:request", args=[item.pk]))
    text = page.content.decode()
    assert 'data-testid="request-evidence"' in text and "Talks held" in text
    assert "Please advise whether this is appropriate." in text


def test_no_tables_picked_keeps_no_snapshot(world):
    assert services.evidence_snapshot(world.team_a1, "week", [], timezone.localdate()) == {}
