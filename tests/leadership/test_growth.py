"""The lead's growth self-check: evidence for seed 004's seven abilities from what the system
holds (at the edges of its 30 days), the balance wheel, and sharing with the manager only by
the lead's choice (each manager read audit-logged)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from zhiren.leadership import growth, services, wheel
from zhiren.leadership.selectors import visible_self_checks

from .helpers import correction, praise

RATINGS = dict.fromkeys(wheel.ABILITIES, 3)


def test_readings_on_plain_values():
    assert wheel.ratio_reading(3, 1) == 5.0 and wheel.ratio_reading(1, 1) == pytest.approx(1.7)
    assert wheel.ratio_reading(0, 0) is None and wheel.ratio_reading(2, 0) == 5.0
    assert wheel.share_reading(1, 4, 0.5) == 2.5 and wheel.share_reading(0, 0) is None
    assert wheel.count_reading(7) == 5.0
    assert wheel.balance({"time": 2, "emotion": 5, "learning": None}) == 3
    top, *_ = wheel.polygon({"time": 5}, 100, 130)
    assert (top.x, top.y) == (130, 30)  # the first spoke points up


@pytest.mark.django_db
def test_evidence_counts_the_last_30_days_only(world):
    from zhiren.coaching.models import Delegation

    lead = world.user("lead")
    today = timezone.localdate()

    def feedback(kind, days_ago):
        (praise if kind == "bia" else correction)(world.agent, lead, today - timedelta(days=days_ago))

    for days_ago in (0, 29, 29):
        feedback("bia", days_ago)
    feedback("bid", 29)
    feedback("bid", 30)  # one day too old
    Delegation.objects.create(
        agent=world.agent,
        lead=lead,
        title="t",
        assigned_on=today - timedelta(days=29),
        state="coaching",
        what="w",
        why="y",
        good="g",
        check_on=today,
    )
    Delegation.objects.create(
        agent=world.agent,
        lead=lead,
        title="t",
        assigned_on=today - timedelta(days=30),
        state="coaching",
        what="w",
        why="y",
        good="g",
        check_on=today,
    )
    found = growth.evidence(lead, [world.team_a1.pk], today)
    assert found[wheel.EMOTION]["params"] == {"praise": "3", "corrections": "1", "beliefs": "0"}
    assert found[wheel.EMOTION]["reading"] == 5.0
    assert found[wheel.EFFECTIVENESS]["params"] == {"count": "1"}
    assert found[wheel.LEARNING]["reading"] is None
    # no violation in grace, no card decided: no reading rather than a zero
    assert found[wheel.EXECUTION]["reading"] is None and found[wheel.TIME]["reading"] is None


@pytest.mark.django_db
def test_three_beliefs_before_a_correction_are_counted(world, client_for):
    """The feedback form puts the three beliefs (seed 004, 教练之路) before a BID correction, in a
    dismissable panel; a correction written with it shown counts in the self-check, praise never."""
    from zhiren.coaching.models import Feedback

    lead = world.user("lead")
    client = client_for(lead)
    url = reverse("coaching:feedback_create", args=[world.agent.pk])
    page = client.get(f"{url}?kind=bid").content.decode()
    assert 'data-testid="beliefs-prompt"' in page and 'data-kind="bid"' in page
    assert "Believe they will do even better next time." in page
    client.cookies["django_language"] = "zh-hans"
    assert "相信" in client.get(f"{url}?kind=bid").content.decode()
    client.cookies["django_language"] = "en"

    today = timezone.localdate().isoformat()
    bid = {"kind": "bid", "given_on": today, "behavior": "说话太冲", "impact": "客户投诉",
           "desired": "先共情"}
    client.post(url, {**bid, "beliefs_shown": "1"})
    client.post(url, bid)  # the panel was not sent (e.g. written elsewhere): not counted
    client.post(url, {"kind": "bia", "given_on": today, "behavior": "耐心", "impact": "撤诉",
                      "appreciation": "谢谢", "beliefs_shown": "1"})
    shown = dict(Feedback.objects.values_list("kind").annotate(n=Count("pk", filter=Q(beliefs_shown=True))))
    assert shown == {"bid": 1, "bia": 0}
    found = growth.evidence(lead, [world.team_a1.pk], timezone.localdate())
    assert found[wheel.EMOTION]["params"] == {"praise": "1", "corrections": "2", "beliefs": "1"}


@pytest.mark.django_db
def test_talks_on_time_and_time_in_quadrant_ii(world):
    from zhiren.people.models import Talk, TalkCadence, TalkParticipant

    lead = world.user("lead")
    today = timezone.localdate()
    TalkCadence.objects.create(team=world.team_a1, weeks=4)
    talk = Talk.objects.create(
        lead=lead, team=world.team_a1, held_on=today - timedelta(days=28), setting="tea"
    )
    TalkParticipant.objects.create(talk=talk, agent=world.agent)  # due today: still on time
    services.decide(lead, "x:1", "done", quadrant=2)
    services.decide(lead, "x:2", "drop", quadrant=4)
    found = growth.evidence(lead, [world.team_a1.pk], today)
    on_time = found[wheel.INITIATIVE]["params"]
    assert on_time["on_time"] == "1" and int(on_time["agents"]) >= 1
    assert found[wheel.TIME]["params"] == {"plan": "1", "decided": "2", "moved": "0"}
    assert found[wheel.TIME]["reading"] == 5.0  # half the cards in II reads as full marks


@pytest.mark.django_db
def test_shared_only_by_the_lead_and_manager_reads_are_logged(world, client_for):
    from zhiren.audit.models import AuditEvent

    lead, manager = world.user("lead"), world.user("manager")
    client = client_for(lead)
    response = client.post(
        reverse("leadership:growth"), {**RATINGS, "time": "5", "note": "多排谈心"}
    )
    check = visible_self_checks(lead).get()
    assert response.url == reverse("leadership:self_check", args=[check.pk])
    assert check.ratings["time"] == 5 and set(check.evidence) == set(wheel.ABILITIES)
    assert not visible_self_checks(manager).exists()
    page = client.get(reverse("leadership:self_check", args=[check.pk])).content.decode()
    assert 'data-testid="wheel"' in page and "Time management" in page
    client.post(reverse("leadership:self_check_share", args=[check.pk]), {"shared": "1"})
    assert list(visible_self_checks(manager)) == [check]
    for role in ("agent", "qa", "hr", "trainer", "admin"):
        assert not visible_self_checks(world.user(role)).exists()
    page = client_for(manager).get(reverse("leadership:self_check", args=[check.pk]))
    assert page.status_code == 200 and "多排谈心" in page.content.decode()
    assert AuditEvent.objects.filter(object_type="leadership.selfcheck", actor=manager).count() == 1
    assert not AuditEvent.objects.filter(object_type="leadership.selfcheck", actor=lead).exists()
    with pytest.raises(PermissionError):
        services.share_self_check(check, actor=manager, shared=False)


@pytest.mark.django_db
def test_every_ability_must_be_rated(world):
    with pytest.raises(ValueError):
        services.take_self_check(world.user("lead"), team=world.team_a1, ratings={"time": 3})
    with pytest.raises(ValueError):
        services.take_self_check(
            world.user("lead"), team=world.team_a1, ratings={**RATINGS, "time": 6}
        )
