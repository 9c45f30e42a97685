"""The training chain: new hire → enrolment → milestones → gate from QA, AHT and the quiz →
sign-off by trainer, QA and lead → the queue skill in workforce and a certification."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import AgentFactory
from tests.quality.helpers import evaluation
from zhiren.performance.models import DailyStat
from zhiren.training import selectors, services
from zhiren.training.models import Certification, Enrolment, Extension
from zhiren.workforce.models import AgentSkill

from . import helpers

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def march(_clock):
    _clock.move_to(dt.datetime(2026, 3, 11, 10, 0, tzinfo=SHANGHAI))


def _aht(agent, seconds, day=dt.date(2026, 3, 5), n=10):
    DailyStat.objects.create(
        day=day, agent=agent, team=agent.team, channel="voice", answered=n, handle_sum=seconds * n
    )


def test_enrol_new_hire_picks_the_role_programme_and_the_next_cohort(world, march):
    generic = helpers.programme(world.site_a, name="通用")
    presales = helpers.programme(world.site_a, name="售前", role_code="presales")
    helpers.cohort(presales, starts_on=dt.date(2026, 3, 2))  # already started: not the next one
    upcoming = helpers.cohort(presales, starts_on=dt.date(2026, 3, 16))
    hire = AgentFactory(team=world.team_a1, hire_date=dt.date(2026, 3, 10))
    enrolment = services.enrol_new_hire(hire, "presales")
    assert enrolment.programme == presales and enrolment.cohort == upcoming
    assert enrolment.nesting_until == dt.date(2026, 3, 16) + dt.timedelta(weeks=6)
    assert services.enrol_new_hire(hire, "presales") == enrolment  # idempotent
    other = AgentFactory(team=world.team_a1)
    assert services.enrol_new_hire(other, "unknown-role").programme == generic
    assert services.enrol_new_hire(other).cohort is None  # the generic programme has no cohort
    text = services.onboarding_step(AgentFactory(team=world.team_a1), None)
    assert "通用" in text


def test_enrol_new_hire_without_a_programme_says_so(world):
    with pytest.raises(services.TrainingError):
        services.enrol_new_hire(world.far)
    assert services.onboarding_step(world.far, None)


def test_milestones_move_the_enrolment_into_nesting(world, march):
    enrolment = helpers.enrolment(world.agent, nesting=True, status="active")
    for milestone in enrolment.programme.milestones.all():
        services.mark_milestone(enrolment, milestone, user=world.user("trainer"))
    enrolment.refresh_from_db()
    assert enrolment.status == "nesting"
    other = helpers.programme(world.site_a, name="别的")
    with pytest.raises(services.TrainingError):
        services.mark_milestone(enrolment, other.milestones.first(), user=world.user("trainer"))


def test_without_a_cohort_the_last_milestone_completes(world, march):
    enrolment = helpers.enrolment(world.agent, nesting=False)
    for milestone in enrolment.programme.milestones.all():
        services.mark_milestone(enrolment, milestone, user=world.user("trainer"))
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.completed_on == dt.date(2026, 3, 11)


def _nesting_with_evidence(world, evaluations=5):
    prog = helpers.programme(world.site_a, quiz=True)
    hire = AgentFactory(team=world.team_a1, hire_date=dt.date(2026, 2, 1))
    enrolment = helpers.enrolment(hire, prog)
    for _n in range(evaluations):
        evaluation(world, agent=hire)
    _aht(hire, 330)
    _aht(world.peer, 280)
    _aht(world.a2_agent, 320)  # tenured median 300, limit 360
    quiz = prog.certification_quiz
    answers = {item.pk: item.key for item in quiz.items.all()}
    services.submit_attempt(quiz, hire, answers, "final")
    return Enrolment.objects.select_related("programme", "cohort", "agent").get(pk=enrolment.pk)


def test_the_gate_reads_qa_aht_and_the_quiz(world, march):
    enrolment = _nesting_with_evidence(world)
    evidence, result = selectors.gate_for(enrolment)
    assert evidence.qa_count == 5 and evidence.qa_average == 90
    assert evidence.aht == 330 and evidence.tenured_median_aht == 300
    assert evidence.quiz_score == 100
    assert result.passed


def test_missing_qa_evidence_blocks_the_gate(world, march):
    enrolment = _nesting_with_evidence(world, evaluations=0)
    evidence, result = selectors.gate_for(enrolment)
    assert evidence.qa_average is None and not result.passed
    assert "qa_score" in result.missing
    with pytest.raises(services.TrainingError):
        services.sign_off(enrolment, "trainer", user=world.user("trainer"))


def test_three_sign_offs_graduate_with_the_skill_and_a_certification(world, march):
    enrolment = _nesting_with_evidence(world)
    queue = enrolment.programme.queue
    services.sign_off(enrolment, "trainer", user=world.user("trainer"))
    services.sign_off(enrolment, "qa", user=world.user("qa"))
    assert not AgentSkill.objects.filter(agent=enrolment.agent).exists()
    with pytest.raises(services.TrainingError):  # the lead cannot sign as QA
        services.sign_off(enrolment, "qa", user=world.user("lead"))
    services.sign_off(enrolment, "lead", user=world.user("lead"))
    enrolment.refresh_from_db()
    assert enrolment.status == "graduated"
    assert AgentSkill.objects.filter(agent=enrolment.agent, queue=queue).exists()
    cert = Certification.objects.get(agent=enrolment.agent)
    assert cert.queue == queue and cert.expires_on == dt.date(2027, 3, 11)


def test_sign_off_through_the_page(world, client_for, march):
    enrolment = _nesting_with_evidence(world)
    page = client_for(world.user("lead")).get(reverse("training:enrolment", args=[enrolment.pk]))
    assert (
        b'data-testid="gate-passed"' in page.content and b'data-testid="sign-lead"' in page.content
    )
    client_for(world.user("lead")).post(
        reverse("training:sign_off", args=[enrolment.pk]), {"role": "lead"}
    )
    assert enrolment.sign_offs.filter(role="lead").exists()


def test_extension_history(world, march):
    enrolment = helpers.enrolment(world.agent)
    before = enrolment.nesting_until
    services.extend(enrolment, dt.date(2026, 6, 1), "质检未达标", user=world.user("lead"))
    with pytest.raises(services.TrainingError):
        services.extend(enrolment, dt.date(2026, 5, 1), "更早", user=world.user("lead"))
    with pytest.raises(services.TrainingError):
        services.extend(enrolment, dt.date(2026, 7, 1), " ", user=world.user("lead"))
    item = Extension.objects.get(enrolment=enrolment)
    assert item.previous_until == before and item.new_until == dt.date(2026, 6, 1)


def test_quiz_modes_and_score(world, march):
    quiz = helpers.make_quiz(world.site_a, n=4)
    items = list(quiz.items.all())
    assert services.allowed_modes(quiz, world.agent) == ["practice", "pre", "final"]
    attempt = services.submit_attempt(
        quiz, world.agent, {items[0].pk: items[0].key, items[1].pk: 2}, "pre"
    )
    assert attempt.score == 25.0
    assert attempt.responses.filter(correct=True).count() == 1
    assert services.allowed_modes(quiz, world.agent) == ["practice", "final"]
    with pytest.raises(services.TrainingError):
        services.submit_attempt(quiz, world.agent, {}, "pre")


def test_recertification_renews_an_expiring_certification(world, march):
    prog = helpers.programme(world.site_a, quiz=True)
    Certification.objects.create(
        agent=world.agent,
        queue=prog.queue,
        certified_on=dt.date(2025, 4, 1),
        expires_on=dt.date(2026, 4, 1),
    )
    quiz = prog.certification_quiz
    services.submit_attempt(quiz, world.agent, {i.pk: i.key for i in quiz.items.all()}, "final")
    newest = Certification.objects.filter(agent=world.agent).order_by("-certified_on").first()
    assert newest.recertification and newest.expires_on == dt.date(2027, 3, 11)


def test_agents_see_only_their_own_training(world, client_for, march):
    mine = helpers.enrolment(world.agent)
    helpers.enrolment(world.peer, mine.programme)
    assert list(selectors.visible_enrolments(world.user("agent"))) == [mine]
    assert selectors.visible_enrolments(world.user("hr")).count() == 0
    assert selectors.visible_enrolments(world.user("lead")).count() == 2
    page = client_for(world.user("agent")).get(reverse("training:home"))
    assert page.status_code == 200 and mine.programme.name in page.content.decode()


def test_enrolment_page_shows_missing_evidence_as_missing(world, client_for, march):
    enrolment = helpers.enrolment(world.agent)
    page = client_for(world.user("trainer")).get(reverse("training:enrolment", args=[enrolment.pk]))
    html = page.content.decode()
    assert 'data-check="qa_score" data-status="missing"' in html
    assert 'data-testid="gate-open"' in html


def test_case_from_an_evaluation_is_masked(world, march):
    from tests.quality.helpers import transcript

    item = evaluation(
        world,
        answers={
            "greet": {"answer": "no", "comment": "客户电话13812345678"},
            "verify": {"answer": "yes"},
            "accuracy": {"answer": 40},
            "courtesy": {"answer": 5},
        },
    )
    transcript(
        item.interaction, [("customer", 0, 2, "我的手机是138 1234 5678"), ("agent", 2, 4, "您好")]
    )
    case = services.case_from_evaluation(item, "worst", user=world.user("qa"))
    assert "13812345678" not in case.body and "138 1234 5678" not in case.body
    assert "138****5678" in case.body
    assert case.criteria == ["greet"]
    assert services.case_from_evaluation(item, "worst", user=world.user("qa")) == case
    best = services.case_from_evaluation(evaluation(world), "best", user=world.user("qa"))
    assert best.criteria == [
        "courtesy",
        "greet",
        "verify",
    ]  # full marks (accuracy: 40 of 50 is not)


def test_personal_data_holds_the_agents_training_only(world, march):
    from zhiren.training.personal_data import collect

    mine = helpers.enrolment(world.agent)
    helpers.enrolment(world.peer, mine.programme)
    helpers.attendance(world.agent, mine.programme, rating=4)
    sections = {s.key: s for s in collect(world.agent)}
    assert len(sections["enrolments"].rows) == 1 and sections["attendance"].rows[0]["rating"] == 4


def test_cases_are_tagged_with_criteria(world, client_for):
    from tests.placement.permission_cases import _know_how
    from zhiren.placement.models import KnowHow

    case = services.case_from_know_how(
        KnowHow.objects.get(pk=_know_how(world)["pk"]), world.site_a, user=world.user("trainer")
    )
    client_for(world.user("trainer")).post(
        reverse("training:case_tags", args=[case.pk]), {"criteria": "verify，greet, verify"}
    )
    case.refresh_from_db()
    assert case.criteria == ["greet", "verify"]
    page = client_for(world.user("lead")).get(reverse("training:cases"), {"criterion": "greet"})
    assert [c.pk for c in page.context["cases"]] == [case.pk]
    page = client_for(world.user("lead")).get(reverse("training:cases"), {"criterion": "close"})
    assert page.context["cases"] == []
