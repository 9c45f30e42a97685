from __future__ import annotations

import pytest
from django.utils import translation

from ..factories import AgentFactory
from ..world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_records_a_talk_with_three_agents_and_the_overdue_list_shrinks(page_for, live_server):
    world = build_world()
    AgentFactory(team=world.team_a1, name="王小明")
    AgentFactory(team=world.team_a1, name="刘小红")
    page = page_for("lead")
    page.goto(f"{live_server.url}/people/talks/")
    assert page.get_by_test_id("overdue-count").inner_text() == "4"
    page.get_by_test_id("new-talk").click()
    form = page.get_by_test_id("talk-form")
    for name in ("张三", "李四", "王小明"):
        form.get_by_label(name).check()
    form.locator("select[name=setting]").select_option("meal")
    form.locator("input[name=prompts][value=proudest]").check()
    page.get_by_test_id("save-talk").click()
    page.wait_for_url("**/people/talks/*/")
    page.goto(f"{live_server.url}/people/talks/")
    assert page.get_by_test_id("overdue-count").inner_text() == "1"
    overdue = page.get_by_test_id("overdue-list").inner_text()
    assert "刘小红" in overdue and "张三" not in overdue
    # The lead's home page shows the same single overdue talk.
    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("panel-overdue-count").inner_text() == "1"


def test_agent_profile_in_both_languages(page_for, live_server):
    build_world()
    page = page_for("agent")
    page.get_by_test_id("about-me").click()
    page.wait_for_url("**/people/me/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    with translation.override("zh-hans"):
        zh_title = translation.gettext("Career aspiration")
        zh_button = translation.gettext("Correct my profile")
    body = page.get_by_test_id("people-profile").inner_text()
    assert "张三" in page.locator("h2.page-title").inner_text()
    assert zh_title in body
    assert zh_button in page.get_by_test_id("edit-profile").inner_text()
    page.select_option("[data-testid=language-select]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Career aspiration" in page.get_by_test_id("people-profile").inner_text()
    assert page.get_by_test_id("edit-profile").inner_text() == "Correct my profile"
    assert page.get_by_test_id("life-stage").is_visible()  # the agent sees their own sensitive card
