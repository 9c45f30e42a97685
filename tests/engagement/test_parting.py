"""Parting on good terms: the handover rules, the offboarding flow, the identified exit survey,
alumni with consent, and the attrition report by site, team and tenure band."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.audit.models import AuditEvent
from zhiren.engagement.anonymity import Reason
from zhiren.engagement.models import Invitation, Offboarding
from zhiren.engagement.parting import rules, selectors, services
from zhiren.engagement.services import EngagementError
from zhiren.org.models import Agent, AgentStatus

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


def _leavers(team, count, band, reason, day):
    from .helpers import crowd

    for user in crowd(team, count):
        Offboarding.objects.create(
            agent=Agent.objects.get(user=user), team=team, tenure_band=band, last_day=day, main_reason=reason
        )


@pytest.mark.django_db
def test_the_report_counts_reasons_by_site_team_and_tenure_band(world):
    day = timezone.localdate() - dt.timedelta(days=10)
    _leavers(world.team_a1, 3, "0-6", "schedule", day)
    _leavers(world.team_a1, 3, "12+", "pay", day)
    _leavers(world.team_a2, 6, "0-6", "dismissal", day)
    _leavers(world.team_b1, 6, "0-6", "pay", day)
    start, end = day - dt.timedelta(days=30), day
    report = selectors.attrition_report(world.user("hr"), start, end)
    assert report.total == 18
    assert [code for code, _ in report.reasons] == ["pay", "schedule", "dismissal"]
    by_team = {r.label: (r.total, r.voluntary, r.counts) for r in report.by_team}
    assert by_team[f"{world.site_a.name} · {world.team_a1.name}"] == (6, 6, [3, 3, 0])
    assert by_team[f"{world.site_a.name} · {world.team_a2.name}"] == (6, 0, [0, 0, 6])
    # "over a year" holds 3: hidden; "under six months" (15) too, as all (18) minus it is those 3
    hidden = {r.label: r.reason for r in report.by_tenure}
    assert hidden == {
        "Under 6 months": Reason.FILTER_REMAINDER,
        "Over a year": Reason.BELOW_MINIMUM,
    }
    manager = selectors.attrition_report(world.user("manager"), start, end)
    assert manager.total == 12 and {r.label for r in manager.by_site} == {world.site_a.name}


@pytest.mark.django_db
def test_the_report_hides_small_groups_and_their_differences(world, client_for):
    """Site A: team A1 had 6 leavers, team A2 only 2. A2 is hidden, and so is A1 (site − A1
    would give A2's two reasons away); the site row and its total stay."""
    day = timezone.localdate() - dt.timedelta(days=10)
    _leavers(world.team_a1, 6, "12+", "pay", day)
    _leavers(world.team_a2, 2, "12+", "health", day)
    start, end = day - dt.timedelta(days=30), day
    report = selectors.attrition_report(world.user("manager"), start, end)
    teams = {r.label.split(" · ")[1]: r for r in report.by_team}
    assert teams[world.team_a2.name].reason == Reason.BELOW_MINIMUM
    assert teams[world.team_a2.name].counts == [] and teams[world.team_a2.name].total == 0
    assert teams[world.team_a1.name].reason == Reason.REMAINDER
    site = report.by_site[0]
    assert site.shown and site.total == 8 and report.total == 8
    page = client_for(world.user("manager")).get(
        reverse("engagement:attrition_report"), {"start": start.isoformat(), "end": end.isoformat()}
    )
    text = page.content.decode()
    assert text.count('data-testid="reason-hidden"') == 2
    assert "Fewer than 5 leavers" in text
    # a period with only the two: nothing is shown, not even the total
    few = selectors.attrition_report(world.user("manager"), start, end, minimum=10)
    assert few.total is None and not any(r.shown for r in few.by_site + few.by_team)
