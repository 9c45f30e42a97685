"""Kirkpatrick levels computed from records, on a small hand-checked case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.quality.helpers import evaluation
from zhiren.performance.models import DailyStat
from zhiren.quality.models import Evaluation
from zhiren.training import effect
from zhiren.training.models import Attempt, Attendance, Enrolment, Session

from . import helpers


def _enrol(world, agent, prog):
    return Enrolment.objects.create(
        programme=prog,
        agent=agent,
        enrolled_on=dt.date(2026, 2, 1),
        completed_on=dt.date(2026, 2, 15),
        status="completed",
    )


def test_level1_ratings_by_format_over_the_site(world):
    prog = helpers.programme(world.site_a)
    other = helpers.programme(world.site_a, name="别的")
    for fmt, ratings, p in (
        ("role_play", [5, 4], prog),
        ("lecture", [2], prog),
        ("lecture", [3], other),
    ):
        session = Session.objects.create(programme=p, held_on=helpers.DAY, format=fmt)
        for agent, rating in zip((world.agent, world.peer), ratings, strict=False):
            Attendance.objects.create(session=session, agent=agent, rating=rating)
    rows = {r["format"]: r for r in effect.level1(prog)["formats"]}
    assert rows["role_play"]["site"].value == 4.5 and rows["role_play"]["site"].n == 2
    assert rows["lecture"]["site"].value == 2.5 and rows["lecture"]["programme"].value == 2
    assert rows["game"]["site"].value is None  # missing, not 0
    assert effect.level1(prog)["formats"][0]["format"] == "role_play"


def test_level2_pre_against_best_final(world):
    prog = helpers.programme(world.site_a)
    quiz = helpers.make_quiz(world.site_a, prog)
    now = timezone.now()
    for agent, pre, finals in (
        (world.agent, 40, [60, 80]),
        (world.peer, 50, [70]),
        (world.a2_agent, 30, []),
    ):
        Attempt.objects.create(quiz=quiz, agent=agent, mode="pre", score=pre, submitted_at=now)
        for score in finals:
            Attempt.objects.create(
                quiz=quiz, agent=agent, mode="final", score=score, submitted_at=now
            )
    result = effect.level2(prog)
    assert result.value == 30 and result.n == 2  # (80 − 40 + 70 − 50) / 2; the third has no final


def test_level3_targeted_criteria_before_and_after(world):
    prog = helpers.programme(world.site_a, targeted_criteria=["greet"])
    enrolment = _enrol(world, world.agent, prog)
    before = evaluation(world, answers={"greet": {"answer": "no"}, "verify": {"answer": "yes"}})
    after = evaluation(world, answers={"greet": {"answer": "yes"}, "verify": {"answer": "yes"}})
    Evaluation.objects.filter(pk=before.pk).update(day=dt.date(2026, 1, 20))
    Evaluation.objects.filter(pk=after.pk).update(day=dt.date(2026, 2, 20))
    result = effect.level3(prog, [enrolment])
    assert result["change"].value == 100 and result["change"].n == 1


def _stat(agent, day, aht):
    DailyStat.objects.create(
        day=day, agent=agent, team=agent.team, channel="voice", answered=10, handle_sum=aht * 10
    )


def test_level4_change_against_untrained_peers(world):
    prog = helpers.programme(world.site_a)
    enrolment = _enrol(world, world.agent, prog)
    before, after = dt.date(2026, 1, 15), dt.date(2026, 2, 20)
    for agent, a, b in (
        (world.agent, 400, 300),
        (world.peer, 300, 300),
        (world.a2_agent, 300, 320),
    ):
        _stat(agent, before, a)
        _stat(agent, after, b)
    result = effect.level4(prog, [enrolment])
    assert result["aht"]["trained"].value == -100
    assert result["aht"]["peers"].value == pytest.approx(10) and result["aht"]["peers"].n == 2
    assert result["aht"]["effect"].value == pytest.approx(-110)
    assert not result["aht"]["effect"].has_interval  # one trainee: no interval
    assert result["csat"]["effect"].value is None  # no CSAT recorded: missing


def test_effect_page(world, client_for):
    prog = helpers.programme(world.site_a)
    page = client_for(world.user("trainer")).get(reverse("training:effect", args=[prog.pk]))
    assert page.status_code == 200 and b"not enough data" in page.content


def test_item_analysis_page(world, client_for):
    from zhiren.training import services

    quiz = helpers.make_quiz(world.site_a, n=2)
    a, b = quiz.items.all()
    services.submit_attempt(quiz, world.agent, {a.pk: a.key, b.pk: b.key}, "final")
    services.submit_attempt(quiz, world.peer, {a.pk: a.key}, "final")
    page = client_for(world.user("trainer")).get(reverse("training:quiz_items", args=[quiz.pk]))
    assert page.status_code == 200
    assert page.context["rows"][0]["stats"].difficulty == 1.0
    assert page.context["rows"][1]["stats"].difficulty == 0.5


def test_plan_page_leads_with_the_execution_rate(world, client_for, _clock):
    _clock.move_to(dt.datetime(2026, 3, 11, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    plan = helpers.plan(world.site_a)
    page = client_for(world.user("manager")).get(reverse("training:plan", args=[plan.pk]))
    assert page.context["rate"].rate == 0.5  # Q4 2025: one done, one dropped
    goal = plan.goals.get(title="角色扮演工作坊")
    client_for(world.user("trainer")).post(
        reverse("training:goal", args=[goal.pk]), {"status": "done"}
    )
    goal.refresh_from_db()
    assert goal.status == "done"
