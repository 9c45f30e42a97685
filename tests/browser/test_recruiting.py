"""Recruiting (招聘) in the browser, in zh-Hans and English: a candidate takes the typing test,
two interviewers submit their scorecards independently, and an accepted offer creates the agent."""

from __future__ import annotations

import pytest

from ..recruiting.helpers import candidate, interview, offer, requisition
from ..world import build_world
from .pages import t
from .test_quality import LANGUAGES, assert_no_english, open_as, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def named_world():
    world = build_world()
    for username, first, last in (
        ("lead", "丽华", "陈"),
        ("manager", "建国", "周"),
        ("hr", "芳", "郑"),
        ("trainer", "静", "孙"),
        ("qa", "敏", "吴"),
    ):
        user = world.user(username)
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    return world


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_candidate_takes_the_typing_test(page_for, live_server, lang):
    from zhiren.recruiting.models import AssessmentResult

    world = named_world()
    c = candidate(world.site_a, world.user("hr"), name="林小雨", stage="screened")
    page = open_as(page_for, live_server, "hr", lang)
    visit(page, f"{live_server.url}/recruiting/candidates/{c.pk}/", lang)
    page.get_by_test_id("typing-start").click()
    page.wait_for_url("**/recruiting/typing/*/")
    passage = page.get_by_test_id("passage").inner_text()
    assert passage.startswith("您好，很高兴为您服务")
    page.get_by_test_id("typing-text").fill(passage[:20])
    page.get_by_test_id("typing-submit").click()
    page.get_by_test_id("typing-result").wait_for()
    result = AssessmentResult.objects.get(candidate=c, kind="typing")
    assert result.submitted_at and result.detail["typed"] == 20 and result.detail["errors"] == 0
    assert page.get_by_test_id("accuracy").inner_text() == "100%"
    assert int(page.get_by_test_id("net-cpm").inner_text()) == round(result.score)
    if lang == "zh-hans":
        assert_no_english(page)
    page.goto(f"{live_server.url}/recruiting/candidates/{c.pk}/")
    assert t(lang, "characters per minute") in page.get_by_test_id("typing-score").inner_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_two_interviewers_submit_scorecards_independently(page_for, live_server, lang):
    world = named_world()
    c = candidate(world.site_a, world.user("hr"), name="林小雨", stage="screened")
    item = interview(c, [world.user("lead"), world.user("manager")])
    cards = {
        card.interviewer.username: card for card in item.scorecards.select_related("interviewer")
    }

    def submit(username, rating, recommendation):
        page = open_as(page_for, live_server, username, lang)
        visit(page, f"{live_server.url}/recruiting/scorecards/{cards[username].pk}/", lang)
        assert page.get_by_test_id("hidden-cards").count() == 1  # the other card is not shown
        for key in ("service", "resilience"):
            page.check(f"input[name=r_{key}][value='{rating}']")
        page.check(f"input[name=recommendation][value={recommendation}]")
        page.get_by_test_id("submit-card").click()
        page.get_by_test_id("own-card").wait_for()
        return page

    lead_page = submit("lead", 4, "yes")
    # the manager has not submitted: the lead still sees only that one more card exists
    assert lead_page.get_by_test_id("hidden-cards").count() == 1
    manager_page = submit("manager", 3, "strong_yes")
    panel = manager_page.get_by_test_id("other-cards").inner_text()
    assert "陈丽华" in panel and t(lang, "Hire") in panel  # the lead's card, after his own
    lead_page.reload()
    assert "周建国" in lead_page.get_by_test_id("other-cards").inner_text()
    if lang == "zh-hans":
        assert_no_english(lead_page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_accepted_offer_creates_the_agent(page_for, live_server, lang):
    from zhiren.org.models import Agent

    world = named_world()
    req = requisition(world.site_a, world.user("manager"))
    c = candidate(world.site_a, world.user("hr"), name="林小雨", requisition=req)
    offer(c, world.team_a1)
    page = open_as(page_for, live_server, "hr", lang)
    visit(page, f"{live_server.url}/recruiting/candidates/{c.pk}/", lang)
    page.get_by_test_id("accept").click()
    page.get_by_test_id("onboarding").wait_for()
    agent = Agent.objects.get(name="林小雨")
    assert agent.team == world.team_a1 and agent.hire_date is not None
    lines = page.get_by_test_id("onboarding").inner_text()
    assert agent.employee_no in lines and t(lang, "Profile opened for the team lead.") in lines
    assert page.get_by_test_id("stage").inner_text() == t(lang, "Onboarded")
    page.get_by_test_id("agent-link").click()
    page.wait_for_url(f"**/org/agents/{agent.pk}/")
    assert "林小雨" in page.content()
