"""Placement with the database: inputs from other modules, assignment with capacities and
unwillingness (overridable only with a reason), apply, the favoritism check and its report."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhiren.org.models import Position
from zhiren.placement import fit, selectors, services, solver
from zhiren.placement.models import (
    AssignmentRun,
    KnowHow,
    Move,
    OpenPosition,
    Pick,
    PickKind,
    PositionStatus,
    RoleProfile,
    Stance,
)

from ..factories import AgentFactory, UserFactory, grant

TODAY = dt.date(2024, 6, 3)


@pytest.fixture(autouse=True)
def _catalogue(db):
    services.ensure_catalogue()  # a transactional test earlier in the run may have flushed it


def role(code):
    return RoleProfile.objects.get(code=code)


def kpi_day(agent, day=TODAY, *, csat=(90, 100), resolved=(90, 100), aht=300):
    from zhiren.performance.models import DailyStat

    return DailyStat.objects.create(
        day=day, agent=agent, team=agent.team, channel="voice", offered=100, answered=100,
        handle_sum=aht * 100, csat_count=csat[1], csat_top2=csat[0], resolution_known=resolved[1],
        resolved=resolved[0], fcr_base=100, fcr_hits=80,
    )


@pytest.fixture
def site_a(world):
    """Site A with five more agents on A2, each with KPIs, traits and no stated wish yet."""
    agents = [world.agent, world.peer, world.a2_agent]
    agents += [AgentFactory(team=world.team_a2, name=f"候选{i}", position=Position.AFTERSALES) for i in range(5)]
    for index, agent in enumerate(agents):
        kpi_day(agent, csat=(60 + 5 * index, 100))
        services.set_traits(world.user("lead"), agent, ["rigorous", "rule_abiding"] if index % 2 else ["calm"])
    return agents


# --- inputs ---------------------------------------------------------------------------------------


def test_the_catalogue_has_the_seed_defaults(db):
    codes = list(RoleProfile.objects.values_list("code", flat=True))
    assert codes == ["presales", "aftersales", "complaints", "qa", "trainer", "operations", "lead_reserve"]
    assert role("presales").traits[:2] == ["curious", "lively"]
    assert role("aftersales").traits[:2] == ["calm", "steady"]
    assert role("qa").traits[:2] == ["rigorous", "rule_abiding"]
    assert services.ensure_catalogue() == []  # idempotent


def test_an_agent_without_data_shows_every_input_as_missing(world):
    result = selectors.fits_for_agents([world.far], [role("qa")], TODAY)[world.far.pk]["qa"]
    assert result.score is None
    assert set(result.missing) == set(fit.COMPONENTS)
    from zhiren.placement import reasons

    texts = [r["text"] for r in reasons.worded(result)]
    assert any("Ability unknown" in t for t in texts)
    assert any("Not assessed yet" in t for t in texts)


def test_inputs_come_from_performance_people_and_placement(world):
    from zhiren.people.models import AgentProfile

    kpi_day(world.agent)
    AgentProfile.objects.create(agent=world.agent, career_aspiration="qa")
    gathered = selectors.inputs.gather([world.agent], TODAY)[world.agent.pk]
    assert gathered.ability is not None and gathered.ability_source.startswith("kpi:")
    assert gathered.wishes == {"qa": fit.WANTS}
    assert gathered.traits is None
    # the agent's own statement here overrides the profile's aspiration for that role
    services.set_wish(world.user("agent"), world.agent, role("qa"), Stance.UNWILLING, "太枯燥")
    gathered = selectors.inputs.gather([world.agent], TODAY)[world.agent.pk]
    assert gathered.wishes == {"qa": fit.UNWILLING}
    wish = world.agent.role_wishes.get()
    assert wish.source == "self"


def test_a_registered_provider_is_used(world):
    from zhiren.core.registries import FitInputs, fit_inputs

    def skills(agents, today):
        return {world.agent.pk: {"skills": {"qa_scoring": 100}}}

    with fit_inputs.replaced([*((e.name, e.value) for e in fit_inputs.entries()), ("test", FitInputs(skills, "test"))]):
        result = selectors.fits_for_agents([world.agent], [role("qa")], TODAY)[world.agent.pk]["qa"]
    assert result.components[fit.KNOWLEDGE] == 1.0


def test_coaching_skill_assessments_feed_knowledge(world):
    from zhiren.coaching.models import SkillAssessment

    SkillAssessment.objects.create(agent=world.agent, skill="qa_scoring", score=5, assessed_on=TODAY)
    SkillAssessment.objects.create(agent=world.agent, skill="policy", score=1, assessed_on=TODAY)
    result = selectors.fits_for_agents([world.agent], [role("qa")], TODAY)[world.agent.pk]["qa"]
    assert result.components[fit.KNOWLEDGE] == 0.5


# --- the assignment -----------------------------------------------------------------------------------


def test_assignment_is_optimal_and_respects_capacities(world, site_a):
    qa = OpenPosition.objects.create(site=world.site_a, role=role("qa"), capacity=2)
    OpenPosition.objects.create(site=world.site_a, role=role("presales"), capacity=1)
    run = services.run_assignment(world.user("manager"), world.site_a, TODAY)
    assert run.proven_optimal
    moves = list(run.moves.all())
    assert sum(1 for m in moves if m.position_id == qa.pk) <= 2
    assert len(moves) == 3 and len({m.agent_id for m in moves}) == 3
    # the same total as trying every assignment
    problem = services.build_problem(world.site_a, TODAY)
    capacity = [p.capacity for p in problem.positions]
    best = 0.0
    for choice in itertools.product(range(-1, len(capacity)), repeat=len(problem.agents)):
        if all(j < 0 or problem.matrix[i][j] is not None for i, j in enumerate(choice)) and all(
            sum(1 for j in choice if j == k) <= c for k, c in enumerate(capacity)
        ):
            best = max(best, sum(round(problem.matrix[i][j] * 100) / 100 for i, j in enumerate(choice) if j >= 0))
    assert run.total_fit == pytest.approx(best)
    assert run.total_fit >= run.greedy_total


def test_nobody_is_placed_in_the_role_they_hold(world, site_a):
    world.a2_agent.position = Position.QA
    world.a2_agent.save()
    OpenPosition.objects.create(site=world.site_a, role=role("qa"), capacity=10)
    run = services.run_assignment(world.user("manager"), world.site_a, TODAY)
    assert not run.moves.filter(agent=world.a2_agent).exists()


def test_unwillingness_is_honoured_and_overridable_only_with_a_reason(world, site_a):
    OpenPosition.objects.create(site=world.site_a, role=role("qa"), capacity=len(site_a))
    for agent in site_a:
        services.set_wish(world.user("lead"), agent, role("qa"), Stance.UNWILLING)
    run = services.run_assignment(world.user("manager"), world.site_a, TODAY)
    assert run.moves.count() == 0 and run.blocked_by_wish == len(site_a)
    # a blank reason is no override
    run = services.run_assignment(world.user("manager"), world.site_a, TODAY, {(world.peer.pk, role("qa").pk): "  "})
    assert run.moves.count() == 0
    reason = "质检组缺人，试岗一个月后再谈"
    run = services.run_assignment(world.user("manager"), world.site_a, TODAY, {(world.peer.pk, role("qa").pk): reason})
    move = run.moves.get()
    assert move.agent == world.peer and move.override_reason == reason
    recorded = Pick.objects.get(kind=PickKind.OVERRIDE)
    assert recorded.against_wish and recorded.justification == reason and recorded.agent == world.peer
    assert recorded.picked_by == world.user("manager")


def test_apply_moves_people_and_fills_positions(world, site_a):
    position = OpenPosition.objects.create(site=world.site_a, role=role("qa"), capacity=1, team=world.team_a1)
    run = services.run_assignment(world.user("manager"), world.site_a, TODAY)
    moved = run.moves.get().agent
    assert services.apply_run(world.user("manager"), run) == 1
    moved.refresh_from_db()
    position.refresh_from_db()
    assert moved.position == Position.QA and moved.team == world.team_a1
    assert position.status == PositionStatus.FILLED
    with pytest.raises(ValidationError):
        services.apply_run(world.user("manager"), run)


def test_planner_pages(world, site_a, client_for):
    OpenPosition.objects.create(site=world.site_a, role=role("qa"), capacity=1)
    services.set_wish(world.user("lead"), world.peer, role("qa"), Stance.UNWILLING, "不想做质检")
    client = client_for(world.user("manager"))
    page = client.get(reverse("placement:positions"))
    assert page.status_code == 200 and "不想做质检" in page.content.decode()
    response = client.post(
        reverse("placement:run_create"),
        {"site": world.site_a.pk, f"override_{world.peer.pk}_{role('qa').pk}": ""},
    )
    run = AssignmentRun.objects.get()
    assert response.url == reverse("placement:run_detail", kwargs={"pk": run.pk})
    detail = client.get(response.url).content.decode()
    assert "proven" in detail
    # the manager of site A cannot run site B
    assert client.post(reverse("placement:run_create"), {"site": world.site_b.pk}).status_code == 404


def test_position_form_keeps_the_team_on_the_site(world, client_for):
    client = client_for(world.user("manager"))
    response = client.post(reverse("placement:positions"),
                           {"site": world.site_a.pk, "role": role("qa").pk, "capacity": 2, "team": world.team_b1.pk})
    assert response.status_code == 200 and not OpenPosition.objects.exists()
    response = client.post(reverse("placement:positions"),
                           {"site": world.site_a.pk, "role": role("qa").pk, "capacity": 2, "team": world.team_a2.pk})
    assert response.status_code == 302 and OpenPosition.objects.get().capacity == 2


# --- picks and the favoritism report --------------------------------------------------------------------


@pytest.fixture
def a1_team(world):
    """Six agents on A1 with clear ability differences for presales."""
    agents = [world.agent, world.peer] + [AgentFactory(team=world.team_a1, name=f"组员{i}") for i in range(4)]
    for index, agent in enumerate(agents):
        kpi_day(agent, csat=(95 - 10 * index, 100), resolved=(95 - 10 * index, 100))
    return agents


def test_a_top_pick_needs_no_reason(world, a1_team):
    lead = world.user("lead")
    result = services.pick(lead, a1_team[0], role("presales"), a1_team, TODAY)
    assert result.rank == 1 and not result.flagged and result.candidates == 6


def test_a_low_ranked_pick_needs_a_justification(world, a1_team):
    lead = world.user("lead")
    with pytest.raises(services.JustificationRequired) as raised:
        services.pick(lead, a1_team[-1], role("presales"), a1_team, TODAY)
    check = raised.value.check
    assert check.ranking.rank == 6 and check.below_top and not check.against_wish
    assert [a.pk for a, _f in check.top] == [a.pk for a in a1_team[:3]]
    assert not Pick.objects.exists()
    result = services.pick(lead, a1_team[-1], role("presales"), a1_team, TODAY, justification="她主动申请，想试试")
    assert result.below_top and result.justification == "她主动申请，想试试"
    assert [t["id"] for t in result.top_candidates] == [a.pk for a in a1_team[:3]]


def test_a_pick_against_the_wish_is_flagged_even_at_the_top(world, a1_team):
    services.set_wish(world.user("lead"), a1_team[0], role("presales"), Stance.UNWILLING)
    with pytest.raises(services.JustificationRequired) as raised:
        services.pick(world.user("lead"), a1_team[0], role("presales"), a1_team, TODAY)
    assert raised.value.check.against_wish


def test_pick_page_shows_the_rank_and_asks_why(world, a1_team, client_for):
    client = client_for(world.user("lead"))
    data = {"role": role("presales").pk, "agent": a1_team[-1].pk, "kind": "role"}
    page = client.post(reverse("placement:pick"), data)
    assert page.status_code == 200 and 'data-testid="pick-warning"' in page.content.decode()
    assert not Pick.objects.exists()
    response = client.post(reverse("placement:pick"), {**data, "justification": "客户熟悉度高"})
    assert response.status_code == 302 and Pick.objects.get().justification == "客户熟悉度高"
    # a lead cannot pick someone outside their teams
    page = client.post(reverse("placement:pick"), {**data, "agent": world.far.pk, "justification": "x"})
    assert page.status_code == 200 and Pick.objects.count() == 1


def test_the_report_lists_overrides_per_lead_within_scope(world, a1_team, client_for):
    lead = world.user("lead")
    lead.last_name, lead.first_name = "陈", "丽华"
    lead.save()
    services.pick(lead, a1_team[0], role("presales"), a1_team, TODAY)
    services.pick(lead, a1_team[-1], role("presales"), a1_team, TODAY, justification="熟悉大促活动")
    report = selectors.favoritism_report(world.user("hr"))
    row = report["leads"][0]
    assert row["name"] == "陈丽华" and row["total"] == 2 and row["below_top"] == 1
    assert [p.justification for p in row["flagged"]] == ["熟悉大促活动"]
    page = client_for(world.user("manager")).get(reverse("placement:report")).content.decode()
    assert "熟悉大促活动" in page and "陈丽华" in page
    # a manager of another site does not see site A's picks
    other = UserFactory(username="manager_b")
    grant(other, "site_manager", site=world.site_b)
    assert selectors.favoritism_report(other)["total"] == 0


# --- wishes, traits, know-how ---------------------------------------------------------------------------


def test_agent_states_own_wishes(world, client_for):
    client = client_for(world.user("agent"))
    qa, presales = role("qa"), role("presales")
    client.post(reverse("placement:my_wishes"), {f"stance_{qa.pk}": "wants", f"stance_{presales.pk}": "unwilling",
                                                  f"note_{presales.pk}": "不擅长推销"})
    wishes = {w.role.code: (w.stance, w.note, w.source) for w in world.agent.role_wishes.all()}
    assert wishes == {"qa": ("wants", "", "self"), "presales": ("unwilling", "不擅长推销", "self")}
    client.post(reverse("placement:my_wishes"), {f"stance_{qa.pk}": "wants"})
    assert list(world.agent.role_wishes.values_list("role__code", flat=True)) == ["qa"]


def test_lead_records_traits_and_sees_reasons(world, client_for):
    client = client_for(world.user("lead"))
    client.post(reverse("placement:agent_traits", kwargs={"pk": world.agent.pk}), {"traits": ["rigorous", "calm"]})
    assert world.agent.placement_traits.traits == ["calm", "rigorous"]
    client.cookies["django_language"] = "en"
    page = client.get(reverse("placement:agent_fit", kwargs={"pk": world.agent.pk})).content.decode()
    assert "Has the traits the role wants" in page


def test_fit_matrix_page(world, site_a, client_for):
    page = client_for(world.user("manager")).get(reverse("placement:fit_matrix") + "?sort=qa")
    assert page.status_code == 200
    assert len(page.context["rows"]) == len(site_a)  # site A only


def test_know_how_for_role(world, client_for):
    client = client_for(world.user("lead"))
    response = client.post(reverse("placement:know_how_create"), {
        "role": role("presales").pk, "kind": "script", "title": "犹豫型顾客", "author": world.agent.pk,
        "situation": "顾客说再看看", "body": "先肯定，再追问顾虑，再给对比。",
    })
    item = KnowHow.objects.get()
    assert response.url == reverse("placement:know_how_detail", kwargs={"pk": item.pk})
    assert list(selectors.know_how_for_role("presales")) == [item]
    assert client_for(world.user("agent")).get(response.url).status_code == 200
    # a lead cannot credit an agent of another team
    client = client_for(world.user("lead"))
    response = client.post(reverse("placement:know_how_create"), {
        "role": role("presales").pk, "kind": "tip", "title": "x", "author": world.far.pk, "body": "y",
    })
    assert response.status_code == 200 and KnowHow.objects.count() == 1


def test_demo_loader_is_deterministic_and_idempotent(db, settings):
    from zhiren.demo.services import load_demo_centre

    settings.DEBUG = True
    load_demo_centre()
    snapshot = (
        sorted(OpenPosition.objects.values_list("title", "capacity")),
        KnowHow.objects.count(),
        sorted(services.AgentTraits.objects.values_list("agent__employee_no", "traits")),
        sorted(services.RoleWish.objects.values_list("agent__employee_no", "role__code", "stance")),
    )
    load_demo_centre()
    again = (
        sorted(OpenPosition.objects.values_list("title", "capacity")),
        KnowHow.objects.count(),
        sorted(services.AgentTraits.objects.values_list("agent__employee_no", "traits")),
        sorted(services.RoleWish.objects.values_list("agent__employee_no", "role__code", "stance")),
    )
    assert again == snapshot
    assert len(snapshot[0]) == 3 and snapshot[1] == 5 and snapshot[3]
    assert Move.objects.count() == 0 and solver.SCALE == 100
