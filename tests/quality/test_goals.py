"""QA metrics in SMART goals and improvement plans (``core.registries.kpi_sources``).

The QA score of a goal is the mean of the released inspection scores of its subject over
its period so far; a criterion's pass rate is the share of its non-N/A answers earning at
least half its points. No released evaluation: no data, never 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhiren.coaching.models import ImprovementPlan, PlanGoal
from zhiren.core.registries import MetricAsk, kpi_sources
from zhiren.performance import services as performance_services
from zhiren.performance.models import Goal, GoalLevel
from zhiren.performance.selectors import goal_progress
from zhiren.quality.models import Evaluation
from zhiren.quality.providers import describe_metric, measure, qa_kpi_source
from zhiren.quality.scoring import Criterion, passed

from .helpers import GOOD, contact, scorecard

pytestmark = pytest.mark.django_db


def _evaluate(
    w, *, day, score, agent=None, answers=None, status="released", kind="inspection", card=None
):
    agent = agent or w.agent
    card = card or scorecard(agent.team.site)
    now = timezone.now()
    return Evaluation.objects.create(
        interaction=contact(agent, day=day),
        agent=agent,
        team=agent.team,
        version=card.current(),
        inspector=w.user("qa"),
        answers=answers or GOOD,
        score=None if score is None else Decimal(score),
        day=day,
        submitted_at=now,
        status=status,
        released_at=now if status == "released" else None,
        kind=kind,
    )


def _goal(w, kpi="qa_score", level=GoalLevel.AGENT, target=90.0, start=None, end=None, **subject):
    today = timezone.localdate()
    if not subject:
        subject = {"agent": w.agent} if level == GoalLevel.AGENT else {"team": w.team_a1}
    return Goal.objects.create(
        title="QA",
        level=level,
        kpi=kpi,
        target=target,
        start=start or today - dt.timedelta(9),
        end=end or today + dt.timedelta(20),
        owner=w.user("lead"),
        rationale="r",
        **subject,
    )


def test_pass_means_at_least_half_the_points():
    assert passed(Criterion("a"), "yes") is True and passed(Criterion("a"), "no") is False
    assert passed(Criterion("a", scale="one_to_five"), 3) is True
    assert passed(Criterion("a", scale="one_to_five"), 2) is False
    assert passed(Criterion("a", points=50, scale="points"), 25) is True
    assert passed(Criterion("a", points=50, scale="points"), 24) is False
    assert passed(Criterion("a", na_allowed=True), "na") is None


def test_the_quality_source_is_registered_and_describes_its_codes(world):
    scorecard(world.site_a)
    assert qa_kpi_source in kpi_sources.values()
    assert describe_metric("qa_score").unit == "score"
    rate = describe_metric("qa_pass:greet")
    assert rate.unit == "percent" and "问候语" in str(rate.label)
    assert describe_metric("aht") is None and describe_metric("qa_pass:") is None
    offered = [m.code for m in qa_kpi_source.offered()]
    assert offered[0] == "qa_score" and {
        "qa_pass:greet",
        "qa_pass:verify",
        "qa_pass:courtesy",
    } <= set(offered)


def test_goal_progress_reads_released_inspections_of_the_subject_and_period(world):
    today = timezone.localdate()
    card = scorecard(world.site_a)
    _evaluate(world, day=today - dt.timedelta(2), score="90", card=card)
    _evaluate(world, day=today - dt.timedelta(1), score="70", card=card)
    _evaluate(world, day=today, score="10", status="submitted", card=card)  # not released: left out
    _evaluate(world, day=today, score="20", kind="calibration", card=card)  # calibration: left out
    _evaluate(
        world, day=today - dt.timedelta(30), score="30", card=card
    )  # before the goal's period
    _evaluate(
        world, day=today, score="100", agent=world.peer, card=card
    )  # another agent of the team
    agent_goal, team_goal = _goal(world), _goal(world, level=GoalLevel.TEAM)
    agent_row, team_row = goal_progress([agent_goal, team_goal], today)
    assert agent_row["actual"] == pytest.approx(80.0) and agent_row["volume"] == 2
    assert agent_row["status"] == "at_risk"  # 80 < 90 with a third of the period gone
    assert agent_row["actual_display"] == "80.0" and agent_row["target_display"] == "90.0"
    assert str(agent_row["kpi_label"]) == "QA score"
    assert team_row["actual"] == pytest.approx((90 + 70 + 100) / 3) and team_row["volume"] == 3


def test_a_goal_without_released_evaluations_has_no_data_not_zero(world):
    today = timezone.localdate()
    _evaluate(world, day=today, score="60", status="submitted")
    (row,) = goal_progress([_goal(world)], today)
    assert row["actual"] is None and row["status"] == "no_data" and row["actual_display"] == "—"
    assert row["progress"] is None and row["bar"] is None


def test_a_pass_rate_goal_counts_answers_leaving_na_out(world):
    today = timezone.localdate()
    card = scorecard(world.site_a)
    failing = {**GOOD, "greet": {"answer": "no"}, "accuracy": {"answer": "na"}}
    _evaluate(world, day=today, score="80", card=card)  # greet yes, accuracy 40/50
    _evaluate(world, day=today, score="70", answers=failing, card=card)  # greet no, accuracy N/A
    _evaluate(world, day=today, score="70", answers=failing, card=card)
    greet, accuracy = (
        _goal(world, kpi=code, target=95) for code in ("qa_pass:greet", "qa_pass:accuracy")
    )
    greet_row, accuracy_row = goal_progress([greet, accuracy], today)
    assert greet_row["actual"] == pytest.approx(100 / 3) and greet_row["volume"] == 3
    assert greet_row["actual_display"] == "33.3%"
    assert (
        accuracy_row["actual"] == pytest.approx(100.0) and accuracy_row["volume"] == 1
    )  # two N/A left out


def test_measure_answers_each_ask_at_site_level_too(world):
    today = timezone.localdate()
    _evaluate(world, day=today, score="90")
    _evaluate(world, day=today, score="50", agent=world.a2_agent)
    _evaluate(world, day=today, score="10", agent=world.far)  # site B
    asks = [
        MetricAsk("qa_score", "site", world.site_a.pk, today, today),
        MetricAsk(
            "qa_score", "site", world.site_b.pk, today - dt.timedelta(5), today - dt.timedelta(1)
        ),
        MetricAsk("qa_pass:verify", "team", world.team_a2.pk, today, today),
    ]
    site_a, site_b_earlier, team_a2 = measure(asks)
    assert site_a.value == pytest.approx(70.0) and site_a.volume == 2
    assert site_b_earlier.value is None and site_b_earlier.volume == 0
    assert team_a2.value == pytest.approx(100.0) and team_a2.volume == 1


def test_goal_progress_keeps_a_fixed_number_of_queries(world, _clock):
    _clock.move_to(timezone.now(), tick=False)
    today = timezone.localdate()
    card = scorecard(world.site_a)
    for n in range(6):
        _evaluate(world, day=today - dt.timedelta(n), score=str(60 + 5 * n), card=card)

    def count(copies: int) -> int:
        goals = []
        for _n in range(copies):
            goals += [
                _goal(world),
                _goal(world, level=GoalLevel.TEAM),
                _goal(world, kpi="qa_pass:greet"),
                _goal(world, kpi="aht"),
            ]
        goals = list(
            Goal.objects.filter(pk__in=[g.pk for g in goals]).select_related(
                "agent", "team", "site"
            )
        )
        describe_metric("qa_pass:greet")  # the criterion labels, read once per process
        with CaptureQueriesContext(connection) as queries:
            rows = goal_progress(goals, today)
        assert all(r["actual"] is not None for r in rows if r["goal"].kpi.startswith("qa"))
        return len(queries)

    assert count(2) == count(5) == 4  # KPIs: 1; QA scores: 1; pass rates: 2


def test_a_lead_sets_a_qa_goal_on_the_goals_page_and_sees_its_progress(world, client_for):
    today = timezone.localdate()
    _evaluate(world, day=today, score="85")
    client = client_for(world.user("lead"))
    page = client.get(reverse("performance:goals"))
    assert ("qa_score", "QA score") in [
        (c, str(label)) for c, label in page.context["form"].fields["kpi"].choices
    ]
    response = client.post(
        reverse("performance:goals"),
        {
            "title": "质检分提升",
            "level": "agent",
            "agent": world.agent.pk,
            "kpi": "qa_score",
            "target": 90,
            "start": today - dt.timedelta(3),
            "end": today + dt.timedelta(27),
            "rationale": "客户体验",
        },
    )
    goal = Goal.objects.get(title="质检分提升")
    assert response.status_code == 302 and goal.kpi == "qa_score"
    detail = client.get(reverse("performance:goal_detail", args=[goal.pk])).content.decode()
    assert "QA score" in detail and "85.0" in detail


def test_only_goal_setters_covering_the_subject_set_qa_goals(world):
    today = timezone.localdate()
    kwargs = {
        "title": "t",
        "level": "agent",
        "kpi": "qa_score",
        "target": 90,
        "start": today,
        "end": today,
        "rationale": "r",
    }
    with pytest.raises(PermissionDenied):  # QA inspects but does not set goals
        performance_services.create_goal(world.user("qa"), agent=world.agent, **kwargs)
    from django.http import Http404

    with pytest.raises(Http404):  # the lead of A1 does not set goals for B1's agent
        performance_services.create_goal(world.user("lead"), agent=world.far, **kwargs)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # a code no source knows
        performance_services.create_goal(
            world.user("lead"), agent=world.agent, **{**kwargs, "kpi": "qa_bogus"}
        )


def test_a_failed_criterion_offers_a_plan_goal_on_its_pass_rate(world, client_for):
    today = timezone.localdate()
    last_week = today - dt.timedelta(days=today.weekday() + 7)
    card = scorecard(world.site_a)
    _evaluate(world, day=last_week, score="90", card=card)  # greet passes
    item = _evaluate(
        world,
        day=last_week + dt.timedelta(1),
        score="60",
        card=card,
        answers={**GOOD, "greet": {"answer": "no"}, "courtesy": {"answer": 2}},
    )
    client = client_for(world.user("lead"))
    page = client.get(reverse("quality:evaluation", args=[item.pk])).content.decode()
    assert 'data-testid="offer-plan-greet"' in page and 'data-testid="offer-plan-courtesy"' in page
    assert 'data-testid="offer-plan-verify"' not in page  # passed
    url = reverse("coaching:plan_create", args=[world.agent.pk]) + "?kpi=qa_pass%3Agreet"
    assert url in page.replace("&amp;", "&")
    form = client.get(url).context["form"]
    assert form.initial["kpi"] == "qa_pass:greet"
    assert (
        form.initial["baseline"] == 50.0 and form.initial["target"] == 95.0
    )  # last week: 1 of 2 passed
    response = client.post(
        url,
        {
            "kpi": "qa_pass:greet",
            "baseline": 50,
            "target": 95,
            "started_on": today,
            "review_on": today + dt.timedelta(42),
            "coaching_every_days": 7,
        },
    )
    plan = ImprovementPlan.objects.get(agent=world.agent)
    assert response.status_code == 302
    assert list(PlanGoal.objects.filter(plan=plan).values_list("kpi", "baseline", "target")) == [
        ("qa_pass:greet", 50.0, 95.0)
    ]
    detail = client.get(reverse("coaching:plan_detail", args=[plan.pk])).content.decode()
    assert "QA pass rate: 问候语" in detail and "50.0%" in detail


def test_the_plan_goal_offer_is_for_the_agents_lead_only(world, client_for):
    item = _evaluate(
        world, day=timezone.localdate(), score="60", answers={**GOOD, "greet": {"answer": "no"}}
    )
    for role in ("agent", "qa", "manager"):
        page = (
            client_for(world.user(role))
            .get(reverse("quality:evaluation", args=[item.pk]))
            .content.decode()
        )
        assert "offer-plan-greet" not in page, role
    far_item = _evaluate(
        world,
        day=timezone.localdate(),
        score="60",
        agent=world.far,
        answers={**GOOD, "greet": {"answer": "no"}},
    )
    client = client_for(world.user("lead"))
    assert client.get(reverse("quality:evaluation", args=[far_item.pk])).status_code == 404
    url = reverse("coaching:plan_create", args=[world.far.pk]) + "?kpi=qa_pass%3Agreet"
    assert client.get(url).status_code == 404  # not their agent
    assert (
        client_for(world.user("qa"))
        .get(reverse("coaching:plan_create", args=[world.agent.pk]) + "?kpi=qa_pass%3Agreet")
        .status_code
        == 404
    )


def test_with_an_active_plan_the_offer_adds_the_goal_to_it(world, client_for):
    today = timezone.localdate()
    plan = ImprovementPlan.objects.create(
        agent=world.agent,
        lead=world.user("lead"),
        started_on=today,
        review_on=today + dt.timedelta(days=30),
    )
    PlanGoal.objects.create(plan=plan, kpi="csat", baseline=70, target=85)
    item = _evaluate(world, day=today, score="60", answers={**GOOD, "greet": {"answer": "no"}})
    client = client_for(world.user("lead"))
    page = (
        client.get(reverse("quality:evaluation", args=[item.pk]))
        .content.decode()
        .replace("&amp;", "&")
    )
    url = reverse("coaching:plan_goal_add", args=[plan.pk]) + "?kpi=qa_pass%3Agreet"
    assert url in page
    form = client.get(url).context["form"]
    assert form.initial["kpi"] == "qa_pass:greet" and form.initial["target"] == 95.0
    response = client.post(url, {"kpi": "qa_pass:greet", "baseline": "", "target": 95})
    assert response.status_code == 302
    assert list(plan.goals.values_list("kpi", "baseline", "target")) == [
        ("csat", 70.0, 85.0),
        ("qa_pass:greet", None, 95.0),
    ]
    again = client.post(url, {"kpi": "qa_pass:greet", "target": 90})
    assert (
        again.status_code == 200 and "already has a goal on this measure" in again.content.decode()
    )
    # HR reads plans, only the lead adds to them
    assert client_for(world.user("hr")).get(url).status_code == 404
    plan.status, plan.closed_on, plan.outcome = "cancelled", today, "x"
    plan.save()
    assert client_for(world.user("lead")).get(url).status_code == 404  # a closed plan takes no goal


def test_the_agents_data_export_names_a_goals_measure(world):
    from zhiren.performance.personal_data import collect

    _goal(world)
    _goal(world, kpi="aht")
    goals = next(section for section in collect(world.agent) if section.key == "goals")
    assert sorted(str(row["kpi"]) for row in goals.rows) == ["Average handle time", "QA score"]
