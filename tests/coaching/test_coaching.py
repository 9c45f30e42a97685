"""Coaching with the database: states from real inputs, private corrective feedback, the
emotional bank account, GROW follow-ups, improvement plans and delegation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.coaching import selectors, services
from zhiren.coaching.forms import FeedbackForm
from zhiren.coaching.models import (
    Commitment,
    Feedback,
    FeedbackKind,
    GrowSession,
    ImprovementPlan,
    Interference,
    PlanStatus,
    StateSnapshot,
)
from zhiren.coaching.situational import AbilityInput, State
from zhiren.core.registries import ability_inputs
from zhiren.people.models import BankEntry

from ..world import ROLES
from .conftest import add_stats

pytestmark = pytest.mark.django_db

BID_TEXT = "两次没有核实订单号就承诺退款"
BID_DESIRED = "先核实订单号再承诺时间"


def _bid(world, agent=None):
    return services.record_feedback(
        world.user("lead"), agent or world.agent, FeedbackKind.CORRECTIVE, behavior=BID_TEXT,
        impact="客户再次来电投诉", desired=BID_DESIRED,
    )


def _bia(world, agent=None, share=False):
    return services.record_feedback(
        world.user("lead"), agent or world.agent, FeedbackKind.PRAISE, behavior="主动回访客户",
        impact="客户撤回投诉", appreciation="谢谢你的用心", share=share,
    )


def _rate(world, agent, m, c, k, ability=None):
    return services.rate_state(world.user("lead"), agent, motivation=m, confidence=c, commitment=k,
                               ability=ability, evidence="晨会观察")


# --- situational state ----------------------------------------------------------------------


def test_no_data_is_unknown_on_the_page_and_the_map(world, client_for, today):
    state = selectors.agent_states([world.agent], today)[world.agent.pk]
    assert state.state is State.UNKNOWN and state.ability.score is None and state.willingness is None
    client = client_for(world.user("lead"))
    page = client.get(reverse("coaching:agent", kwargs={"pk": world.agent.pk})).content.decode()
    assert 'data-testid="ability-unknown"' in page
    team_map = client.get(reverse("coaching:team_map", kwargs={"pk": world.team_a1.pk})).content.decode()
    assert 'data-testid="unknown-list"' in team_map and "张三" in team_map


def test_willingness_without_ability_data_stays_unknown(world, today):
    _rate(world, world.agent, 5, 5, 5)  # willingness known, no KPI, no skills, no lead ability
    state = selectors.agent_states([world.agent], today)[world.agent.pk]
    assert state.willingness == 5 and state.ability.score is None
    assert state.state is State.UNKNOWN


def test_kpis_from_performance_and_ratings_place_the_agent(world, today):
    add_stats(world.agent, csat=(90, 100), fcr=(80, 100))  # at or above target
    add_stats(world.peer, csat=(50, 100), fcr=(40, 100), aht=600)  # far below
    _rate(world, world.agent, 4, 4, 4)
    _rate(world, world.peer, 4, 4, 4)
    states = selectors.agent_states([world.agent, world.peer], today)
    assert states[world.agent.pk].state is State.DELEGATING
    assert states[world.peer.pk].state is State.COACHING
    kpi_inputs = [i for i in states[world.agent.pk].inputs if i.source == "kpi"]
    assert {i.score for i in kpi_inputs} == {100.0} and len(kpi_inputs) >= 3  # every input is shown
    _rate(world, world.peer, 2, 2, 3)
    assert selectors.agent_states([world.peer], today)[world.peer.pk].state is State.DIRECTING


def test_the_ability_provider_is_pluggable(fixed_ability, world, settings, today):
    _rate(world, world.agent, 2, 2, 2)
    state = selectors.agent_states([world.agent], today)[world.agent.pk]
    assert state.ability.score == 75 and state.state is State.MOTIVATING
    with ability_inputs.replaced([]):
        assert selectors.agent_states([world.agent], today)[world.agent.pk].state is State.UNKNOWN


def fixed_provider(agents, today):
    """Three KPIs on target and one at 90 %: ability 75 (the share on target)."""
    scores = (100, 100, 100, 90)
    return {a.pk: [AbilityInput("kpi", f"kpi{i}", s, f"{s}") for i, s in enumerate(scores)] for a in agents}


@pytest.fixture
def fixed_ability():
    """Every agent's ability is 75 (three of four KPIs on target), instead of the registered providers'."""
    with ability_inputs.replaced([("test", fixed_provider)]):
        yield


def test_thresholds_are_settings(fixed_ability, world, settings, today):
    _rate(world, world.agent, 4, 4, 4)
    assert selectors.agent_states([world.agent], today)[world.agent.pk].state is State.DELEGATING
    settings.COACHING_THRESHOLDS = {"ability_high": 80}
    assert selectors.agent_states([world.agent], today)[world.agent.pk].state is State.COACHING


def test_the_leads_ability_rating_decides_and_disagreeing_evidence_is_flagged(fixed_ability, world, today):
    """A lead who rates a new hire 2/5 is not overruled by KPIs (75 here): the map follows the lead."""
    _rate(world, world.agent, 2, 2, 2, ability=2)
    state = selectors.agent_states([world.agent], today)[world.agent.pk]
    assert state.ability.score == 25 and state.ability.set_by_lead
    assert state.ability.evidence == 75 and state.ability.evidence_disagrees
    assert state.state is State.DIRECTING
    _rate(world, world.agent, 2, 2, 2, ability=4)
    again = selectors.agent_states([world.agent], today)[world.agent.pk].ability
    assert again.score == 75 and not again.evidence_disagrees


def test_skill_assessments_and_the_lead_rating_count_on_their_own(world, today):
    services.assess_skill(world.user("lead"), world.agent, "产品知识", 5)
    _rate(world, world.agent, 4, 4, 4, ability=5)
    state = selectors.agent_states([world.agent], today)[world.agent.pk]
    assert state.ability.score == 100 and state.state is State.DELEGATING


def test_lead_rating_needs_evidence_and_the_agent_gives_their_own_view(world, today):
    with pytest.raises(ValidationError):
        services.rate_state(world.user("lead"), world.agent, motivation=3, confidence=3, commitment=3, evidence=" ")
    own = services.rate_state(world.user("agent"), world.agent, motivation=2, confidence=2, commitment=2)
    assert own.is_self
    _rate(world, world.agent, 5, 5, 4)
    state = selectors.agent_states([world.agent], today)[world.agent.pk]
    assert state.willingness == pytest.approx(4.67, abs=0.01) and state.self_willingness == 2
    assert state.views_differ
    with pytest.raises(PermissionError):
        services.rate_state(world.user("hr"), world.agent, motivation=3, confidence=3, commitment=3, evidence="x")


def test_map_shows_movement_over_time(fixed_ability, world, client_for, settings, today):
    StateSnapshot.objects.create(agent=world.agent, on=today - dt.timedelta(days=40), ability=50, willingness=4,
                                 state=State.COACHING)
    _rate(world, world.agent, 4, 4, 4)
    data = selectors.team_map(world.team_a1, today)
    delegating = next(q for q in data["quadrants"] if q["state"] is State.DELEGATING)
    assert [m["state"].agent for m in delegating["members"]] == [world.agent]
    assert delegating["members"][0]["moved_from"] == State.COACHING
    assert data["chart"]["trails"] == [{"name": "张三", "from": [4.0, 50.0], "to": [4.0, 75.0]}]
    page = client_for(world.user("lead")).get(reverse("coaching:team_map", kwargs={"pk": world.team_a1.pk}))
    assert 'data-testid="moved"' in page.content.decode()


# --- corrective feedback is private ---------------------------------------------------------------


def test_bid_can_never_be_shared_model_form_service_view(world, client_for):
    bid = _bid(world)
    # model constraint
    bid.shared_on_wall = True
    with pytest.raises(IntegrityError), transaction.atomic():
        bid.save()
    bid.refresh_from_db()
    assert not bid.shared_on_wall
    # service
    with pytest.raises(ValidationError):
        services.share_praise(world.user("lead"), bid)
    with pytest.raises(ValidationError):
        services.record_feedback(world.user("lead"), world.agent, FeedbackKind.CORRECTIVE, behavior="b",
                                 impact="i", desired="d", share=True)
    # form
    form = FeedbackForm({"kind": "bid", "given_on": "2024-05-01", "behavior": "b", "impact": "i", "desired": "d",
                         "share": "on"})
    assert not form.is_valid() and "share" in form.errors
    # view: there is no way to share it, even for its own lead
    response = client_for(world.user("lead")).post(reverse("coaching:feedback_share", kwargs={"pk": bid.pk}))
    assert response.status_code == 404
    assert not Feedback.objects.filter(shared_on_wall=True).exists()


def test_praise_may_be_shared_to_the_team_wall(world, client_for):
    bia = _bia(world)
    client = client_for(world.user("lead"))
    response = client.post(reverse("coaching:feedback_share", kwargs={"pk": bia.pk}))
    assert response.status_code == 302
    bia.refresh_from_db()
    assert bia.shared_on_wall and bia.shared_at
    wall = client_for(world.user("agent")).get(reverse("coaching:team_wall", kwargs={"pk": world.team_a1.pk}))
    assert "谢谢你的用心" in wall.content.decode()


ALLOWED = {"agent", "lead", "hr"}


@pytest.mark.parametrize("role", ROLES)
def test_corrective_feedback_is_seen_by_agent_own_lead_and_hr_only(world, client_for, role):
    from ..factories import UserFactory, grant

    bid = _bid(world)
    _bia(world, share=True)
    user = world.user(role)
    client = client_for(user)
    urls = [
        reverse("coaching:agent", kwargs={"pk": world.agent.pk}),
        reverse("coaching:feedback_detail", kwargs={"pk": bid.pk}),
        reverse("coaching:export", kwargs={"pk": world.agent.pk}),
    ]
    for url in urls:
        response = client.get(url)
        body = response.content.decode("utf-8-sig", "replace")
        if role in ALLOWED:
            assert response.status_code == 200, url
            assert BID_TEXT in body or BID_TEXT[:6] in body, url
        else:
            assert response.status_code in (302, 404), url
            assert BID_TEXT not in body
    # Pages everybody with access to the team sees never carry it.
    for url in (reverse("coaching:team_wall", kwargs={"pk": world.team_a1.pk}),
                reverse("coaching:team_map", kwargs={"pk": world.team_a1.pk}),
                reverse("coaching:plan_list")):
        body = client.get(url).content.decode()
        assert BID_TEXT not in body and BID_DESIRED not in body
    # Another lead (of team A2) sees nothing of it either.
    if role == "lead":
        other = UserFactory(username="other-lead")
        grant(other, "team_lead", teams=[world.team_a2])
        client = client_for(other)
        for url in urls:
            assert client.get(url).status_code == 404


def test_reading_corrective_feedback_is_audited(world, client_for):
    bid = _bid(world)
    AuditEvent.objects.all().delete()
    client_for(world.user("hr")).get(reverse("coaching:feedback_detail", kwargs={"pk": bid.pk}))
    event = AuditEvent.objects.get(object_type="coaching.feedback")
    assert event.actor == world.user("hr") and event.action == "read"
    assert event.subject_agent_id == world.agent.pk and "desired" in event.fields
    assert BID_TEXT not in str(event.fields) + event.purpose  # names only, never values
    client_for(world.user("lead")).get(reverse("coaching:agent", kwargs={"pk": world.agent.pk}))
    page_event = AuditEvent.objects.filter(object_type="org.agent", action="read").get()
    assert "feedback.desired" in page_event.fields
    client_for(world.user("agent")).get(reverse("coaching:export", kwargs={"pk": world.agent.pk}))
    assert AuditEvent.objects.filter(action="export", subject_agent_id=world.agent.pk).exists()


def test_export_is_formula_safe_and_holds_only_this_agent(world, client_for):
    services.record_feedback(world.user("lead"), world.agent, FeedbackKind.PRAISE, behavior="=HYPERLINK(1)",
                             impact="i", appreciation="a")
    _bid(world, agent=world.peer)
    body = client_for(world.user("agent")).get(
        reverse("coaching:export", kwargs={"pk": world.agent.pk})).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body and BID_TEXT not in body


# --- the emotional bank account --------------------------------------------------------------------


def test_feedback_writes_the_ledger_through_the_people_service(world, monkeypatch):
    import zhiren.people.services as people

    calls = []
    original = people.record_entry

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(people, "record_entry", spy)
    bia = _bia(world)
    bid = _bid(world)
    assert [c[1]["source_ref"] for c in calls] == [f"feedback:{bia.pk}", f"feedback:{bid.pk}"]
    deposit = BankEntry.objects.get(source="coaching", source_ref=f"feedback:{bia.pk}")
    withdrawal = BankEntry.objects.get(source="coaching", source_ref=f"feedback:{bid.pk}")
    assert deposit.amount > 0 and deposit.kind == "praise" and deposit.lead == world.user("lead")
    assert withdrawal.amount < 0 and withdrawal.kind == "criticism"
    assert BID_TEXT not in withdrawal.note  # the ledger never repeats what was said
    # Idempotent by source and reference: sending again adds nothing.
    services._ledger_entry(world.user("lead"), bid)
    assert BankEntry.objects.filter(source="coaching").count() == 2


# --- GROW ---------------------------------------------------------------------------------------------


def test_grow_session_with_commitment_interference_and_follow_up(world, client_for, today):
    from zhiren.coaching.models import GrowQuestion

    lead = client_for(world.user("lead"))
    questions = list(GrowQuestion.objects.filter(stage="goal").values_list("pk", flat=True)[:2])
    response = lead.post(reverse("coaching:grow_create", kwargs={"pk": world.agent.pk}), {
        "held_on": today.isoformat(), "topic": "一次解决率", "goal": "75%", "reality": "68%",
        "options": "清单", "will": "周一前完成清单", "questions": questions,
        "commitment": "整理常见问题清单", "commitment_due": (today + dt.timedelta(days=3)).isoformat(),
        "interference_kind": "tools", "interference": "知识库太慢",
    })
    session = GrowSession.objects.get()
    assert response.status_code == 302 and response.url == reverse("coaching:grow_detail", kwargs={"pk": session.pk})
    assert session.questions_used == sorted(questions)
    commitment = Commitment.objects.get()
    assert commitment.session == session and commitment.done_at is None
    interference = Interference.objects.get()
    assert interference.session == session and interference.kind == "tools"
    # The agent follows up on their own commitment; HR (read-only) cannot.
    agent = client_for(world.user("agent"))
    assert agent.get(reverse("coaching:grow_detail", kwargs={"pk": session.pk})).status_code == 200
    agent.post(reverse("coaching:commitment_follow_up", kwargs={"pk": commitment.pk}), {"note": "做完了", "done": "on"})
    commitment.refresh_from_db()
    assert commitment.done_at and commitment.follow_up_note == "做完了" and commitment.followed_up_on == today
    with pytest.raises(PermissionError):
        services.follow_up_commitment(world.user("hr"), commitment, note="x")
    # The lead removes the interference.
    client_for(world.user("lead")).post(reverse("coaching:interference_remove", kwargs={"pk": interference.pk}), {"note": "换了新的搜索"})
    interference.refresh_from_db()
    assert interference.removed_on == today and interference.removal_note == "换了新的搜索"


def test_grow_form_needs_a_due_date_for_a_commitment(world, client_for, today):
    response = client_for(world.user("lead")).post(
        reverse("coaching:grow_create", kwargs={"pk": world.agent.pk}),
        {"held_on": today.isoformat(), "topic": "t", "commitment": "x"},
    )
    assert response.status_code == 200 and not GrowSession.objects.exists()
    with pytest.raises(ValidationError):
        session = services.record_grow_session(world.user("lead"), world.agent, topic="t")
        services.add_commitment(world.user("lead"), session, "x", session.held_on - dt.timedelta(days=1))


def test_question_bank_is_bilingual_and_editable(world, client_for):
    bank = selectors.question_bank()
    assert all(bank[stage] for stage in ("goal", "reality", "options", "will"))
    q = bank["goal"][0]
    assert q.text_for("zh-hans") != q.text_for("en")
    client = client_for(world.user("trainer"))
    client.post(reverse("coaching:question_edit", kwargs={"pk": q.pk}),
                {"stage": "goal", "text_zh": "新的问题？", "text_en": "A new question?", "order": 0})
    q.refresh_from_db()
    assert q.text_zh == "新的问题？" and not q.active
    assert q not in selectors.question_bank()["goal"]


# --- improvement plans -----------------------------------------------------------------------------------


def test_kpi_histories_match_each_kpi_history_in_two_queries(world, today, django_assert_num_queries):
    from zhiren.coaching import providers

    add_stats(world.agent, csat=(60, 100), fcr=(70, 100), days=30, aht=420)
    codes = ["csat", "fcr", "aht", "no_such_kpi"]
    with django_assert_num_queries(2):
        histories = providers.kpi_histories(world.agent, codes, 6, today)
    assert histories == {code: providers.kpi_history(world.agent, code, 6, today) for code in codes}
    assert histories["csat"]["known"] >= 3 and histories["csat"]["below"] == histories["csat"]["known"]
    assert histories["no_such_kpi"]["weeks"] == []


def test_improvement_plan_lifecycle(world, client_for, today):
    add_stats(world.agent, csat=(60, 100), days=21)
    lead = client_for(world.user("lead"))
    url = reverse("coaching:plan_create", kwargs={"pk": world.agent.pk})
    page = lead.get(url + "?kpi=csat").content.decode()
    assert 'data-testid="kpi-history"' in page and 'value="85' in page  # the team's target is proposed
    response = lead.post(url, {
        "kpi": "csat", "baseline": "60", "target": "85", "started_on": today.isoformat(),
        "review_on": (today + dt.timedelta(days=42)).isoformat(), "training": "投诉处理技巧",
        "buddy": world.peer.pk, "coaching_every_days": 7, "reason": "连续三周低于目标",
    })
    plan = ImprovementPlan.objects.get()
    assert response.status_code == 302 and plan.status == PlanStatus.ACTIVE and plan.buddy == world.peer
    assert [(g.kpi, g.baseline, g.target) for g in plan.goals.all()] == [("csat", 60, 85)]
    with pytest.raises(ValidationError):  # one active plan at a time
        services.start_plan(world.user("lead"), world.agent, goals=[("csat", 60, 85)], review_on=today)
    lead.post(reverse("coaching:plan_check_in", kwargs={"pk": plan.pk}), {"progress": "at_risk", "note": "进步慢"})
    assert plan.check_ins.get().progress == "at_risk"
    lead.post(reverse("coaching:plan_close", kwargs={"pk": plan.pk}), {"status": "succeeded", "outcome": "达标"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUCCEEDED and plan.closed_on == today and plan.outcome == "达标"
    with pytest.raises(ValidationError):
        services.check_in_plan(world.user("lead"), plan, progress="on_track", note="x")
    with pytest.raises(ValidationError):
        services.close_plan(world.user("lead"), plan, status="not_met", outcome="x")
    # Now a new plan may start.
    services.start_plan(world.user("lead"), world.agent, goals=[("fcr", None, 75)], review_on=today)


def test_plan_rules(world, today):
    lead = world.user("lead")
    with pytest.raises(ValidationError):
        services.start_plan(lead, world.agent, goals=[], review_on=today)
    with pytest.raises(ValidationError):
        services.start_plan(lead, world.agent, goals=[("nope", 1, 2)], review_on=today)
    with pytest.raises(ValidationError):
        services.start_plan(lead, world.agent, goals=[("csat", 1, 2)], review_on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError):  # the buddy is on the same team
        services.start_plan(lead, world.agent, goals=[("csat", 1, 2)], review_on=today, buddy=world.far)
    with pytest.raises(PermissionError):
        services.start_plan(world.user("hr"), world.agent, goals=[("csat", 1, 2)], review_on=today)


def test_plan_candidates_come_from_the_performance_dashboard(world, client_for):
    add_stats(world.peer, csat=(50, 100), fcr=(40, 100))
    add_stats(world.agent, csat=(95, 100), fcr=(90, 100))
    candidates = selectors.plan_candidates(world.user("lead"), dt.date.today())
    assert [c["agent"] for c in candidates] == [world.peer]
    page = client_for(world.user("lead")).get(reverse("coaching:plan_list")).content.decode()
    assert reverse("coaching:plan_create", kwargs={"pk": world.peer.pk}) + "?kpi=" in page


# --- delegation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "state", "mode", "days"),
    [((2, 2, 2), State.DIRECTING, "tell", 1), ((5, 5, 5), State.DELEGATING, "ask", 14)],
)
def test_delegation_questions_adapt_to_the_state(fixed_ability, world, client_for, settings, today, ratings, state, mode, days):
    if state is State.DIRECTING:
        settings.COACHING_THRESHOLDS = {"ability_high": 95}
    _rate(world, world.agent, *ratings)
    client = client_for(world.user("lead"))
    url = reverse("coaching:delegation_create", kwargs={"pk": world.agent.pk})
    response = client.get(url)
    assert [q["mode"] for q in response.context["questions"]] == [mode] * 6
    assert response.context["state"].state is state
    assert f'value="{(today + dt.timedelta(days=days)).isoformat()}"' in response.content.decode()
    client.post(url, {"title": "带新人", "what": "w", "why": "y", "good": "g",
                      "check_on": (today + dt.timedelta(days=days)).isoformat()})
    item = world.agent.delegations.get()
    assert item.state == state and item.check_on == today + dt.timedelta(days=days)
    with pytest.raises(ValidationError):
        services.delegate_task(world.user("lead"), world.agent, "x", {"what": "w"})
    services.complete_delegation(world.user("agent"), item)
    assert item.done_at is not None


def test_the_agent_sees_their_own_inputs_but_not_the_leads_ratings_or_advice(fixed_ability, world, client_for, today):
    _rate(world, world.agent, 2, 2, 2, ability=2)
    url = reverse("coaching:agent", kwargs={"pk": world.agent.pk})
    lead_page = client_for(world.user("lead")).get(url).content.decode()
    assert 'data-testid="state-card"' in lead_page and 'data-testid="evidence-disagrees"' in lead_page
    assert "How to lead" in lead_page
    own = client_for(world.user("agent")).get(url).content.decode()
    assert 'data-testid="own-card"' in own
    for hidden in ('data-testid="state-card"', "How to lead", "How to talk", 'data-testid="set-by-lead"',
                   "Evidence</strong>", ">Lead<"):
        assert hidden not in own, hidden
    assert ">75<" in own  # the evidence (three of four KPIs on target), not the lead's 25


def test_the_leads_row_says_it_decides_instead_of_a_weight(fixed_ability, world, client_for, today):
    url = reverse("coaching:agent", kwargs={"pk": world.agent.pk})
    _rate(world, world.agent, 3, 3, 3)
    assert 'data-testid="lead-decides"' not in client_for(world.user("lead")).get(url).content.decode()
    _rate(world, world.agent, 3, 3, 3, ability=2)
    page = client_for(world.user("lead")).get(url).content.decode()
    assert '<span data-testid="lead-decides">decides</span>' in page
