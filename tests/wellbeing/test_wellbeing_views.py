"""Check-ins, note privacy with audit, the board's suppression, alerts and the nightly job."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from zhiren.audit.models import AuditEvent
from zhiren.wellbeing import services
from zhiren.wellbeing.models import (
    AlertStatus,
    BoardMessage,
    BuddyPair,
    EvaluationRun,
    MoodAlert,
    MoodCycle,
    MoodEntry,
    Source,
)

from ..factories import AgentFactory, agent_user

pytestmark = pytest.mark.django_db
NOTE = "和男朋友分手了,心里很难受"


def weekdays_back(n, end=None):
    day, days = end or timezone.localdate(), []
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


# --- check-in -------------------------------------------------------------------------------


def test_agent_checks_in_and_corrects(world, client_for):
    client = client_for(world.user("agent"))
    url = reverse("wellbeing:check_in")
    response = client.post(url, {"score": "2", "causes": ["workload", "customer"], "note": NOTE})
    assert response.status_code == 302
    entry = MoodEntry.objects.get(agent=world.agent, source=Source.SELF)
    assert (entry.score, entry.causes, entry.note) == (2, ["workload", "customer"], NOTE)
    # The one-tap face on the home page changes the score and keeps the details.
    client.post(url, {"score": "3", "quick": "1"})
    entry.refresh_from_db()
    assert (entry.score, entry.causes, entry.note) == (3, ["workload", "customer"], NOTE)
    assert MoodEntry.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [{}, {"score": "0"}, {"score": "6"}, {"score": "x"}, {"score": "3", "causes": ["bored"]},
     {"score": "3", "note": "x" * 501}],
)
def test_check_in_validation_keeps_what_was_typed(world, client_for, data):
    response = client_for(world.user("agent")).post(reverse("wellbeing:check_in"), data)
    assert response.status_code == 200
    assert not MoodEntry.objects.exists()
    if data.get("note"):
        assert data["note"] in response.content.decode()


def test_home_shows_the_check_in_card(world, client_for):
    body = client_for(world.user("agent")).get("/").content.decode()
    assert 'data-testid="mood-card"' in body and 'data-testid="home-face-5"' in body


# --- note privacy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [("agent", True), ("lead", True), ("hr", True), ("other_lead", False), ("qa", False),
     ("manager", False), ("trainer", False), ("admin", False)],
)
def test_note_visibility_and_audit(world, client_for, role, sees):
    from ..factories import UserFactory, grant

    MoodEntry.objects.create(agent=world.agent, day=timezone.localdate(), source=Source.SELF,
                             score=2, note=NOTE)
    if role == "other_lead":
        user = UserFactory(username="lead2")
        grant(user, "team_lead", teams=[world.team_a2])
    else:
        user = world.user(role)
    response = client_for(user).get(reverse("wellbeing:agent_moods", kwargs={"pk": world.agent.pk}))
    events = AuditEvent.objects.filter(subject_agent_id=world.agent.pk, action="read")
    if sees:
        assert response.status_code == 200 and NOTE in response.content.decode()
        event = events.get()
        assert event.actor == user and event.fields == ["note"]
        assert NOTE not in json.dumps([event.fields, event.purpose])
    else:
        assert response.status_code == 404
        assert not events.exists()


def test_peers_never_see_a_colleagues_mood(world, client_for):
    peer_user = agent_user(world.peer, username="peer")
    MoodEntry.objects.create(agent=world.agent, day=timezone.localdate(), source=Source.SELF,
                             score=1, note=NOTE)
    client = client_for(peer_user)
    assert client.get(reverse("wellbeing:agent_moods", kwargs={"pk": world.agent.pk})).status_code == 404
    body = client.get(reverse("wellbeing:board")).content.decode()
    assert NOTE not in body and world.agent.name not in body


# --- the board: aggregates only ------------------------------------------------------------


def _board_data(response):
    match = re.search(r'<script id="board-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    return json.loads(match.group(1))


def test_board_hides_days_below_five_check_ins(world, client_for):
    today = timezone.localdate()
    members = [world.agent, world.peer] + [AgentFactory(team=world.team_a1) for _ in range(4)]
    for i, agent in enumerate(members[:4]):  # four check-ins today: hidden
        MoodEntry.objects.create(agent=agent, day=today, source=Source.SELF, score=1 + i,
                                 causes=["workload"])
    client = client_for(world.user("agent"))
    response = client.get(reverse("wellbeing:board"))
    body = response.content.decode()
    assert 'data-testid="board-today-hidden"' in body
    assert 'data-testid="board-spread"' not in body
    data = _board_data(response)
    assert data["means"][-1] is None and all(m is None for m in data["means"])
    assert "Workload" not in body and "工作量" not in body  # cause tally hidden too
    for agent in members:
        assert agent.name not in body

    MoodEntry.objects.create(agent=members[4], day=today, source=Source.SELF, score=5)
    response = client.get(reverse("wellbeing:board"))
    body = response.content.decode()
    assert 'data-testid="board-today-mean"' in body and 'data-testid="board-spread"' in body
    assert _board_data(response)["means"][-1] == pytest.approx((1 + 2 + 3 + 4 + 5) / 5)
    for agent in members:
        assert agent.name not in body
    # The board's JSON carries only day labels and team means.
    assert set(_board_data(response)) == {"days", "means"}


def test_manager_sees_team_aggregates_not_people(world, client_for):
    today = timezone.localdate()
    for _ in range(5):
        MoodEntry.objects.create(agent=AgentFactory(team=world.team_a1), day=today,
                                 source=Source.SELF, score=3, note=NOTE)
    client = client_for(world.user("manager"))
    body = client.get(reverse("wellbeing:board"), {"team": world.team_a1.pk}).content.decode()
    assert 'data-testid="teams-summary"' in body and NOTE not in body
    assert client.get(reverse("wellbeing:board"), {"team": world.team_b1.pk}).status_code == 404
    assert client.get(reverse("wellbeing:alert_list")).status_code == 404


def test_board_messages(world, client_for):
    client = client_for(world.user("agent"))
    client.post(reverse("wellbeing:board_post", kwargs={"pk": world.team_a1.pk}),
                {"body": "大家加油!", "signed": ""})
    message = BoardMessage.objects.get()
    assert message.author_name == "" and message.team == world.team_a1
    assert "大家加油!" in client.get(reverse("wellbeing:board")).content.decode()
    lead = client_for(world.user("lead"))
    lead.post(reverse("wellbeing:board_hide", kwargs={"pk": message.pk}))
    message.refresh_from_db()
    assert message.hidden


# --- nightly evaluation and alerts ----------------------------------------------------------


def _plant_history(world):
    today = timezone.localdate()
    days = weekdays_back(60, today)
    for i, day in enumerate(days):
        MoodEntry.objects.create(agent=world.agent, day=day, source=Source.SELF,
                                 score=1 if day.weekday() == 0 else 4)
        score = 2 if i >= len(days) - 3 else 4
        MoodEntry.objects.create(agent=world.peer, day=day, source=Source.SELF, score=score)
        MoodEntry.objects.create(agent=world.far, day=day, source=Source.SELF,
                                 score=2 if i == len(days) - 1 else 4)
    world.far.position = "complaints"
    world.far.save()
    return today


def test_nightly_job_finds_cycles_and_alerts_and_is_idempotent(world):
    today = _plant_history(world)
    run = services.run_nightly(today)
    assert run.agents == 4
    assert MoodCycle.objects.filter(agent=world.agent, kind="weekday", key=0).exists()
    kinds = set(MoodAlert.objects.values_list("agent_id", "kind"))
    assert (world.peer.pk, "sustained_low") in kinds
    assert (world.far.pk, "low_on_hard_queue") in kinds
    assert (world.far.pk, "sharp_drop") in kinds
    before = (MoodAlert.objects.count(), MoodCycle.objects.count())
    call_command("wellbeing_nightly", "--date", today.isoformat())
    assert (MoodAlert.objects.count(), MoodCycle.objects.count()) == before
    assert EvaluationRun.objects.count() == 1


def test_nightly_task_runs(world):
    from zhiren.wellbeing.tasks import nightly_evaluation

    today = _plant_history(world)
    result = nightly_evaluation.enqueue(today.isoformat())
    assert result.return_value["agents"] == 4


def test_lead_records_an_action_and_the_alert_is_not_raised_again(world, client_for):
    today = _plant_history(world)
    services.run_nightly(today)
    alert = MoodAlert.objects.get(agent=world.peer, kind="sustained_low")
    client = client_for(world.user("lead"))
    home = client.get("/").content.decode()
    assert 'data-testid="lead-mood-panel"' in home and world.peer.name in home
    assert world.far.name not in home  # another site's alert
    page = client.get(reverse("wellbeing:alert_detail", kwargs={"pk": alert.pk})).content.decode()
    assert 'data-testid="talk-link"' in page or "people:talk_create" not in page
    response = client.post(reverse("wellbeing:alert_detail", kwargs={"pk": alert.pk}),
                           {"action": "buddy", "note": "请老员工带一周"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.action, alert.acted_by) == (AlertStatus.ACTED, "buddy", world.user("lead"))
    services.run_nightly(today)
    assert MoodAlert.objects.filter(agent=world.peer, kind="sustained_low").count() == 1
    # A further low day after the action still does not reopen the same episode,
    # but three new low days would.
    assert AuditEvent.objects.filter(object_type="wellbeing.moodalert", action="update").exists()


def test_action_is_required_unless_dismissed(world, client_for):
    alert = MoodAlert.objects.create(agent=world.agent, kind="sharp_drop", day=date(2025, 3, 3),
                                     raised_on=date(2025, 3, 3), evidence={"days": ["2025-03-03"]})
    client = client_for(world.user("lead"))
    url = reverse("wellbeing:alert_detail", kwargs={"pk": alert.pk})
    assert client.post(url, {"action": ""}).status_code == 200
    client.post(url, {"dismiss": "1"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED


def test_lead_enters_observed_moods_from_the_grid(world, client_for):
    client = client_for(world.user("lead"))
    url = reverse("wellbeing:team_grid", kwargs={"pk": world.team_a1.pk})
    response = client.post(url, {f"score-{world.agent.pk}": "2", f"score-{world.peer.pk}": "5"})
    assert response.status_code == 302
    observed = dict(MoodEntry.objects.filter(source=Source.OBSERVED).values_list("agent_id", "score"))
    assert observed == {world.agent.pk: 2, world.peer.pk: 5}
    client.post(url, {f"score-{world.agent.pk}": "0"})
    assert not MoodEntry.objects.filter(agent=world.agent, source=Source.OBSERVED).exists()
    assert client.post(url, {f"score-{world.peer.pk}": "9"}).status_code == 200


def test_buddy_pairs_with_history(world, client_for):
    client = client_for(world.user("lead"))
    client.post(reverse("wellbeing:buddy_list"),
                {"helper": world.peer.pk, "buddy": world.agent.pk, "reason": "新人"})
    pair = BuddyPair.objects.get()
    assert pair.active and pair.created_by == world.user("lead")
    # One active pair per helped agent; not across teams.
    response = client.post(reverse("wellbeing:buddy_list"),
                           {"helper": world.peer.pk, "buddy": world.agent.pk})
    assert response.status_code == 200 and BuddyPair.objects.count() == 1
    client.post(reverse("wellbeing:buddy_end", kwargs={"pk": pair.pk}), {"outcome": "好多了"})
    pair.refresh_from_db()
    assert not pair.active and pair.outcome == "好多了"
    body = client.get(reverse("wellbeing:buddy_list")).content.decode()
    assert "好多了" in body
