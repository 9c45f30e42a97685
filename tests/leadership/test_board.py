"""The four-quadrant board: each event type lands in its quadrant by the urgency window and why it
matters; the lead's own tasks; done / delegate / schedule / drop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.core.registries import IMPORTANT_PERSON, BoardCard, board_feeds
from zhiren.leadership import quadrants, services
from zhiren.leadership.selectors import board, weekly_review

pytestmark = pytest.mark.django_db


def feed(name):
    return next(e.value for e in board_feeds.entries() if e.name == name)


def placed(user, today=None):
    data = board(user, today or timezone.localdate())
    return {c.key: q for q, _, cards in data["quadrants"] for c in cards}, data


def test_mood_alert_is_urgent_and_important(world):
    from zhiren.wellbeing.models import MoodAlert

    today = timezone.localdate()
    alert = MoodAlert.objects.create(agent=world.agent, kind="very_low", day=today, raised_on=today)
    MoodAlert.objects.create(agent=world.far, kind="very_low", day=today, raised_on=today)
    with board_feeds.replaced([("wellbeing", feed("wellbeing"))]):
        where, data = placed(world.user("lead"))
    assert where == {f"wellbeing.alert:{alert.pk}": quadrants.DO}
    assert data["top"][0].display == "Mood alert: talk with 张三"


def test_talk_due_is_important_and_its_urgency_follows_the_window(world):
    from zhiren.people.models import Talk, TalkCadence, TalkParticipant

    today = timezone.localdate()
    lead = world.user("lead")
    TalkCadence.objects.create(team=world.team_a1, weeks=4)
    for agent, days_ago in (
        (world.agent, 24),
        (world.peer, 10),
    ):  # due in 4 days / in 18 days: no card
        talk = Talk.objects.create(
            lead=lead, team=world.team_a1, held_on=today - timedelta(days=days_ago), setting="tea"
        )
        TalkParticipant.objects.create(talk=talk, agent=agent)
    world.a2_agent.hire_date = today - timedelta(days=400)  # overdue, but not the lead's team
    world.a2_agent.save()
    key = f"people.talk:{world.agent.pk}:{(today + timedelta(days=4)).isoformat()}"
    with board_feeds.replaced([("people", feed("people"))]):
        assert placed(lead)[0] == {key: quadrants.PLAN}
        services.set_window(lead, 4)
        assert placed(lead)[0] == {key: quadrants.DO}


def test_dispute_window_of_a_critical_fail_is_compliance(world):
    from zhiren.quality.models import Evaluation

    from ..quality.helpers import evaluation

    failed = evaluation(world)
    Evaluation.objects.filter(pk=failed.pk).update(critical_failed="total")
    evaluation(world, world.peer)  # passed: no card
    with board_feeds.replaced([("quality", feed("quality"))]):
        where, data = placed(world.user("lead"))
        assert where == {f"quality.dispute:{failed.pk}": quadrants.PLAN}  # closes in 7 days
        services.set_window(world.user("lead"), 7)
        where, data = placed(world.user("lead"))
    assert where == {f"quality.dispute:{failed.pk}": quadrants.DO}
    assert data["top"][0].why_important == "Compliance"


def test_leave_and_swap_waiting_are_urgent_not_important(world):
    from zhiren.workforce.models import LeaveRequest, SwapRequest

    today = timezone.localdate()
    leave = LeaveRequest.objects.create(
        agent=world.agent, start=today + timedelta(days=1), end=today + timedelta(days=2)
    )
    later = LeaveRequest.objects.create(
        agent=world.peer, start=today + timedelta(days=20), end=today + timedelta(days=20)
    )
    swap = SwapRequest.objects.create(
        requester=world.peer, partner=world.agent, day=today + timedelta(days=2), status="pending"
    )
    LeaveRequest.objects.create(agent=world.far, start=today, end=today)
    with board_feeds.replaced([("workforce", feed("workforce"))]):
        where, _ = placed(world.user("lead"))
    assert where == {
        f"workforce.leave:{leave.pk}": quadrants.DELEGATE,
        f"workforce.swap:{swap.pk}": quadrants.DELEGATE,
        f"workforce.leave:{later.pk}": quadrants.DROP,
    }


def test_grace_period_ending_is_compliance(world):
    from zhiren.discipline.models import Rule

    today = timezone.localdate()
    ending = Rule.objects.create(
        site=world.site_a,
        title="工牌佩戴",
        text="…",
        ladder=["warning"],
        announced_on=today - timedelta(days=6),
        grace_days=7,
    )
    Rule.objects.create(
        site=world.site_a,
        title="新规",
        text="…",
        ladder=["warning"],
        announced_on=today - timedelta(days=1),
        grace_days=30,
    )
    with board_feeds.replaced([("discipline", feed("discipline"))]):
        where, data = placed(world.user("lead"))
    assert where == {f"discipline.grace:{ending.pk}": quadrants.DO}
    assert data["top"][0].due == today


def test_plan_check_in_due_is_kpi(world):
    from zhiren.coaching.models import ImprovementPlan, PlanCheckIn

    today = timezone.localdate()
    plan = ImprovementPlan.objects.create(
        agent=world.agent,
        lead=world.user("lead"),
        started_on=today - timedelta(days=20),
        review_on=today + timedelta(days=40),
        coaching_every_days=7,
    )
    PlanCheckIn.objects.create(
        plan=plan, on=today - timedelta(days=6), progress="on_track", note="好"
    )
    with board_feeds.replaced([("coaching", feed("coaching"))]):
        where, data = placed(world.user("lead"))
    assert list(where.values()) == [quadrants.DO]
    assert (
        data["top"][0].due == today + timedelta(days=1)
        and data["top"][0].why_important == "A KPI target"
    )


def test_own_tasks_and_the_leads_decisions(world):
    lead = world.user("lead")
    today = timezone.localdate()
    card = BoardCard(
        key="x:1", kind="x", text="System event", due=today, important=IMPORTANT_PERSON
    )
    with board_feeds.replaced([("x", lambda team_ids, day: [card] if team_ids else [])]):
        task = services.add_task(lead, title="排班复盘", due=None, important="kpi")
        plain = services.add_task(lead, title="整理桌面", due=None, important="")
        where, _ = placed(lead)
        assert where == {
            "x:1": quadrants.DO,
            task.card_key: quadrants.PLAN,
            plain.card_key: quadrants.DROP,
        }

        services.decide(lead, "x:1", "delegate", delegate_to=world.peer, quadrant=quadrants.DO)
        services.decide(lead, task.card_key, "schedule", scheduled_for=today + timedelta(days=2))
        services.decide(lead, plain.card_key, "drop")
        where, data = placed(lead)
        assert where == {}
        assert [c.state.delegated_to for c in data["delegated"]] == [world.peer]
        assert [c.key for c in data["scheduled"]] == [task.card_key]

        back, _ = placed(lead, today + timedelta(days=2))  # a scheduled card comes back on its day
        assert back == {task.card_key: quadrants.PLAN}

        services.decide(lead, "x:1", "reopen")
        with pytest.raises(ValueError):
            services.decide(lead, "x:1", "delegate")
        with pytest.raises(ValueError):
            services.decide(lead, "x:1", "schedule")
        where, _ = placed(lead)
        assert where == {"x:1": quadrants.DO}

    assert placed(world.user("manager"))[0] == {}  # not a lead: no team, no task


def test_window_is_clamped(world):
    assert services.set_window(world.user("lead"), 99).window_days == quadrants.MAX_WINDOW_DAYS
    assert services.set_window(world.user("lead"), -1).window_days == 0


def test_mood_alert_names_shown_are_audit_logged(world, client_for):
    """A mood alert's card names the agent beside mood data: each showing is an audited read."""
    from zhiren.audit.models import AuditEvent
    from zhiren.wellbeing.models import MoodAlert

    today = timezone.localdate()
    MoodAlert.objects.create(agent=world.agent, kind="very_low", day=today, raised_on=today)
    client = client_for(world.user("lead"))
    with board_feeds.replaced([("wellbeing", feed("wellbeing"))]):
        client.get(reverse("leadership:board"))
        client.get(reverse("core:home"))
    events = list(AuditEvent.objects.filter(object_type="wellbeing.moodalert").order_by("id"))
    assert [(e.action, e.subject_agent_id, e.actor_id) for e in events] == [
        ("read", world.agent.pk, world.user("lead").pk)
    ] * 2
    assert [e.purpose for e in events] == ["four-quadrant board", "lead's home: board"]
    assert "kind" in events[0].fields


