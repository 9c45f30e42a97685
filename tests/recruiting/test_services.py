"""Requisitions, candidates and duplicates, the pipeline, the tests, scorecards, offer → onboarding, purge."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhiren.audit.models import AuditEvent
from zhiren.core.registries import onboarding_steps
from zhiren.org.models import Agent
from zhiren.people.models import AgentProfile
from zhiren.recruiting import scope, services
from zhiren.recruiting.models import AssessmentResult, Candidate, Offer, StageChange

from .helpers import candidate, interview, offer, requisition

pytestmark = pytest.mark.django_db


def test_a_requisition_is_approved_by_the_site_manager_not_by_whoever_raised_it(world):
    req = requisition(world.site_a, world.user("hr"))
    assert req.status == "submitted"
    own = requisition(world.site_a, world.user("manager"))
    with pytest.raises(PermissionDenied):
        services.decide_requisition(own, user=world.user("manager"), approve=True)
    services.decide_requisition(req, user=world.user("manager"), approve=True)
    assert req.status == "approved" and req.decided_by == world.user("manager")
    with pytest.raises(ValidationError):
        services.decide_requisition(req, user=world.user("manager"), approve=False)
    with pytest.raises(ValidationError):
        requisition(world.site_a, world.user("hr"), headcount=0)
    with pytest.raises(ValidationError):
        requisition(world.site_a, world.user("hr"), team=world.team_b1)


def test_the_same_phone_or_id_number_is_flagged_not_duplicated(world):
    hr = world.user("hr")
    first = services.add_candidate(
        user=hr,
        site=world.site_a,
        name="王小明",
        source="campus",
        applied_on=dt.date(2026, 3, 1),
        phone="+86 138-0000-1111",
        id_number="11010119900101123x",
    )
    assert (
        first.phone == "13800001111"
        and first.id_number.endswith("X")
        and first.duplicate_of is None
    )
    by_phone = services.add_candidate(
        user=hr,
        site=world.site_a,
        name="王小明",
        source="job_site",
        applied_on=dt.date(2026, 3, 5),
        phone="13800001111",
    )
    by_id = services.add_candidate(
        user=hr,
        site=world.site_b,
        name="王晓明",
        source="agency",
        applied_on=dt.date(2026, 3, 6),
        id_number="11010119900101123X",
    )
    other = services.add_candidate(
        user=hr,
        site=world.site_a,
        name="李四",
        source="walk_in",
        applied_on=dt.date(2026, 3, 6),
        phone="13900002222",
    )
    assert (
        by_phone.duplicate_of == first
        and by_id.duplicate_of == first
        and other.duplicate_of is None
    )
    assert Candidate.objects.count() == 4  # flagged, never merged or refused


def test_moves_are_recorded_and_rejection_needs_a_reason(world):
    hr = world.user("hr")
    c = candidate(world.site_a, hr)
    services.move(c, "screened", user=hr)
    with pytest.raises(ValidationError):
        services.move(c, "offer", user=hr)
    with pytest.raises(ValidationError):
        services.move(c, "rejected", user=hr)
    services.move(c, "rejected", user=hr, reason="overqualified", note="期望薪资远高于岗位")
    c.refresh_from_db()
    assert (c.stage, c.reason, c.get_reason_display()) == (
        "rejected",
        "overqualified",
        "Over-qualified",
    )
    assert list(StageChange.objects.filter(candidate=c).values_list("from_stage", "to_stage")) == [
        ("applied", "screened"),
        ("screened", "rejected"),
    ]


def test_the_typing_test_is_timed_on_the_server(world, _clock):
    c = candidate(world.site_a)
    result = services.issue_typing(c, "p2")
    passage = "尊敬的客户，您申请的退款已经审核通过"  # the first 18 characters of p2
    _clock.move_to(result.issued_at + dt.timedelta(seconds=30), tick=False)
    services.submit_typing(result, passage[:9] + "x" + passage[10:])
    result.refresh_from_db()
    assert result.detail["seconds"] == 30
    assert (result.detail["typed"], result.detail["errors"]) == (18, 1)
    assert result.detail["cpm"] == 36.0 and result.score == 34.0  # (18 − 1) per half minute
    with pytest.raises(ValidationError):
        services.submit_typing(result, "again")


def test_knockout_and_sjt_are_stored_per_candidate(world):
    c = candidate(world.site_a)
    ko = services.submit_knockout(c, {"shifts": "no", "start": "yes", "age": "yes"})
    sjt = services.submit_sjt(c, {"angry": "a", "unknown": "d", "queue": "a", "mistake": "b"})
    assert ko.passed is False and ko.detail["failed"] == ["shifts"]
    assert sjt.score == 0.875  # 7 of 8 points
    orientation = services.submit_orientation(
        c, {"steps": "b", "day": "b", "rules": "b", "angry": "a"}
    )
    assert orientation.detail["profile"] == "sales" and orientation.score == 0.25
    assert services.submit_orientation(c, {}) is None
    assert AssessmentResult.objects.filter(candidate=c).count() == 3


def test_scorecards_are_independent_and_no_decision_needs_a_reason(world):
    lead, manager, hr = world.user("lead"), world.user("manager"), world.user("hr")
    c = candidate(world.site_a, stage="screened")
    item = interview(c, [lead, manager])
    lead_card = item.scorecards.get(interviewer=lead)
    manager_card = item.scorecards.get(interviewer=manager)
    with pytest.raises(PermissionDenied):
        services.submit_scorecard(
            lead_card, user=manager, ratings={}, notes="", recommendation="yes"
        )
    with pytest.raises(ValidationError):
        services.submit_scorecard(
            lead_card, user=lead, ratings={"service": 4}, notes="", recommendation="yes"
        )
    with pytest.raises(ValidationError):
        services.submit_scorecard(
            lead_card,
            user=lead,
            ratings={"service": 4, "resilience": 6},
            notes="",
            recommendation="yes",
        )
    with pytest.raises(ValidationError):
        services.submit_scorecard(
            lead_card,
            user=lead,
            ratings={"service": 4, "resilience": 3},
            notes="",
            recommendation="no_decision",
            no_decision_reason="  ",
        )
    services.submit_scorecard(
        lead_card,
        user=lead,
        ratings={"service": 4, "resilience": 3},
        notes="稳",
        recommendation="yes",
    )
    # the lead has submitted: sees the manager's card only once it is submitted
    assert scope.visible_scorecards(lead, item) == [lead_card]
    assert scope.visible_scorecards(manager, item) == [
        manager_card
    ]  # the lead's stays hidden from him
    services.submit_scorecard(
        manager_card,
        user=manager,
        ratings={"service": 2, "resilience": 2},
        notes="",
        recommendation="no_decision",
        no_decision_reason="没问到抗压的例子",
    )
    assert {c.pk for c in scope.visible_scorecards(manager, item)} == {
        lead_card.pk,
        manager_card.pk,
    }
    assert {c.pk for c in scope.visible_scorecards(lead, item)} == {lead_card.pk, manager_card.pk}
    assert {c.pk for c in scope.visible_scorecards(hr, item)} == {lead_card.pk, manager_card.pk}
    with pytest.raises(ValidationError):
        services.submit_scorecard(
            lead_card,
            user=lead,
            ratings={"service": 5, "resilience": 5},
            notes="",
            recommendation="strong_yes",
        )


def test_an_accepted_offer_creates_the_agent_and_runs_every_onboarding_step(world):
    hr = world.user("hr")
    req = requisition(world.site_a, hr)
    c = candidate(world.site_a, hr, requisition=req, name="新同学")
    item = offer(c, world.team_a1)
    seen = []

    def training(agent, the_offer):
        seen.append((agent.name, the_offer.pk))
        return "Enrolled in the programme"

    registered = {e.name: e.value for e in onboarding_steps.entries()}
    assert "people_profile" in registered
    with onboarding_steps.replaced(
        [
            ("people_profile", registered["people_profile"]),
            ("training", training),
            ("nothing", lambda agent, o: ""),
        ]
    ):
        lines = services.accept_offer(item, user=hr)
    c.refresh_from_db()
    agent = c.agent
    assert (agent.name, agent.team, agent.position, agent.hire_date) == (
        "新同学",
        world.team_a1,
        "aftersales",
        dt.date(2026, 3, 16),
    )
    assert c.stage == "onboarded" and c.hired_on == dt.date(2026, 3, 16)
    assert seen == [("新同学", item.pk)]
    assert AgentProfile.objects.filter(agent=agent).exists()
    assert lines[1:] == ["Profile opened for the team lead.", "Enrolled in the programme"]
    assert Offer.objects.get(pk=item.pk).onboarding_log == lines
    with pytest.raises(ValidationError):
        services.accept_offer(item, user=hr)


def test_a_failing_onboarding_step_leaves_no_half_made_agent(world):
    c = candidate(world.site_a)
    item = offer(c, world.team_a1)

    def broken(agent, the_offer):
        raise RuntimeError("training is down")

    before = Agent.objects.count()
    with onboarding_steps.replaced([("broken", broken)]), pytest.raises(RuntimeError):
        services.accept_offer(item, user=world.user("hr"))
    assert Agent.objects.count() == before
    c.refresh_from_db()
    assert c.stage == "offer" and c.agent is None


def test_a_declined_offer_is_a_withdrawal_with_its_reason(world):
    c = candidate(world.site_a)
    item = offer(c, world.team_a1)
    services.decline_offer(item, user=world.user("hr"), reason="salary")
    c.refresh_from_db()
    assert (c.stage, c.reason, Offer.objects.get(pk=item.pk).status) == (
        "withdrawn",
        "salary",
        "declined",
    )


def test_rejected_candidates_are_purged_after_the_retention_period_unless_in_the_talent_pool(
    world, settings, _clock
):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "candidates": 180}
    from zhiren.core.registries import retention_rules

    rule = {e.name: e.value for e in retention_rules.entries()}["candidates"]
    lead = world.user("lead")
    old = candidate(world.site_a, stage="interviewed", id_number="110101199001011234")
    item = interview(old, [lead])
    Candidate.objects.filter(pk=old.pk).update(stage="rejected", reason="fit")
    item.scorecards.update(notes="紧张，说话快", submitted_at=timezone.now())
    services.submit_sjt(old, {"angry": "a"})
    pooled = candidate(world.site_a, stage="rejected", reason="fit", talent_pool=True)
    withdrawn = candidate(world.site_a, stage="withdrawn", reason="salary")
    still_open = candidate(world.site_a, stage="screened")
    _clock.move_to(timezone.now() + dt.timedelta(days=179), tick=False)
    cutoff = timezone.now() - rule.kept()
    assert rule.purge(cutoff, True) == 0  # 179 days: not yet
    _clock.move_to(timezone.now() + dt.timedelta(days=2), tick=False)
    cutoff = timezone.now() - rule.kept()
    assert rule.purge(cutoff, True) == 2
    assert rule.purge(cutoff, False) == 2
    old.refresh_from_db()
    assert (old.name, old.phone, old.id_number, old.purged_at is not None) == ("", "", "", True)
    assert (old.source, old.stage, old.reason) == (
        "referral",
        "rejected",
        "fit",
    )  # the report keeps counting
    assert item.scorecards.get().notes == ""
    assert "answers" not in AssessmentResult.objects.get(candidate=old).detail
    for kept in (pooled, still_open):
        kept.refresh_from_db()
        assert kept.name and kept.purged_at is None
    withdrawn.refresh_from_db()
    assert withdrawn.purged_at is not None
    assert rule.purge(cutoff, False) == 0  # done once
    assert AuditEvent.objects.filter(action="delete", object_type="recruiting.candidate").exists()


def test_an_accepted_offer_enrols_the_new_agent_in_the_sites_new_hire_training(world):
    """The chain across apps, through the registered steps (no stand-ins): offer → agent → training."""
    from zhiren.training.models import Enrolment

    from ..training.helpers import programme

    hr = world.user("hr")
    course = programme(world.site_a, name="新员工培训", tier="new_hire")
    c = candidate(world.site_a, hr, requisition=requisition(world.site_a, hr), name="小周")
    lines = services.accept_offer(offer(c, world.team_a1), user=hr)
    c.refresh_from_db()
    enrolment = Enrolment.objects.get(agent=c.agent)
    assert enrolment.programme == course
    assert any("新员工培训" in line for line in lines)
