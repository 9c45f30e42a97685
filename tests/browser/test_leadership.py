"""The lead's workspace in the browser, in zh-Hans and English: on a phone, the lead opens the
generated 晨会, runs it, records attendance and a follow-up; a waiting leave request is a card in
quadrant III of the board, and the lead delegates it with the six guiding questions; a 请示 with
the team's data attached is approved by the manager."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..leadership.helpers import shift_start
from ..world import build_world
from . import pages
from .pages import open_as, t
from .test_quality import LANGUAGES, LATIN_OK

LATIN = {w.upper() for w in LATIN_OK | {"KPI", "lead", "manager"}}  # the abbreviation; the world's login names


def visit(page, url: str, lang: str) -> None:
    """As quality's ``visit``; the board's importance label "KPI 目标" keeps the abbreviation."""
    pages.visit(page, url, lang, allowed=LATIN)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lead_runs_the_generated_huddle_on_a_phone(page_for, live_server, lang):
    from zhiren.leadership.models import AgendaItem, Attendance, Huddle
    from zhiren.leadership.services import plan_huddle
    from zhiren.performance.models import DailyStat

    world = build_world()
    start = shift_start()
    DailyStat.objects.create(
        day=timezone.localdate(start) - timedelta(days=1),
        agent=world.agent,
        team=world.team_a1,
        channel="voice",
        offered=100,
        answered=100,
        answered_in_sl=70,
    )
    huddle = plan_huddle(world.team_a1, start)
    page = open_as(page_for, live_server, "lead", lang, viewport=PHONE)
    visit(page, f"{live_server.url}/", lang)
    page.get_by_test_id("next-huddle").locator("a").click()
    page.wait_for_url(f"**/leadership/huddles/{huddle.pk}/")
    visit(page, page.url, lang)
    numbers = page.get_by_test_id("section-numbers").inner_text()
    assert "70.0%" in numbers and t(lang, "Today's number") in numbers
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("timer")).to_have_text(re.compile(r"^1[45]:\d\d$"))
    attendance = page.get_by_test_id("attendance")
    attendance.get_by_label(world.peer.name).uncheck()
    attendance.locator("button[type=submit]").click()
    page.get_by_test_id("add-point").locator("input[name=text]").fill("跟进系统卡顿")
    page.get_by_test_id("add-point").locator("input[name=follow_up]").check()
    page.get_by_test_id("add-point").locator("button[type=submit]").click()
    expect(page.get_by_test_id("section-follow_ups")).to_contain_text("跟进系统卡顿")
    if lang == "zh-hans":
        visit(page, page.url, lang)
    assert {(a.agent_id, a.present) for a in Attendance.objects.filter(huddle=huddle)} == {
        (world.agent.pk, True),
        (world.peer.pk, False),
    }
    assert AgendaItem.objects.filter(huddle=huddle, section="follow_ups").count() == 1
    assert Huddle.objects.get(pk=huddle.pk).status == "running"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_leave_request_lands_in_quadrant_three_and_is_delegated(page_for, live_server, lang):
    """A system event (a leave request waiting) makes a card in quadrant III; on a phone the lead
    delegates it through the six guiding questions."""
    from zhiren.leadership.models import CardState
    from zhiren.workforce.models import LeaveRequest

    world = build_world()
    today = timezone.localdate()
    leave = LeaveRequest.objects.create(
        agent=world.agent, start=today + timedelta(days=1), end=today + timedelta(days=1)
    )
    page = open_as(page_for, live_server, "lead", lang, viewport=PHONE)
    visit(page, f"{live_server.url}/leadership/board/", lang)
    card = page.get_by_test_id("quadrant-3").get_by_test_id("card-leave_request")
    expect(card).to_contain_text(world.agent.name)
    card.get_by_test_id("delegate-link").click()
    page.get_by_test_id("delegate-agent").locator("select").select_option(str(world.peer.pk))
    page.get_by_test_id("delegate-agent").locator("button[type=submit]").click()
    questions = page.get_by_test_id("six-questions")
    visit(page, page.url, lang)
    expect(questions).to_contain_text(t(lang, "What does good look like?"))
    questions.locator("textarea[name=what]").fill("审核请假并安排顶班")
    questions.locator("textarea[name=why]").fill("明早人手紧")
    questions.locator("textarea[name=good]").fill("今天下班前排好顶班")
    questions.locator("button[type=submit]").click()
    page.wait_for_url("**/leadership/board/")
    expect(page.get_by_test_id("quadrant-3").get_by_test_id("card-leave_request")).to_have_count(0)
    expect(page.get_by_test_id("set-aside")).to_contain_text(world.peer.name)
    state = CardState.objects.get(key=f"workforce.leave:{leave.pk}")
    assert state.delegated_to == world.peer and state.delegation.good == "今天下班前排好顶班"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_request_for_instructions_is_approved_by_the_manager(page_for, live_server, lang):
    from zhiren.leadership.models import Request
    from zhiren.people.models import Talk

    world = build_world()
    Talk.objects.create(
        lead=world.user("lead"),
        team=world.team_a1,
        held_on=timezone.localdate() - timedelta(days=2),
        setting="tea",
    )
    page = open_as(page_for, live_server, "lead", lang, viewport=PHONE)
    visit(page, f"{live_server.url}/leadership/requests/new/", lang)
    form = page.get_by_test_id("request-form")
    form.locator("input[name=tables][value='people:talks']").check()
    form.locator("input[name=subject]").fill("双十一期间增开夜班")
    form.locator("textarea[name=background]").fill("预计话务量上涨四成。")
    form.locator("textarea[name=options]").fill("增开夜班\n外包承接")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/leadership/requests/*/")
    expect(page.get_by_test_id("request-document")).to_contain_text(
        t(lang, "Please advise whether this is appropriate.")
    )
    item = Request.objects.get()

    manager = open_as(page_for, live_server, "manager", lang, viewport=PHONE)
    visit(manager, f"{live_server.url}/leadership/requests/", lang)
    manager.get_by_test_id("to-answer").get_by_text("双十一期间增开夜班").click()
    expect(manager.get_by_test_id("request-evidence")).to_contain_text(t(lang, "Talks held"))
    manager.get_by_test_id("reply-form").locator("textarea[name=text]").fill("同意，先试两周")
    manager.get_by_test_id("reply-form").locator("button[value=approve]").click()
    expect(manager.get_by_test_id("request-status")).to_have_text(t(lang, "Approved"))
    item.refresh_from_db()
    assert item.status == "approved"
    visit(page, f"{live_server.url}/leadership/requests/{item.pk}/", lang)
    expect(page.get_by_test_id("replies")).to_contain_text("同意，先试两周")
