from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ..factories import AgentFactory
from ..world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _catalogue_and_kpis(world, extra):
    from zhiren.performance.models import DailyStat
    from zhiren.placement import services

    services.ensure_catalogue()  # transactional tests start from an empty database
    today = timezone.localdate()
    agents = [world.agent, world.peer, world.a2_agent, *extra]
    for index, agent in enumerate(agents):
        DailyStat.objects.create(
            day=today - dt.timedelta(days=1), agent=agent, team=agent.team, channel="voice", offered=50,
            answered=50, handle_sum=50 * 300, csat_count=50, csat_top2=48 - 6 * index,
            resolution_known=50, resolved=48 - 6 * index,
        )
    return agents


def test_site_manager_opens_the_fit_matrix_and_runs_an_assignment(page_for, live_server):
    from zhiren.placement.models import AssignmentRun, OpenPosition, RoleProfile

    world = build_world()
    _catalogue_and_kpis(world, [AgentFactory(team=world.team_a2, name="周七")])
    OpenPosition.objects.create(site=world.site_a, role=RoleProfile.objects.get(code="qa"), capacity=2)
    page = page_for("manager")
    page.goto(f"{live_server.url}/placement/")
    matrix = page.get_by_test_id("fit-matrix")
    assert "张三" in matrix.inner_text() and "赵六" not in matrix.inner_text()  # site B is out of scope
    page.get_by_test_id("positions-link").click()
    page.wait_for_url("**/placement/positions/")
    page.get_by_test_id("run-assignment").click()
    page.wait_for_url("**/placement/runs/*/")
    run = AssignmentRun.objects.get()
    assert run.proven_optimal and run.moves.count() == 2
    assert page.get_by_test_id("moves").locator("tbody tr").count() == 2
    page.get_by_test_id("apply-run").click()
    page.wait_for_url("**/placement/runs/*/")
    run.refresh_from_db()
    assert run.status == "applied"


def test_lead_picks_a_low_ranked_agent_and_must_give_a_reason(page_for, live_server):
    from zhiren.placement.models import Pick, RoleProfile

    world = build_world()
    extra = [AgentFactory(team=world.team_a1, name=name) for name in ("王小明", "刘小红", "陈小刚")]
    _catalogue_and_kpis(world, extra)
    presales = RoleProfile.objects.get(code="presales")
    page = page_for("lead", viewport={"width": 390, "height": 844})  # on a phone
    page.goto(f"{live_server.url}/placement/pick/?role={presales.pk}")
    ranking = page.get_by_test_id("ranking").inner_text()
    assert ranking.index("张三") < ranking.index("陈小刚")
    form = page.get_by_test_id("pick-form")
    form.locator("select[name=role]").select_option(str(presales.pk))
    form.locator("select[name=agent]").select_option(str(extra[-1].pk))
    page.get_by_test_id("pick-submit").click()
    warning = page.get_by_test_id("pick-warning")
    assert "陈小刚" in warning.inner_text() and "张三" in warning.inner_text()
    assert not Pick.objects.exists()
    page.get_by_test_id("pick-form").locator("textarea[name=justification]").fill("他主动申请售前，客户熟悉度高")
    page.get_by_test_id("pick-submit").click()
    page.wait_for_url("**/placement/")
    pick = Pick.objects.get()
    assert pick.below_top and pick.justification == "他主动申请售前，客户熟悉度高"