def test_dispute_card_names_shown_are_audit_logged(world, client_for):
    """A dispute-window card names the agent beside a critical fail (a correction): the lead of
    the team sees the name, and each showing is an audited read; the site manager's view of the
    boards shows counts only, no name, and logs nothing."""
    from zhiren.audit.models import AuditEvent
    from zhiren.quality.models import Evaluation

    from ..quality.helpers import evaluation

    failed = evaluation(world)
    Evaluation.objects.filter(pk=failed.pk).update(critical_failed="total")
    lead = world.user("lead")
    with board_feeds.replaced([("quality", feed("quality"))]):
        page = client_for(lead).get(reverse("leadership:board"))
        client_for(lead).get(reverse("core:home"))
        home = client_for(world.user("manager")).get(reverse("core:home"))
    assert world.agent.name in page.content.decode()
    events = list(AuditEvent.objects.filter(object_type="quality.evaluation").order_by("id"))
    assert [(e.action, e.subject_agent_id, e.actor_id) for e in events] == [
        ("read", world.agent.pk, lead.pk)
    ] * 2
    assert [e.purpose for e in events] == ["four-quadrant board", "lead's home: board"]
    assert "critical_failed" in events[0].fields
    assert home.status_code == 200 and world.agent.name not in home.content.decode()


