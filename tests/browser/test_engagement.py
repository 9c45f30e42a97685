"""Engagement in the browser, in zh-Hans and English: an agent answers a pulse on a phone, a
lead sees the team's results with a hidden cell explained, and a suggestion is adopted and
the adoption rate moves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..engagement.helpers import answer, crowd, launch, plant_trouble, survey
from ..world import build_world
from . import pages
from .pages import open_as, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "en"]
LATIN_OK = {"ENPS", "CSV", "Zhiren", "English"}
PHONE = {"width": 390, "height": 844}


def visit(page, url: str, lang: str) -> None:
    pages.visit(page, url, lang, allowed=LATIN_OK)








@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_agent_answers_a_pulse_on_a_phone(page_for, live_server, lang):
    from zhiren.engagement.models import Invitation, Response

    world = build_world()
    wave = launch(survey(world.site_a))
    page = open_as(page_for, live_server, "agent", lang, viewport=PHONE)
    visit(page, f"{live_server.url}/engagement/", lang)
    page.get_by_test_id("invitation").click()
    page.wait_for_url(f"**/engagement/waves/{wave.pk}/answer/")
    promise = page.get_by_test_id("promise").inner_text()
    assert "5" in promise and "10" in promise  # the locked minimums, before answering
    for key in wave.items:
        page.get_by_test_id(f"{key}-4").click()
    page.get_by_test_id("enps").select_option("9")
    page.fill("textarea[name=comment]", "排班提前公布就好了")
    page.get_by_test_id("submit").click()
    page.wait_for_url(f"{live_server.url}/engagement/")
    expect(
        page.get_by_text(t(lang, "Thank you. Your answer is stored without your name."))
    ).to_be_visible()
    assert page.get_by_test_id("invitation").count() == 0
    assert Response.objects.get(wave=wave).answers == dict.fromkeys(wave.items, 4)
    assert Invitation.objects.get(wave=wave, user=world.user("agent")).responded


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_lead_sees_the_team_results_with_a_hidden_cell_explained(page_for, live_server, lang):
    world = build_world()
    wave = launch(survey(world.site_a, kind="engagement"))
    a1, a2 = crowd(world.team_a1, 8), crowd(world.team_a2, 3)
    wave = launch(wave.survey)
    for user in a1 + a2:
        answer(wave, user)
    page = open_as(page_for, live_server, "lead", lang)
    visit(page, f"{live_server.url}/engagement/waves/{wave.pk}/", lang)
    assert page.get_by_test_id("row-site").inner_text().count("4.00") >= 1
    why = page.get_by_test_id("suppressed").inner_text()
    expected = t(
        lang,
        "Hidden: with the groups shown beside it, someone could work out the answers of "
        "fewer than %(n)s people (the total minus the others).",
    ) % {"n": 5}
    assert why == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_suggestion_is_adopted_and_the_adoption_rate_moves(page_for, live_server, lang):
    from zhiren.engagement.models import Suggestion

    from ..engagement.helpers import suggestion

    world = build_world()
    for role, (first, last) in {"agent": ("三", "张"), "manager": ("建国", "周")}.items():
        user = world.user(role)
        user.first_name, user.last_name = first, last
        user.save()
    suggestion(world, "declined")
    item = suggestion(world, "reviewing")
    page = open_as(page_for, live_server, "manager", lang)
    visit(page, f"{live_server.url}/engagement/suggestions/", lang)
    assert page.get_by_test_id("adoption").inner_text() == "0%"
    visit(page, f"{live_server.url}/engagement/suggestions/{item.pk}/", lang)
    form = page.get_by_test_id("adopt")
    form.locator("input[name=reward]").fill("300")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("status")).to_have_text(t(lang, "Adopted"))
    visit(page, f"{live_server.url}/engagement/suggestions/dashboard/", lang)
    assert page.get_by_test_id("by-site").get_by_test_id("rate").inner_text() == "50%"
    item.refresh_from_db()
    assert (item.status, item.reward_points, item.decided_by) == (
        "adopted",
        300,
        world.user("manager"),
    )
    assert Suggestion.objects.filter(status="adopted").count() == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_lead_sees_a_risk_score_with_its_reasons(page_for, live_server, lang):
    from django.utils import timezone

    world = build_world()
    plant_trouble(world.peer, timezone.localdate())
    page = open_as(page_for, live_server, "lead", lang)
    pages.visit(page, f"{live_server.url}/engagement/risk/", lang, allowed=LATIN_OK | {"AUC"})
    first = page.get_by_test_id("risk-row").first
    expect(first).to_contain_text(world.peer.name)
    expect(first.get_by_test_id("risk-level")).to_have_text(
        re.compile(t(lang, "high") + "|" + t(lang, "raised"))
    )
    expect(first.get_by_test_id("reasons")).to_contain_text(
        t(lang, "%(count)s absences in 90 days") % {"count": 4}
    )
    expect(page.get_by_test_id("not-a-decision")).to_be_visible()
