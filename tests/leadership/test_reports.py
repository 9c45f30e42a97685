"""汇报: weekly and monthly reports pre-filled from the team's data (moods only from five people
up), edited before sending, routed to the lead's manager who comments; ad-hoc reports; the task
intake checklist puts a task from above on the board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.leadership import services
from zhiren.leadership.models import Report, ReportStatus, Task
from zhiren.leadership.selectors import board, intakes, visible_reports

from ..factories import AgentFactory
from .helpers import huddle

pytestmark = pytest.mark.django_db


def _moods(world, people):
    from zhiren.wellbeing.models import MoodEntry

    day = timezone.localdate() - timedelta(days=3)
    for n in range(people):
        agent = AgentFactory(team=world.team_a1, employee_no=f"R{n}")
        MoodEntry.objects.create(agent=agent, day=day, source="self", score=2, note="私事")


def test_weekly_report_is_prefilled_with_data_and_open_issues(world):
    from zhiren.people.models import Talk

    lead = world.user("lead")
    Talk.objects.create(
        lead=lead,
        team=world.team_a1,
        held_on=timezone.localdate() - timedelta(days=2),
        setting="tea",
    )
    _moods(world, 5)
    services.add_point(huddle(world.team_a1), actor=lead, text="耳机故障待 IT 处理", follow_up=True)
    item = services.draft_report(author=lead, team=world.team_a1, kind="weekly")
    today = timezone.localdate()
    assert (item.period_start, item.period_end) == (
        today - timedelta(days=7),
        today - timedelta(days=1),
    )
    assert "Talks held 1" in item.body and "Average mood (of 5) 2.0" in item.body
    assert "耳机故障待 IT 处理" in item.body and "私事" not in item.body
    assert {t["key"] for t in item.data["tables"]} >= {"people:talks", "wellbeing:mood"}
    assert item.status == ReportStatus.DRAFT


def test_monthly_report_leaves_out_a_mood_of_four(world):
    _moods(world, 4)
    item = services.draft_report(author=world.user("lead"), team=world.team_a1, kind="monthly")
    assert item.period_end - item.period_start == timedelta(days=29)
    assert "mood" not in item.body.lower()
    assert "wellbeing:mood" not in {t["key"] for t in item.data["tables"]}


def test_draft_is_the_authors_until_sent_then_the_managers_to_comment(world, client_for):
    lead, manager = world.user("lead"), world.user("manager")
    client = client_for(lead)
    client.post(reverse("leadership:report_new"), {"kind": "adhoc", "team": world.team_a1.pk})
    item = Report.objects.get()
    assert item.kind == "adhoc" and item.body == ""
    assert not visible_reports(manager).exists()
    with pytest.raises(ValueError):
        services.comment_report(item, author=manager, text="?")
    client.post(
        reverse("leadership:report_edit", args=[item.pk]),
        {"title": "系统故障临时汇报", "body": "10:05 起排队异常", "action": "send"},
    )
    item.refresh_from_db()
    assert item.status == ReportStatus.SENT and item.sent_at is not None
    assert list(visible_reports(manager)) == [item]
    for role in ("agent", "qa", "hr", "trainer", "admin"):
        assert not visible_reports(world.user(role)).exists()
    with pytest.raises(ValueError):
        services.save_report(item, title="改", body="改")
    page = client_for(manager).post(
        reverse("leadership:report_comment", args=[item.pk]),
        {"text": "请同步 IT 进展"},
        follow=True,
    )
    text = page.content.decode()
    assert "请同步 IT 进展" in text and "10:05 起排队异常" in text
    assert 'data-testid="report-form"' not in text


def test_task_intake_checklist_and_the_board(world, client_for):
    lead = world.user("lead")
    due = timezone.localdate() + timedelta(days=1)
    client = client_for(lead)
    client.post(
        reverse("leadership:intake"),
        {
            "title": "双十一备战",
            "given_by": "王经理",
            "goal": "接通率 90%",
            "deadline": due.isoformat(),
            "important": "kpi",
        },
    )
    page = client.get(reverse("leadership:intake")).content.decode()
    assert "双十一备战" in page
    intake = services.take_in_task(
        lead, title="x", goal="g", deadline=due, resources="r", standards="s", report_to="王经理"
    )
    assert intake.complete
    first = Task.objects.get(title="双十一备战")
    assert first.due == due and first.important == "kpi"
    (row,) = [i for i in intakes(lead) if i.title == "双十一备战"]
    assert dict(row.checklist) == {
        "Goal": True,
        "Deadline": True,
        "Resources": False,
        "Standards": False,
        "Who to report to": False,
    }
    cards = {
        c.display: q for q, _, cs in board(lead, timezone.localdate())["quadrants"] for c in cs
    }
    assert cards["双十一备战"] == 1
