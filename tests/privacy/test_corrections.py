"""Correction requests: the agent asks, HR or the team lead decides, the agent sees the outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.core.registries import APPROVER_HR, APPROVER_LEAD
from zhiren.privacy import selectors, services
from zhiren.privacy.models import CorrectionRequest

from ..factories import UserFactory, grant


def _ask(world, topic="org.birthday", correct="1998-07-16", agent=None, user=None):
    return services.ask_correction(user or world.user("agent"), agent or world.agent, topic, "wrong date", correct)


def test_topics_are_routed_hr_for_the_record_and_the_lead_for_work_records():
    routes = {key: found.topic.approver for key, found in selectors.topics().items()}
    assert {routes[k] for k in ("org.name", "org.birthday", "org.hire_date", "org.record", "people.profile")} == {
        APPROVER_HR}
    assert {routes[k] for k in ("workforce.schedule", "performance.records", "coaching.records",
                                "discipline.records", "wellbeing.moods", "people.talks",
                                "placement.records")} == {APPROVER_LEAD}


def test_approving_a_birthday_changes_it_and_the_agent_sees_the_outcome(world, client_for):
    client = client_for(world.user("agent"))
    response = client.post(reverse("privacy:correction_new", args=[world.agent.pk]),
                           {"topic": "org.birthday", "wrong": "a month off", "correct": "1998年7月16日"})
    assert response.status_code == 302
    asked = CorrectionRequest.objects.get()
    assert (asked.approver, asked.status, asked.requested_by) == ("hr", "pending", world.user("agent"))
    # HR's decision: an HR-routed request is not the lead's.
    assert not selectors.decidable_requests(world.user("lead")).exists()
    hr = client_for(world.user("hr"))
    assert asked.pk in [r.pk for r in hr.get(reverse("privacy:corrections")).context["pending"]]
    response = hr.post(reverse("privacy:correction_decide", args=[asked.pk]),
                       {"decision": "approve", "apply_change": "on", "note": ""})
    assert response.status_code == 302
    asked.refresh_from_db()
    world.agent.refresh_from_db()
    assert (asked.status, asked.applied, asked.decided_by) == ("approved", True, world.user("hr"))
    assert world.agent.birthday == dt.date(1998, 7, 16)
    assert AuditEvent.objects.filter(action="update", object_type="org.agent", fields=["birthday"],
                                     subject_agent_id=world.agent.pk).exists()
    page = client_for(world.user("agent")).get(reverse("privacy:correction_detail", args=[asked.pk]))
    assert page.status_code == 200 and "Approved" in page.content.decode()
    assert page.context["form"] is None  # the agent does not decide


def test_the_lead_declines_a_schedule_request_with_a_reason(world, client_for):
    asked = _ask(world, "workforce.schedule", "I was on leave on the 3rd")
    assert asked.approver == "lead"
    lead = client_for(world.user("lead"))
    response = lead.post(reverse("privacy:correction_decide", args=[asked.pk]), {"decision": "decline", "note": ""})
    assert response.status_code == 200 and "Give the agent a reason" in response.content.decode()
    asked.refresh_from_db()
    assert asked.is_pending
    lead.post(reverse("privacy:correction_decide", args=[asked.pk]),
              {"decision": "decline", "note": "The leave was cancelled."})
    asked.refresh_from_db()
    assert (asked.status, asked.decision_note, asked.applied) == ("declined", "The leave was cancelled.", False)
    page = client_for(world.user("agent")).get(reverse("privacy:export_page", args=[world.agent.pk]))
    assert "The leave was cancelled." in page.content.decode()


def test_another_teams_lead_neither_sees_nor_decides(world):
    other_lead = UserFactory(username="lead-b1")
    grant(other_lead, "team_lead", teams=[world.team_b1])
    asked = _ask(world, "performance.records", "my CSAT")
    assert not selectors.decidable_requests(other_lead).exists()
    with pytest.raises(PermissionDenied):
        services.decide(other_lead, asked, approve=True)
    far = _ask(world, "performance.records", "x", agent=world.far, user=_login_for(world.far))
    assert list(selectors.pending_to_decide(other_lead)) == [far]
    assert list(selectors.pending_to_decide(world.user("lead"))) == [asked]
    assert set(selectors.pending_to_decide(world.user("hr"))) == {asked, far}  # HR stands in everywhere


def _login_for(agent):
    from ..factories import agent_user

    return agent_user(agent, username=f"u-{agent.employee_no}")


def test_an_impossible_value_is_not_applied_and_can_be_approved_by_hand(world):
    asked = _ask(world, correct="not a date")
    with pytest.raises(ValidationError, match="cannot be made"):
        services.decide(world.user("hr"), asked, approve=True)
    asked.refresh_from_db()
    world.agent.refresh_from_db()
    assert asked.is_pending and world.agent.birthday == dt.date(1998, 6, 15)
    services.decide(world.user("hr"), asked, approve=True, apply_change=False, note="fixed in the HR system")
    asked.refresh_from_db()
    assert (asked.status, asked.applied) == ("approved", False)
    with pytest.raises(ValidationError, match="already been decided"):
        services.decide(world.user("hr"), asked, approve=False, note="changed my mind")


def test_a_name_correction_is_applied(world):
    asked = _ask(world, "org.name", "张三丰")
    services.decide(world.user("hr"), asked, approve=True)
    world.agent.refresh_from_db()
    assert world.agent.name == "张三丰"


def test_only_the_agent_asks_and_only_about_known_data(world):
    with pytest.raises(PermissionDenied):
        services.ask_correction(world.user("hr"), world.agent, "org.name", "x", "y")
    with pytest.raises(ValidationError):
        _ask(world, "nothing.like.this")
    with pytest.raises(ValidationError):
        _ask(world, "org.name", "   ")
    assert not CorrectionRequest.objects.exists()


def test_a_peer_cannot_see_the_request(world, client_for):
    asked = _ask(world)
    peer = _login_for(world.peer)
    response = client_for(peer).get(reverse("privacy:correction_detail", args=[asked.pk]))
    assert response.status_code == 404


def test_the_lead_home_shows_waiting_requests(world, client_for):
    _ask(world, "workforce.schedule", "x")
    _ask(world, "coaching.records", "y")
    page = client_for(world.user("lead")).get(reverse("core:home")).content.decode()
    assert 'data-testid="lead-privacy-card"' in page and "2 correction requests wait" in page


def test_a_lead_with_an_agent_record_does_not_decide_their_own_request(world, client_for):
    from ..factories import AgentFactory

    lead = world.user("lead")
    AgentFactory(team=world.team_a1, user=lead, employee_no="L1")
    grant(lead, "agent")
    own = services.ask_correction(lead, lead.agent, "workforce.schedule", "x", "y")
    assert not selectors.decidable_requests(lead).filter(pk=own.pk).exists()
    with pytest.raises(PermissionDenied):
        services.decide(lead, own, approve=True)
    page = client_for(lead).get(reverse("privacy:correction_detail", args=[own.pk]))
    assert page.status_code == 200 and page.context["form"] is None  # they see it as theirs