def test_cards_without_a_person_are_not_logged(world, client_for):
    from zhiren.audit.models import AuditEvent

    card = BoardCard(key="x:1", kind="x", text="Rota review", due=timezone.localdate())
    with board_feeds.replaced([("x", lambda team_ids, today: [card])]):
        client_for(world.user("lead")).get(reverse("leadership:board"))
    assert not AuditEvent.objects.filter(purpose="four-quadrant board").exists()


def test_weekly_review_counts_quadrants_and_what_slid_from_ii_to_i(world, client_for, _clock):
    """A talk first seen in II (deadline beyond the window) that reached I before it was done is
    counted as moved up; time and cards go to the quadrants they were decided in."""
    lead = world.user("lead")
    today = timezone.localdate()
    talk = BoardCard(key="t:1", kind="talk", text="Talk", due=today + timedelta(days=5),
                     important=IMPORTANT_PERSON)
    chore = BoardCard(key="c:1", kind="leave", text="Leave", due=today)
    client = client_for(lead)
    with board_feeds.replaced([("x", lambda team_ids, day: [talk, chore])]):
        client.get(reverse("leadership:board"))
        _clock.move_to(timezone.now() + timedelta(days=4))
        client = client_for(lead)  # a new shift, a new session
        client.get(reverse("leadership:board"))  # the talk is now urgent: quadrant I
        client.post(reverse("leadership:board_decide"),
                    {"key": "t:1", "action": "done", "quadrant": "1", "minutes": "30"})
        client.post(reverse("leadership:board_decide"),
                    {"key": "c:1", "action": "drop", "quadrant": "3", "minutes": "5"})
        page = client.get(reverse("leadership:board_review")).content.decode()
        review = weekly_review(lead, timezone.localdate())
    rows = review["summary"]["quadrants"]
    assert (rows[1]["decided"], rows[1]["minutes"], rows[3]["minutes"]) == (1, 30, 5)
    assert rows[1]["share"] == 50 and rows[1]["minute_share"] == 86
    assert review["summary"]["moved_up"] == 1
    assert "How do we keep things out of quadrant I?" in page
    assert "1 card moved from II" in page


def test_review_math_on_plain_values():
    summary = quadrants.review([(2, "done", 60), (2, "done", None), (4, "dropped", 0)], [1, 1], 0)
    assert summary["quadrants"][2] == {
        "decided": 2, "minutes": 60, "share": 67, "open": 0, "by_status": {"done": 2},
        "minute_share": 100,
    }
    assert summary["quadrants"][1]["open"] == 2 and summary["share_plan"] == 67
    assert quadrants.review([], [], 0)["quadrants"][1]["share"] == 0
