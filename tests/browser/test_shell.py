from __future__ import annotations

import pytest

from ..world import build_world
from .pages import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_sees_roster_and_switches_to_english(page_for):
    build_world()
    page = page_for("lead")
    roster = page.get_by_test_id("roster")
    assert roster.is_visible()
    text = roster.inner_text()
    assert "张三" in text and "李四" in text and "赵六" not in text
    # zh-Hans is the default language.
    assert page.locator("h2.page-title").inner_text() == "我的班组"
    assert "工号" in text
    page.select_option("[data-testid=language-select]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("h2.page-title").inner_text() == "My team"
    assert "EMPLOYEE NUMBER" in page.get_by_test_id("roster").inner_text().upper()
    assert page.locator("html").get_attribute("lang") == "en"
    # The choice sticks across pages.
    page.click('#zr-nav .dropdown-toggle:has-text("Team")')
    page.click("#zr-nav .dropdown-menu >> text=Teams")
    assert page.locator("h2.page-title").inner_text() == "Teams"


def test_agent_sees_own_card_and_no_one_else(page_for, live_server):
    world = build_world()
    page = page_for("agent")
    card = page.get_by_test_id("agent-card").inner_text()
    assert "张三" in card and "A1001" in card
    body = page.locator("body").inner_text()
    for other in ("李四", "王五", "赵六", "A1002", "B1001"):
        assert other not in body
    # Trying another agent's page directly is a 404.
    response = page.goto(f"{live_server.url}/org/agents/{world.peer.pk}/")
    assert response.status == 404
    assert "李四" not in page.locator("body").inner_text()


def test_phone_layout_collapses_the_navigation(page_for):
    build_world()
    page = page_for("lead", viewport={"width": 390, "height": 844})
    assert page.locator(".navbar-toggler").is_visible()
    assert not page.locator("#zr-nav .nav-link").first.is_visible()
    page.click(".navbar-toggler")
    page.locator("#zr-nav .nav-link").first.wait_for(state="visible")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1


@pytest.mark.parametrize("width", [800, 1024, 1280])
def test_the_whole_menu_and_the_account_fit_a_desktop_in_english(page_for, live_server, width):
    """English labels are longer than Chinese ones: the site manager's ten areas, the language
    picker and the account menu all stay on the screen at tablet and desktop widths."""
    build_world()
    page = open_as(page_for, live_server, "manager", "en", viewport={"width": width, "height": 800})
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    account = page.locator("header.zr-navbar .avatar").bounding_box()
    assert account["x"] + account["width"] <= width
    items = page.locator("#zr-nav .nav-link")
    assert items.count() >= 9
    for index in range(items.count()):
        box = items.nth(index).bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, items.nth(index).inner_text()
