from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_shares_praise_to_the_wall_and_cannot_share_corrective_feedback(page_for, live_server):
    world = build_world()
    page = page_for("lead")
    page.goto(f"{live_server.url}/coaching/agents/{world.agent.pk}/")
    page.get_by_test_id("new-praise").click()
    form = page.get_by_test_id("feedback-form")
    form.locator("textarea[name=behavior]").fill("主动回访了三次来电的客户")
    form.locator("textarea[name=impact]").fill("客户撤回了投诉")
    form.locator("textarea[name=appreciation]").fill("谢谢你的耐心和专业")
    page.get_by_test_id("save-feedback").click()
    page.wait_for_url("**/coaching/feedback/*/")
    page.get_by_test_id("share").click()
    assert page.get_by_test_id("shared-badge").is_visible()
    page.goto(f"{live_server.url}/coaching/teams/{world.team_a1.pk}/wall/")
    assert "谢谢你的耐心和专业" in page.get_by_test_id("wall").inner_text()

    # Corrective feedback: the share option disappears and the record cannot be shared.
    page.goto(f"{live_server.url}/coaching/agents/{world.agent.pk}/")
    page.get_by_test_id("new-correction").click()
    form = page.get_by_test_id("feedback-form")
    assert form.locator("input[name=kind][value=bid]").is_checked()
    # The form's script hides the option once it has run: wait for it rather than race it.
    expect(page.get_by_test_id("share-option")).to_be_hidden()
    assert page.get_by_test_id("private-note").is_visible()
    form.locator("textarea[name=behavior]").fill("两次没有核实订单号就承诺退款")
    form.locator("textarea[name=impact]").fill("客户再次来电投诉")
    form.locator("textarea[name=desired]").fill("先核实订单号再承诺时间")
    page.get_by_test_id("save-feedback").click()
    page.wait_for_url("**/coaching/feedback/*/")
    assert page.get_by_test_id("private-badge").is_visible()
    assert page.get_by_test_id("share").count() == 0
    assert page.get_by_test_id("not-shareable").is_visible()
    page.goto(f"{live_server.url}/coaching/teams/{world.team_a1.pk}/wall/")
    assert "核实订单号" not in page.get_by_test_id("wall").inner_text()
    # Switching a praise draft to BID unticks and hides the share box.
    page.goto(f"{live_server.url}/coaching/agents/{world.agent.pk}/feedback/new/")
    page.locator("input[name=share]").check()
    page.locator("input[name=kind][value=bid]").check()
    assert not page.locator("input[name=share]").is_visible()
    assert not page.locator("input[name=share]").is_checked()


def test_lead_runs_a_grow_session_with_a_commitment(page_for, live_server):
    from zhiren.coaching.models import GrowQuestion

    world = build_world()
    # Transactional tests start from empty tables: put back one question of the bank.
    GrowQuestion.objects.get_or_create(stage="goal", text_zh="今天最想解决什么？", text_en="What do you most want to solve?")
    page = page_for("lead")
    page.goto(f"{live_server.url}/coaching/agents/{world.agent.pk}/")
    page.get_by_test_id("new-grow").click()
    assert page.get_by_test_id("three-beliefs").is_visible()
    form = page.get_by_test_id("grow-form")
    form.locator("input[name=topic]").fill("提升一次解决率")
    form.get_by_test_id("stage-goal").locator("input[name=questions]").first.check()
    form.locator("textarea[name=goal]").fill("一个月内到 75%")
    form.locator("textarea[name=reality]").fill("现在 68%，退换货规则不熟")
    form.locator("textarea[name=options]").fill("整理清单；请骨干陪听")
    form.locator("textarea[name=will]").fill("先整理清单")
    form.locator("input[name=commitment]").fill("周一前整理退换货常见问题清单")
    form.locator("input[name=commitment_due]").fill("2099-01-05")
    form.locator("select[name=interference_kind]").select_option("tools")
    form.locator("input[name=interference]").fill("知识库搜索太慢")
    page.get_by_test_id("save-grow").click()
    page.wait_for_url("**/coaching/grow/*/")
    commitments = page.get_by_test_id("commitments").inner_text()
    assert "周一前整理退换货常见问题清单" in commitments and "2099-01-05" in commitments
    assert "知识库搜索太慢" in page.inner_text("body")


def test_lead_views_the_map_on_a_phone(page_for, live_server):
    from zhiren.coaching import services

    world = build_world()
    lead = world.user("lead")
    services.assess_skill(lead, world.agent, "产品知识", 5)
    services.rate_state(lead, world.agent, motivation=5, confidence=4, commitment=5, ability=5, evidence="带新人")
    services.rate_state(lead, world.peer, motivation=2, confidence=2, commitment=2, ability=1, evidence="不按流程")
    services.assess_skill(lead, world.peer, "产品知识", 1)
    page = page_for("lead", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/coaching/")
    page.wait_for_url(f"**/coaching/teams/{world.team_a1.pk}/map/")
    assert "张三" in page.get_by_test_id("quadrant-delegating").inner_text()
    assert "李四" in page.get_by_test_id("quadrant-directing").inner_text()
    box = page.get_by_test_id("state-map").bounding_box()
    assert box["width"] <= 390  # the 2×2 fits the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#zr-state-chart canvas").count() == 1  # ECharts drew the positions
    page.get_by_test_id("quadrant-directing").get_by_text("李四").click()
    page.wait_for_url(f"**/coaching/agents/{world.peer.pk}/")
    assert page.get_by_test_id("state-label").inner_text().strip()
