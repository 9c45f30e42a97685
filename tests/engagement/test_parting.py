"""Parting on good terms: the handover rules, the offboarding flow, the identified exit survey,
alumni with consent, and the attrition report by site, team and tenure band."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.audit.models import AuditEvent
from zhiren.engagement.models import Invitation, Offboarding
from zhiren.engagement.parting import rules, selectors, services
from zhiren.engagement.services import EngagementError
from zhiren.org.models import AgentStatus

from .helpers import answer


def test_rules_close_only_with_a_reason_the_whole_handover_and_the_last_day_past():
    today = dt.date(2026, 3, 11)
    done = dict.fromkeys(rules.CHECKLIST, "2026-03-10")
    assert rules.close_problems("pay", done, today, today) == []
    assert rules.close_problems(
        "", {"tickets": "2026-03-01"}, today + dt.timedelta(days=1), today
    ) == [
        rules.NO_REASON,
        rules.HANDOVER_OPEN,
        rules.NOT_LEFT_YET,
    ]
    assert rules.open_items({"tickets": "x", "pay": None}) == list(rules.CHECKLIST[1:])
    assert rules.tally([("A", "pay"), ("A", "pay"), ("B", "schedule")]) == {
        "A": {"pay": 2},
        "B": {"schedule": 1},
    }


@pytest.mark.django_db
def test_an_offboarding_from_start_to_close(world, _clock):
    lead = world.user("lead")
    today = timezone.localdate()
    item = services.start(world.peer, today + dt.timedelta(days=7), user=lead)
    with pytest.raises(EngagementError):
        services.start(world.peer, today, user=lead)
    with pytest.raises(EngagementError):
        services.record_conversation(
            item, user=lead, held_on=today, main_reason="", other_reasons=[], notes=""
        )
    with pytest.raises(EngagementError):
        services.record_conversation(
            item, user=lead, held_on=today, main_reason="pay", other_reasons=["bogus"], notes=""
        )
    services.record_conversation(
        item,
        user=lead,
        held_on=today,
        main_reason="schedule",
        other_reasons=["schedule", "pay"],
        notes="夜班太多，孩子没人接",
    )
    item.refresh_from_db()
    assert item.main_reason == "schedule" and item.other_reasons == ["pay"] and item.voluntary
    with pytest.raises(EngagementError, match="handover"):
        services.close(item, user=lead)
    for key in rules.CHECKLIST:
        services.tick(item, key, True, user=lead)
    with pytest.raises(EngagementError, match="last working day"):
        services.close(item, user=lead)
    _clock.move_to(timezone.now() + dt.timedelta(days=8))
    services.close(item, user=lead)
    world.peer.refresh_from_db()
    assert world.peer.status == AgentStatus.LEFT
    assert AuditEvent.objects.filter(subject_agent_id=world.peer.pk, action="update").count() >= 2


@pytest.mark.django_db
def test_the_exit_survey_is_identified_and_for_the_leaver_only(world, client):
    hr = world.user("hr")
    item = services.start(world.agent, timezone.localdate(), user=hr)
    wave = services.invite_to_exit_survey(item, user=hr)
    assert list(Invitation.objects.filter(wave=wave).values_list("user", flat=True)) == [
        world.user("agent").pk
    ]
    with pytest.raises(EngagementError):
        services.invite_to_exit_survey(item, user=hr)
    answer(wave, world.user("agent"), score=2)
    client.force_login(hr)
    page = client.get(reverse("engagement:offboarding", args=[item.pk]))
    assert page.status_code == 200 and page.context["exit_answered"]
    assert {score for _, score in page.context["answers"]} == {2}
    reads = AuditEvent.objects.filter(subject_agent_id=world.agent.pk, action="read")
    assert any("conversation_notes" in event.fields for event in reads)


@pytest.mark.django_db
def test_alumni_only_with_consent_and_only_for_hr(world):
    hr = world.user("hr")
    day = timezone.localdate() - dt.timedelta(days=1)
    agreed = Offboarding.objects.create(
        agent=world.agent, team=world.team_a1, last_day=day, closed_on=day, alumni_consent=True
    )
    Offboarding.objects.create(agent=world.peer, team=world.team_a1, last_day=day, closed_on=day)
    services.set_alumni(agreed, user=hr, consent=True, rehire="yes", note="")
    assert [o.agent for o in selectors.alumni(hr)] == [world.agent]
    assert list(selectors.alumni(world.user("lead"))) == []
    with pytest.raises(EngagementError):
        services.set_alumni(agreed, user=hr, consent=True, rehire="maybe", note="")


@pytest.mark.django_db
def test_the_report_counts_reasons_by_site_team_and_tenure_band(world):
    day = timezone.localdate() - dt.timedelta(days=10)
    for agent, team, band, reason in (
        (world.agent, world.team_a1, "0-6", "schedule"),
        (world.peer, world.team_a1, "12+", "schedule"),
        (world.a2_agent, world.team_a2, "0-6", "dismissal"),
        (world.far, world.team_b1, "0-6", "pay"),
    ):
        Offboarding.objects.create(
            agent=agent, team=team, tenure_band=band, last_day=day, main_reason=reason
        )
    start, end = day - dt.timedelta(days=30), day
    report = selectors.attrition_report(world.user("hr"), start, end)
    assert report.total == 4
    assert [code for code, _ in report.reasons] == ["pay", "schedule", "dismissal"]
    by_team = {r.label: (r.total, r.voluntary, r.counts) for r in report.by_team}
    assert by_team[f"{world.site_a.name} · {world.team_a1.name}"] == (2, 2, [0, 2, 0])
    assert by_team[f"{world.site_a.name} · {world.team_a2.name}"] == (1, 0, [0, 0, 1])
    tenure = {r.label: r.total for r in report.by_tenure}
    assert tenure == {"Under 6 months": 3, "Over a year": 1}
    manager = selectors.attrition_report(world.user("manager"), start, end)
    assert manager.total == 3 and {r.label for r in manager.by_site} == {world.site_a.name}
