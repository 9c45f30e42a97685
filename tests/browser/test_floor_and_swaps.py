"""The floor as a lead lives it (issue #19), in the browser, in zh-Hans and English:

- a swap walked end to end: the agent checks and sends one that breaks a rule, the lead sees
  why in the page's language with the approve button disabled, and refuses it; the agent
  offers another shift, the colleague takes it, the lead sees the checks pass, approves, and
  the exchanged shifts show on both agents' weeks;
- the floor view on a 390 px phone at a weekday working hour: names on one line, states in
  words, no seconds, and the "required now" figure the staffing gives.

Screenshots of each page are saved under the test's ``tmp_path`` (``--basetemp`` to keep them).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from ..workforce.conftest import add_history, next_monday
from ..world import build_world
from . import pages
from .pages import open_as, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "en"]
PHONE = {"width": 390, "height": 844}
# Latin words allowed on a Chinese page: proper names and abbreviations used as they are.
LATIN_OK = {"Zhiren", "English"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def visit(page, url: str, lang: str) -> None:
    pages.visit(page, url, lang, allowed=LATIN_OK)


def assert_no_english(page, allowed=()) -> None:
    pages.assert_no_english(page, (*LATIN_OK, *allowed))










def _site(world):
    """Site A with one 8-hour template and a queue with four weeks of history to today."""
    from zhiren.workforce.models import Queue, ShiftTemplate
    from zhiren.workforce.planning import services

    services.ensure_site_setup(world.site_a)
    ShiftTemplate.objects.filter(site=world.site_a).delete()
    ShiftTemplate.objects.create(
        site=world.site_a,
        name="day",
        earliest_start=9 * 60,
        latest_start=13 * 60,
        length_minutes=8 * 60,
        start_step=60,
        breaks=[{"kind": "lunch", "length": 30, "earliest_after": 180, "latest_after": 300}],
    )
    queue = Queue.objects.create(
        site=world.site_a, code="after", name="售后热线", history_name="售后热线", channel="voice"
    )
    add_history(world.team_a1, "售后热线", date.today() - timedelta(days=1), per_slot=3.0)
    return queue


def _publish(world, start: date, weeks: int, shifts) -> None:
    """Publish (agent, day, start minute, end minute) shifts as one draft from ``start``."""
    from zhiren.workforce.drafts import services
    from zhiren.workforce.models import DraftShift, RosterDraft

    draft = RosterDraft.objects.create(
        site=world.site_a, start=start, weeks=weeks, status="ready", result={}
    )
    draft.teams.set([world.team_a1])
    for agent, day, begin, end in shifts:
        DraftShift.objects.create(
            draft=draft,
            agent=agent,
            day=day,
            template="day",
            start_minute=begin,
            end_minute=end,
            breaks=[["lunch", begin + 240, begin + 270]],
            queues=["after"] * ((end - begin) // 15),
        )
    services.publish_draft(world.user("manager"), draft, draft.version)


def _week_row(page, day: date):
    return page.locator(f'[data-testid=my-week] [data-day="{day.isoformat()}"]')


@pytest.mark.parametrize("lang", LANGUAGES)
def test_swap_from_request_to_both_weeks(page_for, live_server, lang, tmp_path):
    from tests.factories import agent_user
    from zhiren.workforce.models import SwapRequest

    world = build_world()
    agent_user(world.peer, username="peer")
    _site(world)
    monday = next_monday()
    sunday, wednesday = monday + timedelta(days=6), monday + timedelta(days=9)
    _publish(
        world,
        monday,
        2,
        [
            # the peer works Monday to Saturday: taking the agent's Sunday makes seven days in a row
            *[(world.peer, monday + timedelta(days=n), 9 * 60, 17 * 60) for n in range(6)],
            (world.agent, sunday, 9 * 60, 17 * 60),
            # the next Wednesday, an early and a late shift: an exchange that breaks nothing
            (world.agent, wednesday, 9 * 60, 17 * 60),
            (world.peer, wednesday, 13 * 60, 21 * 60),
        ],
    )
    in_a_row = {"zh-hans": "连续工作 7 天", "en": "7 days in a row"}[lang]

    # The agent asks the peer for Sunday, checks first, and is told why it cannot be approved.
    agent = open_as(page_for, live_server, "agent", lang, viewport=PHONE)
    visit(agent, f"{live_server.url}/workforce/swaps/", lang)
    agent.fill("#id_day", sunday.isoformat())
    agent.select_option("#id_partner", str(world.peer.pk))
    agent.get_by_test_id("swap-preview-button").click()
    preview = agent.get_by_test_id("swap-preview").inner_text()
    assert t(lang, "Your team lead could not approve this swap:") in preview and in_a_row in preview
    if lang == "zh-hans":
        assert_no_english(agent)
    agent.get_by_test_id("swap-send").click()
    agent.wait_for_url("**/workforce/swaps/*/")
    refused_url = agent.url

    # The lead sees the reasons in the page's language and cannot approve.
    lead = open_as(page_for, live_server, "lead", lang, viewport=PHONE)
    visit(lead, refused_url, lang)
    problems = lead.get_by_test_id("swap-problems").inner_text()
    assert in_a_row in problems and world.peer.name in problems
    # the title and each reason stacked, readable on a phone (not squeezed into columns)
    lines = lead.get_by_test_id("swap-problems").locator(":scope > div").all()
    assert len(lines) >= 2
    boxes = [line.bounding_box() for line in lines]
    assert all(b["y"] >= a["y"] + a["height"] - 1 for a, b in zip(boxes, boxes[1:], strict=False))
    assert min(b["width"] for b in boxes) > PHONE["width"] / 2
    assert lead.get_by_test_id("swap-ok").count() == 0
    approve = lead.get_by_test_id("approve")
    assert approve.is_disabled()
    assert approve.get_attribute("title") == t(lang, "The checks above must pass first.")
    lead.screenshot(path=str(tmp_path / f"swap-refused-{lang}.png"), full_page=True)
    lead.get_by_test_id("refuse").click()
    lead.wait_for_url(refused_url)
    assert lead.get_by_test_id("swap-status").inner_text() == status_word(lang, "refused")

    # The agent offers Wednesday to the team; the peer takes it.
    visit(agent, f"{live_server.url}/workforce/swaps/", lang)
    agent.fill("#id_day", wednesday.isoformat())
    agent.select_option("#id_partner", "")
    agent.get_by_test_id("swap-send").click()
    agent.wait_for_url("**/workforce/swaps/*/")
    offer_url = agent.url
    assert agent.get_by_test_id("swap-status").inner_text() == status_word(lang, "open")
    peer = open_as(page_for, live_server, "peer", lang, viewport=PHONE)
    visit(peer, f"{live_server.url}/workforce/swaps/", lang)
    peer.get_by_test_id("swap-list").locator(
        f'a[href$="/{offer_url.rstrip("/").rsplit("/", 1)[1]}/"]'
    ).click()
    peer.wait_for_url(offer_url)
    peer.get_by_test_id("take").click()
    peer.wait_for_url(offer_url)
    assert peer.get_by_test_id("swap-status").inner_text() == status_word(lang, "pending")

    # The lead sees the checks pass, in words, and approves.
    visit(lead, offer_url, lang)
    assert lead.get_by_test_id("swap-ok").inner_text() == t(
        lang, "Skills and labour rules pass for both agents."
    )
    assert lead.get_by_test_id("swap-problems").count() == 0
    lead.screenshot(path=str(tmp_path / f"swap-ok-{lang}.png"), full_page=True)
    lead.get_by_test_id("approve").click()
    lead.wait_for_url(offer_url)
    assert lead.get_by_test_id("swap-status").inner_text() == status_word(lang, "approved")
    assert SwapRequest.objects.get(status="approved").partner_id == world.peer.pk

    # Both weeks show the exchanged shifts.
    visit(agent, f"{live_server.url}/workforce/me/?start={wednesday - timedelta(days=2)}", lang)
    assert "13:00–21:00" in _week_row(agent, wednesday).inner_text()
    visit(peer, f"{live_server.url}/workforce/me/?start={wednesday - timedelta(days=2)}", lang)
    assert "09:00–17:00" in _week_row(peer, wednesday).inner_text()
    peer.screenshot(path=str(tmp_path / f"peer-week-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_floor_on_a_phone(page_for, live_server, lang, tmp_path, _clock):
    from zhiren.workforce.dates import week_start
    from zhiren.workforce.models import CurrentState
    from zhiren.workforce.planning import services

    # a Wednesday at 10:00, when the queue's history has calls and the team is on shift
    _clock.move_to(datetime(2026, 3, 11, 10, 0, tzinfo=SHANGHAI))
    world = build_world()
    world.peer.name = "欧阳明月" if lang == "zh-hans" else "Margaret Oyelaran-Whitfield"
    world.peer.save(update_fields=["name"])
    from tests.factories import AgentFactory

    # not on shift today
    resting = AgentFactory(team=world.team_a1, name="王小休", employee_no="A1009")
    queue = _site(world)
    today = date.today()
    services.create_forecast(None, queue, week_start(today), 1)
    _publish(
        world,
        today,
        1,
        [(world.agent, today, 9 * 60, 17 * 60), (world.peer, today, 9 * 60, 17 * 60)],
    )
    from django.utils import timezone

    now = timezone.now()
    CurrentState.objects.create(
        agent=world.agent, state="break", since=now - timedelta(minutes=12), received_at=now
    )
    CurrentState.objects.create(
        agent=world.peer, state="available", since=now - timedelta(minutes=5), received_at=now
    )

    page = open_as(page_for, live_server, "lead", lang, viewport=PHONE)
    visit(page, f"{live_server.url}/workforce/floor/", lang)
    page.screenshot(path=str(tmp_path / f"floor-{lang}.png"), full_page=True)
    required = page.get_by_test_id("required-now").inner_text().strip()
    assert required.isdigit() and int(required) > 0, required
    intervals = page.get_by_test_id("interval")
    assert intervals.count() == 5
    assert all(r.strip() != "–" for r in page.get_by_test_id("interval-required").all_inner_texts())
    # states in words, minutes in state
    for employee_no, code in (("A1001", "break"), ("A1002", "available")):
        badge = page.locator(f'[data-agent="{employee_no}"]').get_by_test_id("state").inner_text()
        assert badge.strip() == state_word(lang, code)
        if lang == "zh-hans":
            assert not re.search(r"[A-Za-z]", badge)
    assert "12" in page.locator('[data-agent="A1001"]').get_by_test_id("in-state").inner_text()
    # whoever is off shift is named in one line, not given a card to scroll past
    assert page.locator(f'[data-agent="{resting.employee_no}"]').count() == 0
    off = page.get_by_test_id("off-shift").inner_text()
    assert resting.name in off and world.agent.name not in off
    assert off.startswith({"zh-hans": "不在班（1 人）", "en": "Off shift (1)"}[lang])
    # every name on one line, however long, at 390 px
    for name in page.locator(".zr-agent-name").all():
        box = name.bounding_box()
        line = name.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert box["height"] <= line * 1.2, (name.inner_text(), box, line)
        assert box["width"] >= 80  # room for more than one character
    # no seconds anywhere, and the page does not scroll sideways
    assert not re.search(r"\b\d\d:\d\d:\d\d\b", page.locator(".page-wrapper").inner_text())
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def state_word(lang: str, code: str) -> str:
    """The floor's word for a state code, as the app words it."""
    from zhiren.workforce.pages import STATE_LABELS

    with translation.override(lang):
        return str(STATE_LABELS[code])


def status_word(lang: str, code: str) -> str:
    from zhiren.workforce.models import RequestStatus

    with translation.override(lang):
        return str(RequestStatus(code).label)
