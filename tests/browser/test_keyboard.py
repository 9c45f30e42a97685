"""Workflows done with the keyboard alone: Tab, Shift+Tab, Enter, Space and the arrow keys.

No mouse click anywhere: each test walks the page with ``page.keyboard`` and checks, at
every stop, that the focused element shows where the keyboard is (an outline or a box
shadow, on the element or, for the visually hidden inputs of the faces and chips, on
its label). See docs/accessibility.md.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ..world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where focus is, and whether it shows: the focused element (or the label that stands in
# for a visually hidden input) must have an outline or a box shadow.
FOCUS_STATE = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {match: false, ring: true, what: "body"};
  const hidden = el.matches("input") && getComputedStyle(el).opacity === "0" && el.labels && el.labels.length;
  const shown = hidden ? el.labels[0] : el;
  const style = getComputedStyle(shown);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  return {
    match: el.matches(selector),
    ring: Boolean(outline || shadow),
    what: el.outerHTML.slice(0, 160),
  };
}"""


def tab_to(page, selector: str, *, back: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab with ``back``) until ``selector`` has focus; every stop shows its focus."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_STATE, selector)
        assert state["ring"], f"focus is not visible on {state['what']}"
        if state["match"]:
            return
    raise AssertionError(f"{selector} never got the focus in {limit} presses of {key}")


def active(page, expression: str):
    return page.evaluate(f"() => document.activeElement.{expression}")


def test_mood_check_in_with_the_keyboard(page_for, live_server):
    from zhiren.wellbeing.models import MoodEntry

    world = build_world()
    page = page_for("agent")
    page.goto(f"{live_server.url}/wellbeing/check-in/")
    tab_to(page, "input[name=score]")  # into the faces: one stop for the whole group
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # the arrows move along the faces and choose
    score = int(active(page, "value"))
    assert page.locator(f"input[name=score][value='{score}']").is_checked()
    tab_to(page, "input[name=causes]")
    page.keyboard.press("Space")
    cause = active(page, "value")
    tab_to(page, "[data-testid=check-in-save]")
    tab_to(page, "#id_note", back=True)  # back up to add a note before saving
    page.keyboard.type("有点累")
    tab_to(page, "[data-testid=check-in-save]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    entry = MoodEntry.objects.get(agent=world.agent)
    assert (entry.score, entry.causes, entry.note) == (score, [cause], "有点累")


def test_heart_to_heart_talk_with_the_keyboard(page_for, live_server):
    from zhiren.people.models import Talk

    world = build_world()
    page = page_for("lead")
    page.goto(f"{live_server.url}/people/talks/new/")
    tab_to(page, "input[name=agents]")
    page.keyboard.press("Space")
    first = int(active(page, "value"))
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    second = int(active(page, "value"))
    tab_to(page, "select[name=setting]")
    page.keyboard.press("ArrowDown")  # a closed select changes with the arrows
    setting = active(page, "value")
    tab_to(page, "input[name=prompts]")
    page.keyboard.press("Space")
    prompt = active(page, "value")
    tab_to(page, "textarea[name=summary]")
    page.keyboard.type("聊了成长故事")
    tab_to(page, "[data-testid=save-talk]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/people/talks/\d+/$"))  # the new talk's page, not talks/new/
    talk = Talk.objects.get()
    assert (talk.setting, talk.prompts_used, talk.summary) == (setting, [prompt], "聊了成长故事")
    assert set(talk.participants.values_list("agent_id", flat=True)) == {first, second}
    assert {first, second} <= {world.agent.pk, world.peer.pk}


def test_leave_request_with_the_keyboard(page_for, live_server):
    from zhiren.workforce.models import LeaveRequest

    world = build_world()
    first = timezone.localdate() + timedelta(days=10)
    last = first + timedelta(days=2)
    # A fixed locale, so that a date field takes its digits in a known order (mm/dd/yyyy).
    page = page_for("agent", locale="en-US")
    page.goto(f"{live_server.url}/workforce/leave/")
    tab_to(page, "select[name=kind]")
    page.keyboard.press("ArrowDown")
    kind = active(page, "value")
    for name, day in (("start", first), ("end", last)):
        tab_to(page, f"input[name={name}]")
        page.keyboard.type(day.strftime("%m%d%Y"))
    tab_to(page, "input[name=reason], textarea[name=reason]")
    page.keyboard.type("回老家")
    tab_to(page, "form[method=post] button[type=submit]")
    page.keyboard.press("Enter")
    page.locator(".alert-success").wait_for()
    leave = LeaveRequest.objects.get(agent=world.agent)
    assert (leave.kind, leave.start, leave.end, leave.reason) == (kind, first, last, "回老家")


def test_roster_publish_with_the_keyboard(page_for, live_server):
    from zhiren.workforce.models import DraftShift, PublishedShift, Queue, RosterDraft
    from zhiren.workforce.planning import services

    world = build_world()
    services.ensure_site_setup(world.site_a)
    Queue.objects.create(
        site=world.site_a, code="after", name="售后热线", history_name="售后热线", channel="voice"
    )
    day = timezone.localdate() + timedelta(days=3)
    draft = RosterDraft.objects.create(
        site=world.site_a, start=day, weeks=1, status="ready", result={}
    )
    draft.teams.set([world.team_a1])
    DraftShift.objects.create(
        draft=draft,
        agent=world.agent,
        day=day,
        template="day",
        start_minute=9 * 60,
        end_minute=17 * 60,
        breaks=[],
        queues=["after"] * 32,
    )
    page = page_for("manager")
    page.goto(f"{live_server.url}/workforce/rosters/{draft.pk}/")
    tab_to(page, "[data-testid=publish]")
    page.keyboard.press("Space")  # a button also answers to Space
    page.wait_for_load_state("load")
    page.get_by_test_id("draft-status").wait_for()
    assert PublishedShift.objects.filter(agent=world.agent, day=day, active=True).exists()
    draft.refresh_from_db()
    assert draft.status == "published"


def test_menus_open_move_and_close_with_the_keyboard(page_for, live_server):
    """The app has no modal dialogs; its pop-ups are the top bar's menus. Enter opens one,
    the arrows move through it, Escape closes it and gives the focus back to its button."""
    build_world()
    page = page_for("lead")
    toggle = "#zr-nav .dropdown-toggle"
    tab_to(page, toggle)
    label = active(page, "textContent").strip()
    page.keyboard.press("Enter")
    menu = page.locator("#zr-nav .dropdown-menu.show")
    menu.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('dropdown-item')")
    first_item = active(page, "textContent")
    page.keyboard.press("ArrowDown")
    assert active(page, "textContent") != first_item or menu.locator(".dropdown-item").count() == 1
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden")
    assert active(page, "textContent").strip() == label  # focus back on the menu's button
    assert page.evaluate(FOCUS_STATE, toggle)["ring"]
