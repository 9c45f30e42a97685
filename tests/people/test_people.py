"""Services and selectors of the people module, with the shared world (tests/world.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.people import selectors, services
from zhiren.people.models import (
    AgentProfile,
    BankEntry,
    ConsentEvent,
    EntryKind,
    FollowUp,
    LifeStage,
    Talk,
    TalkCadence,
    TalkParticipant,
)

from ..factories import AgentFactory, UserFactory, grant

TODAY = dt.date(2024, 6, 12)


def _lead_agents(world, n):
    return [world.agent, world.peer] + AgentFactory.create_batch(max(0, n - 2), team=world.team_a1)


# --- talks ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 6])
def test_talk_size_is_enforced_with_a_clear_message(world, count):
    agents = _lead_agents(world, count)[:count]
    with pytest.raises(ValidationError) as exc:
        services.record_talk(world.user("lead"), agents, TODAY, "meal")
    assert exc.value.messages == [
        f"A heart-to-heart talk brings together one lead and 1 to 5 agents; {count} were chosen."
    ]
    assert not Talk.objects.exists()


def test_talk_form_rejects_six_agents_and_keeps_input(world, client_for):
    agents = _lead_agents(world, 6)
    client = client_for(world.user("lead"))
    response = client.post(reverse("people:talk_create"), {
        "agents": [a.pk for a in agents], "held_on": "2024-06-01", "setting": "walk", "summary": "kept",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "6 were chosen" in body and "kept" in body
    assert not Talk.objects.exists()


def test_talk_of_five_is_recorded_with_care_deposits(world):
    lead = world.user("lead")
    agents = _lead_agents(world, 5)
    talk = services.record_talk(
        lead, agents, TODAY, "meal", prompts=["proudest", "bogus"], notes={world.agent.pk: "wants QA"},
        follow_ups=[("book a QA shadow day", world.agent.pk, TODAY + dt.timedelta(days=7))],
    )
    assert talk.participants.count() == 5 and talk.prompts_used == ["proudest"]
    assert TalkParticipant.objects.get(talk=talk, agent=world.agent).private_note == "wants QA"
    assert BankEntry.objects.filter(source="talk", kind=EntryKind.CARE_CHECK_IN).count() == 5


def test_lead_cannot_talk_with_agents_of_other_teams(world):
    with pytest.raises(ValidationError):
        services.record_talk(world.user("lead"), [world.agent, world.far], TODAY, "tea")


def test_talk_notes_are_private_per_agent(world, client_for):
    talk = services.record_talk(
        world.user("lead"), [world.agent, world.peer], TODAY, "tea", summary="shared words",
        notes={world.agent.pk: "NOTE-FOR-AGENT", world.peer.pk: "NOTE-FOR-PEER"},
    )
    body = client_for(world.user("agent")).get(reverse("people:talk_detail", args=[talk.pk])).content.decode()
    assert "shared words" in body and "NOTE-FOR-AGENT" in body and "NOTE-FOR-PEER" not in body
    AuditEvent.objects.all().delete()
    body = client_for(world.user("hr")).get(reverse("people:talk_detail", args=[talk.pk])).content.decode()
    assert "NOTE-FOR-AGENT" in body and "NOTE-FOR-PEER" in body
    assert sorted(AuditEvent.objects.filter(action="read").values_list("subject_agent_id", flat=True)) == sorted(
        [world.agent.pk, world.peer.pk]
    )
    assert all(e.fields == ["private_note"] for e in AuditEvent.objects.all())


def test_overdue_list_and_custom_cadence(world):
    lead = world.user("lead")
    world.agent.hire_date = world.peer.hire_date = dt.date(2020, 1, 1)
    world.agent.save()
    world.peer.save()
    agents = list(selectors.led_agents(lead))
    statuses = selectors.talk_statuses(agents, TODAY)
    assert {s.agent for s in statuses if s.status.is_overdue} == {world.agent, world.peer}
    services.record_talk(lead, [world.agent], TODAY - dt.timedelta(weeks=5), "walk")
    statuses = selectors.talk_statuses(agents, TODAY)
    assert {s.agent for s in statuses if s.status.is_overdue} == {world.peer}
    services.set_cadence(lead, world.team_a1, 4)
    assert TalkCadence.objects.get(team=world.team_a1).weeks == 4
    statuses = selectors.talk_statuses(agents, TODAY)
    assert {s.agent for s in statuses if s.status.is_overdue} == {world.agent, world.peer}
    with pytest.raises(PermissionError):
        services.set_cadence(lead, world.team_b1, 4)


# --- life stage: consent and visibility ---------------------------------------------


def _share_life_stage(world):
    services.save_life_stage(
        world.user("agent"), world.agent,
        {"marital_status": "married", "has_dependents": True, "home": "rents", "family_situation": "FAMILY-TEXT"},
        consent=True,
    )


def test_life_stage_needs_consent_and_only_the_agent_enters_it(world):
    with pytest.raises(ValidationError):
        services.save_life_stage(world.user("agent"), world.agent, {"home": "owns"}, consent=False)
    with pytest.raises(PermissionError):
        services.save_life_stage(world.user("lead"), world.agent, {"home": "owns"}, consent=True)
    _share_life_stage(world)
    assert ConsentEvent.objects.get(agent=world.agent).action == "given"


@pytest.mark.parametrize(
    ("role", "sees"),
    [("agent", True), ("lead", True), ("hr", True), ("qa", False), ("manager", False), ("admin", False),
     ("trainer", False)],
)
def test_life_stage_visibility_matrix_with_audit(world, client_for, role, sees):
    _share_life_stage(world)
    AuditEvent.objects.all().delete()
    response = client_for(world.user(role)).get(reverse("people:profile", args=[world.agent.pk]))
    body = response.content.decode() if response.status_code == 200 else ""
    assert ("FAMILY-TEXT" in body) is sees
    events = AuditEvent.objects.filter(action="read", object_type="people.lifestage")
    if sees:
        event = events.get()
        assert event.actor == world.user(role) and event.subject_agent_id == world.agent.pk
        assert event.fields == sorted(LifeStage.SENSITIVE_FIELDS)
        assert "FAMILY-TEXT" not in json.dumps(list(AuditEvent.objects.values("fields", "purpose")))
    else:
        assert not events.exists()


def test_other_lead_sees_neither_profile_nor_life_stage(world, client_for):
    _share_life_stage(world)
    other = UserFactory(username="other-lead")
    grant(other, "team_lead", teams=[world.team_b1])
    assert client_for(other).get(reverse("people:profile", args=[world.agent.pk])).status_code == 404
    assert client_for(other).get(reverse("people:ledger", args=[world.agent.pk])).status_code == 404
    assert not AuditEvent.objects.filter(actor=other).exists()


def test_withdrawing_consent_erases_and_hides(world, client_for):
    _share_life_stage(world)
    client = client_for(world.user("agent"))
    assert client.post(reverse("people:consent_withdraw", args=[world.agent.pk])).status_code == 302
    stage = LifeStage.objects.get(agent=world.agent)
    assert (stage.family_situation, stage.marital_status, stage.has_dependents, stage.has_consent) == (
        "", "", None, False)
    assert list(ConsentEvent.objects.values_list("action", flat=True)) == ["withdrawn", "given"]
    body = client_for(world.user("lead")).get(reverse("people:profile", args=[world.agent.pk])).content.decode()
    assert "FAMILY-TEXT" not in body


def test_agent_corrects_own_profile(world, client_for):
    client = client_for(world.user("agent"))
    response = client.post(reverse("people:profile_edit", args=[world.agent.pk]), {
        "career_aspiration": "qa", "job_fit": "partly", "motivator_1": "growth", "motivator_2": "income",
        "likes": "tea", "gift_ideas": "", "personality_notes": "",
        "dates-TOTAL_FORMS": "1", "dates-INITIAL_FORMS": "0", "dates-0-label": "Wedding", "dates-0-date": "2020-10-01",
        "dates-0-yearly": "on",
    })
    assert response.status_code == 302
    profile = world.agent.profile
    assert profile.motivators == ["growth", "income"] and profile.career_aspiration == "qa"
    assert world.agent.important_dates.get().label == "Wedding"
    body = client_for(world.user("lead")).get(reverse("people:profile", args=[world.agent.pk])).content.decode()
    assert "Show concretely how to earn more" in body or "income" in body.lower()


def test_duplicate_motivators_are_refused(world, client_for):
    response = client_for(world.user("lead")).post(reverse("people:profile_edit", args=[world.agent.pk]), {
        "motivator_1": "growth", "motivator_2": "growth", "dates-TOTAL_FORMS": "0", "dates-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200 and "Each motivator may be ranked only once." in response.content.decode()
    assert not AgentProfile.objects.exists()


# --- export -------------------------------------------------------------------------


def _rows(data, source, section):
    found = next(s for s in data["sources"] if s["key"] == source)
    return next(s for s in found["sections"] if s["key"] == section)["rows"]


def test_export_contains_only_the_agents_own_data(world, client_for):
    _share_life_stage(world)
    services.save_profile(world.user("lead"), world.peer, {"likes": "PEER-LIKES"})
    services.record_talk(
        world.user("lead"), [world.agent, world.peer], TODAY, "tea",
        notes={world.agent.pk: "MY-NOTE", world.peer.pk: "PEER-NOTE"},
        follow_ups=[("MINE", world.agent.pk, TODAY), ("PEERS", world.peer.pk, TODAY), ("LEADS", None, TODAY)],
    )
    services.record_entry(world.user("lead"), world.agent, "praise", "LEDGER-NOTE")
    client = client_for(world.user("agent"))
    # The people module's old export links lead to the export of every module (zhiren.privacy).
    old = client.get(reverse("people:export_json", args=[world.agent.pk]))
    assert old.status_code == 302 and old.url == reverse("privacy:export_json", args=[world.agent.pk])
    response = client.get(old.url)
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode()
    data = json.loads(text)
    assert data["agent"]["employee_no"] == "A1001"
    assert _rows(data, "people", "life_stage")[0]["family_situation"] == "FAMILY-TEXT"
    assert _rows(data, "people", "talks")[0]["private_note"] == "MY-NOTE"
    assert {f["description"] for f in _rows(data, "people", "follow_ups")} == {"MINE", "LEADS"}
    for foreign in ("PEER-LIKES", "PEER-NOTE", "PEERS", "李四", "A1002", "LEDGER-NOTE"):
        assert foreign not in text
    assert AuditEvent.objects.filter(action="export", subject_agent_id=world.agent.pk).exists()
    page = client.get(reverse("people:export_page", args=[world.agent.pk]), follow=True)
    assert "MY-NOTE" in page.content.decode() and "PEER-NOTE" not in page.content.decode()


# --- emotional bank account -------------------------------------------------------------


def test_record_entry_signs_weights_and_is_idempotent_by_source(world):
    lead = world.user("lead")
    entry, created = services.record_entry(lead, world.agent, "broken_promise", occurred_on=TODAY)
    assert created and entry.amount == -5
    entry, _ = services.record_entry(lead, world.agent, "praise", weight=4, occurred_on=TODAY)
    assert entry.amount == 4
    first, created1 = services.record_entry(lead, world.agent, "praise", "from coaching", source="coaching",
                                            source_ref="feedback:7")
    again, created2 = services.record_entry(lead, world.agent, "praise", "again", source="coaching",
                                            source_ref="feedback:7")
    assert created1 and not created2 and first.pk == again.pk
    assert BankEntry.objects.filter(source="coaching").count() == 1
    for bad in ({"kind": "nope"}, {"kind": "praise", "weight": 0}, {"kind": "praise", "weight": 11}):
        with pytest.raises(ValidationError):
            services.record_entry(lead, world.agent, bad["kind"], weight=bad.get("weight"))


def test_nudges_for_no_deposit_and_negative_balance(world):
    lead = world.user("lead")
    services.record_entry(lead, world.agent, "praise", occurred_on=TODAY - dt.timedelta(days=3))
    services.record_entry(lead, world.peer, "praise", occurred_on=TODAY - dt.timedelta(days=20))
    services.record_entry(lead, world.peer, "imposed_overtime", occurred_on=TODAY - dt.timedelta(days=2))
    # another lead's entries do not count in this lead's account
    other = UserFactory()
    services.record_entry(other, world.agent, "broken_promise", occurred_on=TODAY)
    nudges, summaries = selectors.nudges_for(lead, [world.agent, world.peer], TODAY)
    assert summaries[world.agent.pk].balance == 2
    assert [(n.agent, n.codes) for n in nudges] == [(world.peer, ["negative_balance", "no_deposit"])]


def test_agent_never_sees_the_ledger_about_them(world, client_for):
    services.record_entry(world.user("lead"), world.agent, "criticism", "SECRET-LEDGER")
    agent = client_for(world.user("agent"))
    assert agent.get(reverse("people:ledger", args=[world.agent.pk])).status_code == 404
    assert "SECRET-LEDGER" not in agent.get(reverse("people:my_profile")).content.decode()
    body = client_for(world.user("lead")).get(reverse("people:ledger", args=[world.agent.pk])).content.decode()
    assert "SECRET-LEDGER" in body
    assert AuditEvent.objects.filter(object_type="people.bankentry", subject_agent_id=world.agent.pk).exists()


# --- reminders ----------------------------------------------------------------------------


def test_reminders_on_constructed_dates(world):
    lead = world.user("lead")
    world.agent.birthday = dt.date(1996, 6, 14)  # in 2 days
    world.agent.hire_date = dt.date(2021, 6, 15)  # 3 years in 3 days
    world.agent.save()
    world.peer.birthday = dt.date(1996, 7, 30)
    world.peer.hire_date = dt.date(2024, 1, 2)  # never talked to: due 2024-02-27, overdue
    world.peer.save()
    services.record_talk(lead, [world.agent], TODAY - dt.timedelta(weeks=7, days=3), "meal",
                         follow_ups=[("send the course link", None, TODAY + dt.timedelta(days=1)),
                                     ("later", None, TODAY + dt.timedelta(days=10))])
    FollowUp.objects.create(talk=Talk.objects.get(), description="done one", due_on=TODAY, done_at="2024-06-01T00:00Z")
    overview = selectors.lead_overview(lead, TODAY)
    assert [(r.kind, a, r.days_away) for r, a in overview.dates] == [
        ("birthday", world.agent, 2), ("anniversary", world.agent, 3)]
    assert [s.agent for s in overview.overdue] == [world.peer]
    assert [s.agent for s in overview.due_soon] == [world.agent]  # due in 4 days
    assert [f.description for f in overview.follow_ups] == ["send the course link"]
    assert world.far not in overview.agents


def test_lead_home_shows_the_panels(world, client_for):
    from django.utils import timezone

    today = timezone.localdate()
    world.agent.birthday = dt.date(2000, today.month, today.day)  # a leap year: 29 Feb works too
    world.agent.save()
    response = client_for(world.user("lead")).get(reverse("core:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="people-panels"' in body and "张三" in body
    assert client_for(world.user("agent")).get(reverse("core:home")).status_code == 200
