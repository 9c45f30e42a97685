"""Training in the browser, in zh-Hans and English: a trainer marks a milestone; the lead sees
the graduation gate pass and signs off last, and the agent graduates with the queue skill."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ..factories import AgentFactory
from ..quality.helpers import evaluation
from ..training import helpers
from ..world import build_world
from . import pages
from .pages import open_as, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "en"]
LATIN_OK = {
    "AHT",
    "QA",
    "Zhiren",
    "English",
    "FAQ",
    "TRAINER",
}  # FAQ: a queue code, TRAINER: a login (data)


def visit(page, url: str, lang: str) -> None:
    pages.visit(page, url, lang, allowed=LATIN_OK)








@pytest.mark.parametrize("lang", LANGUAGES)
def test_trainer_marks_a_milestone_and_the_lead_signs_the_graduate_off(
    page_for, live_server, lang, _clock
):
    from zhiren.performance.models import DailyStat
    from zhiren.training import services
    from zhiren.training.models import Enrolment
    from zhiren.workforce.models import AgentSkill

    _clock.move_to(dt.datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    world = build_world()
    prog = helpers.programme(world.site_a, quiz=True)
    classroom = Enrolment.objects.create(
        programme=prog, agent=world.peer, enrolled_on=helpers.DAY, status="active"
    )
    hire = AgentFactory(team=world.team_a1, hire_date=dt.date(2026, 2, 1), name="钱七")
    nesting = helpers.enrolment(hire, prog)
    for _n in range(5):
        evaluation(world, agent=hire)
    for agent, aht in ((hire, 320), (world.agent, 300), (world.a2_agent, 300)):
        DailyStat.objects.create(
            day=dt.date(2026, 3, 5),
            agent=agent,
            team=agent.team,
            channel="voice",
            answered=10,
            handle_sum=aht * 10,
        )
    quiz = prog.certification_quiz
    services.submit_attempt(quiz, hire, {i.pk: i.key for i in quiz.items.all()}, "final")
    services.sign_off(nesting, "trainer", user=world.user("trainer"))
    services.sign_off(nesting, "qa", user=world.user("qa"))

    page = open_as(page_for, live_server, "trainer", lang)
    visit(page, f"{live_server.url}/training/enrolments/{classroom.pk}/", lang)
    first = prog.milestones.first()
    page.get_by_test_id(f"mark-{first.pk}").click()
    expect(page.get_by_test_id("milestone-done")).to_have_count(1)
    assert classroom.progress.count() == 1

    page = open_as(page_for, live_server, "lead", lang)
    visit(page, f"{live_server.url}/training/enrolments/{nesting.pk}/", lang)
    expect(page.get_by_test_id("gate-passed")).to_be_visible()
    page.get_by_test_id("sign-lead").click()
    expect(page.get_by_test_id("enrolment-status")).to_have_text(t(lang, "Graduated"))
    assert AgentSkill.objects.filter(agent=hire, queue=prog.queue).exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_trainer_edits_a_cohorts_exposure_stage(page_for, live_server, lang):
    world = build_world()
    prog = helpers.programme(world.site_a, name="新员工培训")
    helpers.queue(world.site_a, "orders")
    group = helpers.cohort(prog)
    codes = LATIN_OK | {"ORDERS", "THREE"}  # queue codes and what the trainer typed (data)
    page = open_as(page_for, live_server, "trainer", lang)
    pages.visit(page, f"{live_server.url}/training/cohorts/{group.pk}/", lang, allowed=codes)
    page.get_by_test_id("edit").click()
    page.get_by_test_id("stages").fill("1: faq\nthree: orders")
    page.get_by_test_id("save").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("three")
    if lang == "zh-hans":
        pages.assert_no_english(page, codes)
    page.get_by_test_id("stages").fill("1: faq\n3: faq, orders")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("exposure")).to_contain_text("faq, orders")
    group.refresh_from_db()
    assert [s["weeks"] for s in group.exposure] == [1, 3]


def test_the_sessions_list_fits_a_phone(page_for, live_server):
    """Its table scrolls inside its card: the visually hidden "Edit" heading is placed
    absolutely and once widened the whole page on a phone."""
    from .test_accessibility import phone_findings

    world = build_world()
    helpers.session(helpers.programme(world.site_a, name="新员工上岗培训（售后服务与投诉处理）"))
    page = open_as(page_for, live_server, "trainer", "en")
    page.goto(f"{live_server.url}/training/sessions/")
    assert page.locator('[data-testid="sessions"] tbody tr').count() == 1
    assert phone_findings(page, "/training/sessions/") == []
