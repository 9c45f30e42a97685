"""A lead announces a rule with a 7-day grace period: a slip inside it is a warning, after it a consequence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ..world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_announces_a_rule_and_sees_warning_then_consequence(page_for, live_server):
    from zhiren.discipline.models import Rule, Violation

    world = build_world()
    today = timezone.localdate()
    page = page_for("lead")
    page.goto(f"{live_server.url}/discipline/")
    page.get_by_test_id("new-rule").click()
    page.fill("#id_title", "不得私自居家办公")
    page.fill("#id_text", "居家办公须提前一天向组长申请并获批准。")
    page.select_option("#id_site", str(world.site_a.pk))
    page.select_option("#id_teams", [str(world.team_a1.pk)])
    page.fill("#id_grace_days", "7")
    page.get_by_test_id("save-rule").click()
    page.wait_for_url("**/discipline/rules/*/")
    rule = Rule.objects.get(title="不得私自居家办公")
    assert page.get_by_test_id("rule-status").first.inner_text().strip()

    # Announced ten days ago with seven days of grace: enforced since three days ago.
    page.fill("#id_on", (today - timedelta(days=10)).isoformat())
    page.fill("#id_grace_days", "7")
    page.get_by_test_id("announce").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("enforced-from").inner_text().strip() == (today - timedelta(days=3)).isoformat()

    def record(day):
        page.goto(f"{live_server.url}/discipline/violations/new/?agent={world.agent.pk}")
        page.select_option("#id_rule", str(rule.pk))
        page.fill("#id_day", day.isoformat())
        page.fill("#id_note", "未申请就在家登录接线。")
        page.get_by_test_id("save-violation").click()
        page.wait_for_url("**/discipline/violations/*/")
        return page.get_by_test_id("violation-consequence").locator("[data-consequence]").get_attribute(
            "data-consequence")

    assert record(today - timedelta(days=5)) == "warning"  # inside the grace period
    assert record(today - timedelta(days=1)) == "reminder"  # after it: the first step of the ladder
    assert list(Violation.objects.filter(agent=world.agent).order_by("day").values_list("consequence", flat=True)) \
        == ["warning", "reminder"]

    page.goto(f"{live_server.url}/discipline/violations/?state=all")
    badges = page.get_by_test_id("violation-queue").locator("[data-consequence]")
    assert sorted(badges.evaluate_all("els => els.map(e => e.dataset.consequence)")) == ["reminder", "warning"]


def test_picking_an_agent_narrows_the_punches_to_theirs(page_for, live_server):
    from zhiren.discipline.models import ClockEvent

    world = build_world()
    now = timezone.now()
    mine = ClockEvent.objects.create(agent=world.agent, at=now - timedelta(hours=2), kind="in", fingerprint="m")
    peers = ClockEvent.objects.create(agent=world.peer, at=now - timedelta(hours=3), kind="in", fingerprint="p")
    page = page_for("lead")
    page.goto(f"{live_server.url}/discipline/corrections/")

    def shown():
        return page.locator("#id_event option").evaluate_all(
            "els => els.filter(e => !e.hidden && e.value).map(e => Number(e.value))")

    page.select_option("#id_agent", str(world.agent.pk))
    assert shown() == [mine.pk]
    page.select_option("#id_event", str(mine.pk))
    page.select_option("#id_agent", str(world.peer.pk))
    assert shown() == [peers.pk]
    assert page.locator("#id_event").input_value() == ""  # the other agent's punch is no longer chosen
