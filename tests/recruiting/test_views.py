"""Pages: audited reads of candidates, the gap with the site's own attrition, requisitions, the report."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.audit.models import AuditEvent
from zhiren.org.models import AgentStatus
from zhiren.privacy.models import Departure
from zhiren.recruiting import selectors
from zhiren.recruiting.models import Requisition

from ..factories import AgentFactory
from .helpers import candidate, interview, requisition, role

pytestmark = pytest.mark.django_db


def test_every_read_of_a_candidate_is_audited(world, client_for):
    c = candidate(world.site_a, world.user("hr"), name="林小雨")
    other = candidate(world.site_a, world.user("hr"))
    client = client_for(world.user("hr"))
    assert client.get(reverse("recruiting:home")).status_code == 200
    listed = AuditEvent.objects.filter(action="read", object_type="recruiting.candidate")
    assert set(listed.values_list("object_id", flat=True)) == {str(c.pk), str(other.pk)}
    assert listed.first().fields == sorted(["name", "source", "stage"])
    response = client.get(reverse("recruiting:candidate", args=[c.pk]))
    assert "林小雨" in response.content.decode()
    read = AuditEvent.objects.filter(
        action="read", object_type="recruiting.candidate", object_id=str(c.pk)
    )
    assert read.count() == 2 and "phone" in read.order_by("pk").last().fields


def test_an_interviewer_sees_their_candidate_and_no_one_else(world, client_for):
    mine = candidate(world.site_a, stage="screened", name="林小雨")
    card = interview(mine, [world.user("lead")]).scorecards.get()
    other = candidate(world.site_a)
    client = client_for(world.user("lead"))
    assert client.get(reverse("recruiting:candidate", args=[mine.pk])).status_code == 200
    assert client.get(reverse("recruiting:candidate", args=[other.pk])).status_code == 404
    page = client.get(reverse("recruiting:home")).content.decode()
    assert "林小雨" in page and reverse("recruiting:scorecard", args=[card.pk]) in page
    assert AuditEvent.objects.filter(actor=world.user("lead"), object_id=str(mine.pk)).exists()


def test_the_gap_uses_the_sites_own_leavers(world, monkeypatch, _clock):
    _clock.move_to(dt.datetime(2026, 3, 11, 10, tzinfo=dt.UTC), tick=False)  # a Wednesday
    today = timezone.localdate()
    for n in range(4):
        left = AgentFactory(team=world.team_a1, status=AgentStatus.LEFT)
        Departure.objects.create(agent=left, noticed_on=today - dt.timedelta(weeks=n * 5 + 1))
    far = AgentFactory(team=world.team_b1, status=AgentStatus.LEFT)
    Departure.objects.create(agent=far, noticed_on=today - dt.timedelta(days=3))  # another site
    old = AgentFactory(team=world.team_a1, status=AgentStatus.LEFT)
    Departure.objects.create(
        agent=old, noticed_on=today - dt.timedelta(weeks=30)
    )  # before the look-back
    attrition = selectors.site_attrition(world.site_a, today)
    assert (attrition["leavers"], attrition["headcount"]) == (4, 3)  # agent, peer, a2_agent
    assert attrition["rate"] == pytest.approx(4 / (3 + 2) / 26)

    def fake_weekly_fte(site, weeks, hours_per_fte=40.0):
        assert weeks[0] == dt.date(2026, 3, 16)  # the coming Monday (today is Wednesday 11 March)
        return [
            {"code": "aftersales", "name": "售后", "required": [3.0] * len(weeks), "available": 3.0}
        ]

    monkeypatch.setattr(selectors, "weekly_fte", fake_weekly_fte)
    found = selectors.staffing_gap(world.site_a, today, weeks=8, training_days=14)
    queue = found["queues"][0]
    rate = attrition["rate"]
    assert queue.weeks[-1].available == round(3 * (1 - rate) ** 8, 2)
    assert queue.headcount == 1 and queue.first_short is not None


def test_weekly_fte_counts_skilled_agents_in_shares(world):
    from zhiren.workforce.models import Queue
    from zhiren.workforce.planning.selectors import weekly_fte

    Queue.objects.create(site=world.site_a, code="voice-q", name="电话", channel="voice")
    Queue.objects.create(site=world.site_a, code="chat-q", name="在线", channel="chat")
    world.agent.channel_skills = ["voice", "chat"]
    world.agent.save()
    world.peer.channel_skills = ["voice"]
    world.peer.save()
    world.a2_agent.channel_skills = []
    world.a2_agent.save()
    rows = {
        r["code"]: r for r in weekly_fte(world.site_a, [dt.date(2026, 3, 16), dt.date(2026, 3, 23)])
    }
    assert rows["voice-q"]["available"] == 1.5 and rows["chat-q"]["available"] == 0.5
    assert len(rows["voice-q"]["required"]) == 2 and all(
        v >= 0 for v in rows["voice-q"]["required"]
    )


def test_a_planner_raises_a_requisition_from_the_gap_and_the_manager_approves(world, client_for):
    client = client_for(world.user("hr"))
    url = (
        reverse("recruiting:requisition_new")
        + f"?site={world.site_a.pk}&headcount=4&queue_code=aftersales"
    )
    assert 'value="4"' in client.get(url).content.decode()
    response = client.post(
        reverse("recruiting:requisition_new"),
        {
            "site": world.site_a.pk,
            "role": role().pk,
            "queue_code": "aftersales",
            "headcount": 4,
            "needed_by": "2026-04-20",
            "training_days": 21,
            "budget": "12000",
            "gap_fte": "3.6",
        },
    )
    assert response.status_code == 302
    req = Requisition.objects.get()
    assert (req.headcount, req.gap_fte, req.created_by) == (4, 3.6, world.user("hr"))
    client = client_for(world.user("manager"))
    assert (
        client.post(
            reverse("recruiting:requisition_decide", args=[req.pk]), {"decision": "approve"}
        ).status_code
        == 302
    )
    req.refresh_from_db()
    assert req.status == "approved"


def test_the_channel_report_page(world, client_for):
    c = candidate(world.site_a, source="campus", hired_on=dt.date(2026, 1, 5))
    c.agent = world.peer
    c.save()
    response = client_for(world.user("manager")).get(reverse("recruiting:report"))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-chart="chart-retention"' in page
    assert "chart-retention" in response.context["charts"]
    rows = response.context["rows"]
    assert rows[0]["row"].hires == 1 and rows[0]["retention"][30].value == 1.0
    assert response.context["correlations"][0][1].r is None  # not enough data


def test_qa_of_the_first_60_days_counts_each_hires_own_window(world):
    from decimal import Decimal

    from zhiren.quality.models import Evaluation

    from ..quality.helpers import contact, scorecard

    hired_on = dt.date(2025, 12, 1)
    c = candidate(
        world.site_a, source="agency", hired_on=hired_on, applied_on=dt.date(2025, 11, 20)
    )
    c.agent = world.peer
    c.save()
    version = scorecard(world.site_a).current()
    now = timezone.now()
    for days, score, status in (
        (-1, 10, "released"),
        (0, 80, "released"),
        (59, 90, "released"),
        (60, 10, "released"),
        (30, 10, "submitted"),
    ):
        day = hired_on + dt.timedelta(days=days)
        Evaluation.objects.create(
            interaction=contact(world.peer, day=day),
            agent=world.peer,
            team=world.team_a1,
            version=version,
            inspector=world.user("qa"),
            answers={},
            score=Decimal(score),
            day=day,
            submitted_at=now,
            status=status,
        )
    found = selectors.applicants(
        world.site_a.__class__.objects.all(),
        dt.date(2025, 11, 1),
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 11),
    )
    assert [a.qa60 for a in found] == [85.0]  # days 0 and 59, released only


def test_the_questions_page_stores_knockout_sjt_and_orientation(world, client_for):
    from zhiren.recruiting import catalogue
    from zhiren.recruiting.models import AssessmentResult

    req = requisition(
        world.site_a, world.user("manager")
    )  # an after-sales role: service-minded wanted
    c = candidate(world.site_a, requisition=req)
    data = {f"ko_{key}": "yes" for key, _label in catalogue.KNOCKOUT}
    data |= {f"sjt_{item['key']}": "a" for item in catalogue.SJT_ITEMS}
    data |= {f"or_{key}": "b" for key in catalogue.ORIENTATION_KEYS}  # all sales answers
    client = client_for(world.user("hr"))
    assert client.post(reverse("recruiting:questions", args=[c.pk]), data).status_code == 302
    kinds = dict(AssessmentResult.objects.filter(candidate=c).values_list("kind", "score"))
    assert kinds == {"knockout": None, "sjt": 0.5, "orientation": 0.0}  # SJT: 2 + 0 + 2 + 0 of 8
    page = client.get(reverse("recruiting:candidate", args=[c.pk])).content.decode()
    assert "sales-minded" in page and "does not match the role" in page
