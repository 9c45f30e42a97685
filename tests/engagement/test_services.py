"""Surveys: launching with locked minimums, one answer per token, storage that keeps no link
to the person; action plans; suggestions through their states, rewards and the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.utils import timezone

from zhiren.engagement import selectors, services
from zhiren.engagement.models import Comment, Invitation, Response, Suggestion

from .helpers import answer, crowd, launch, survey, wave_with_answers


def test_a_survey_with_a_minimum_below_three_is_refused(world):
    with pytest.raises(services.EngagementError):
        survey(world.site_a, min_scores=2)
    with pytest.raises(services.EngagementError):
        survey(world.site_a, min_comments=1)
    item = survey(world.site_a, min_scores=3, min_comments=3)
    item.min_scores = 2  # edited behind the form's back: launch refuses too
    item.save()
    with pytest.raises(services.EngagementError):
        launch(item)


def test_launch_locks_items_and_minimums_and_invites_the_site(world):
    users = crowd(world.team_a1, 3) + crowd(world.team_b1, 2)
    item = survey(world.site_a, min_scores=6)
    wave = launch(item)
    item.min_scores = 9
    item.items = ["stay_1"]
    item.save()
    wave.refresh_from_db()
    assert (wave.min_scores, wave.min_comments, len(wave.items)) == (6, 10, 4)
    invited = set(Invitation.objects.filter(wave=wave).values_list("user_id", flat=True))
    assert invited == {u.pk for u in users[:3]} | {world.user("agent").pk}


def test_the_same_token_cannot_answer_twice(world):
    user = crowd(world.team_a1, 1)[0]
    wave = launch(survey(world.site_a))
    answer(wave, user)
    with pytest.raises(services.EngagementError, match="already answered"):
        answer(wave, user)
    assert Response.objects.filter(wave=wave).count() == 1
    other = crowd(world.team_a1, 1)[0]
    token = Invitation.objects.get(wave=wave, user=user).token
    with pytest.raises(services.EngagementError):
        services.submit_answer(
            wave, token, user=other, answers={"care_1": 3}
        )  # someone else's token


def test_answers_are_checked(world):
    user = crowd(world.team_a1, 1)[0]
    wave = launch(survey(world.site_a))
    token = Invitation.objects.get(wave=wave, user=user).token
    for bad in ({"care_1": 6}, {"care_1": "x"}, {}):
        with pytest.raises(services.EngagementError):
            services.submit_answer(wave, token, user=user, answers=bad)
    with pytest.raises(services.EngagementError):
        services.submit_answer(wave, token, user=user, answers={"care_1": 3}, enps=11)


def test_a_closed_wave_takes_no_answers(world, _clock):
    user = crowd(world.team_a1, 1)[0]
    wave = launch(survey(world.site_a), days=1)
    _clock.move_to(timezone.now() + dt.timedelta(days=3))
    with pytest.raises(services.EngagementError, match="closed"):
        answer(wave, user)


def test_an_anonymous_answer_keeps_no_link_to_its_author(world):
    """No field of an answer or comment points at a user, an invitation or a moment; the key is random."""
    for model in (Response, Comment):
        fields = {f.name: f for f in model._meta.get_fields() if f.concrete}
        assert fields["id"].get_internal_type() == "UUIDField"
        assert not any(
            f.get_internal_type() in ("DateTimeField", "DateField") for f in fields.values()
        )
        assert {f.related_model.__name__ for f in fields.values() if f.is_relation} <= {
            "Wave",
            "Team",
            "Agent",
        }
    assert not any(
        f.get_internal_type() == "DateTimeField" and f.name != "reminded_at"
        for f in Invitation._meta.concrete_fields
    )
    users = crowd(world.team_a1, 2)
    wave = launch(survey(world.site_a))
    answer(wave, users[0], comment="排班还行")
    row = Response.objects.get(wave=wave)
    assert row.agent_id is None and Comment.objects.get(wave=wave).agent_id is None
    assert Invitation.objects.get(wave=wave, user=users[0]).responded
    assert not Invitation.objects.get(wave=wave, user=users[1]).responded
    # nor does the admin or the API offer single answers
    assert Response not in admin.site._registry and Comment not in admin.site._registry


def test_an_identified_exit_survey_keeps_the_agent(world):
    user = crowd(world.team_a1, 1)[0]
    wave = launch(survey(world.site_a, kind="exit"))
    answer(wave, user, comment="想回老家")
    assert Response.objects.get(wave=wave).agent.user_id == user.pk


def test_results_factor_scores_and_comparison_with_the_previous_wave(world):
    wave, people = wave_with_answers(world, {world.team_a1: 6, world.team_a2: 6}, score=3)
    data = selectors.results(wave, world.user("manager"))
    site = next(r for r in data.rows if r.kind == "site")
    assert site.shown and site.verdict.count == 12 and site.index == pytest.approx(3)
    team = next(r for r in data.rows if r.key == ("team", world.team_a1.pk))
    assert team.shown and team.scores["care"]["mean"] == 3
    nxt = launch(wave.survey)
    for users in people.values():
        for user in users:
            answer(nxt, user, 4)
    again = selectors.results(nxt, world.user("manager"))
    team = next(r for r in again.rows if r.key == ("team", world.team_a1.pk))
    assert (team.index, team.previous) == (4, 3)


def test_response_rate_per_team(world):
    wave, _people = wave_with_answers(world, {world.team_a1: 5})
    crowd(world.team_a1, 0)
    rates = {
        r["team_id"]: (r["answered"], r["invited"])
        for r in selectors.response_rates(wave, world.user("lead"))
    }
    assert rates == {world.team_a1.pk: (5, 6)}  # the world's agent was invited and has not answered


def test_action_plan_from_the_lowest_factors(world):
    wave, _ = wave_with_answers(world)
    item = services.add_action(
        wave,
        world.team_a1,
        "workload",
        "高峰期加一个弹性班",
        user=world.user("lead"),
        owner=None,
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )
    assert item.owner == world.user("lead") and item.status == "open"
    services.set_action_status(item, "done", user=world.user("lead"))
    assert list(selectors.team_actions(wave, world.user("agent"))) == [item]  # shared with the team
    with pytest.raises(services.EngagementError):
        services.add_action(
            wave,
            world.team_a1,
            "nope",
            "x",
            user=world.user("lead"),
            owner=None,
            due_on=timezone.localdate(),
        )


def test_suggestions_named_and_anonymous(world):
    agent = world.user("agent")
    named = services.submit_suggestion(
        user=agent, title="知识库加搜索", body="找政策太慢", anonymous=False
    )
    hidden = services.submit_suggestion(
        user=agent, title="夜班茶歇", body="凌晨精神差", anonymous=True
    )
    assert (named.author, named.team) == (agent, world.team_a1)
    assert (hidden.author_id, hidden.team_id, hidden.site) == (None, None, world.site_a)
    assert list(selectors.own_suggestions(agent)) == [named]
    with pytest.raises(services.EngagementError):
        services.submit_suggestion(user=world.user("manager"), title="x", body="y", anonymous=False)


def test_suggestion_moves_reward_and_the_dashboard(world, _clock):
    manager = world.user("manager")
    item = services.submit_suggestion(
        user=world.user("agent"), title="知识库加搜索", body="找政策太慢", anonymous=False
    )
    other = services.submit_suggestion(
        user=world.user("agent"), title="换椅子", body="腰疼", anonymous=True
    )
    assert selectors.dashboard(manager)["overall"]["adoption"] is None
    _clock.move_to(timezone.now() + dt.timedelta(days=2))
    with pytest.raises(services.EngagementError):
        services.move_suggestion(item, "adopted", user=manager)  # not reviewed yet
    services.move_suggestion(item, "reviewing", user=manager)
    services.move_suggestion(other, "reviewing", user=manager)
    with pytest.raises(services.EngagementError, match="why"):
        services.move_suggestion(other, "declined", user=manager, reason="")
    services.move_suggestion(item, "adopted", user=manager, reward=200)
    services.move_suggestion(other, "declined", user=manager, reason="预算已用完，下季度采购")
    services.move_suggestion(item, "implemented", user=manager)
    item.refresh_from_db()
    assert (item.status, item.reward_points, item.decided_by) == ("implemented", 200, manager)
    data = selectors.dashboard(world.user("agent"))  # public: the agent sees the clock too
    assert data["overall"]["adoption"] == pytest.approx(0.5)
    assert data["overall"]["median_days"] == pytest.approx(2, abs=0.01)
    assert data["sites"][0]["name"] == world.site_a.name
    assert len(data["deciders"]) == 1 and data["deciders"][0]["points"] == 200
    assert not selectors.may_decide(world.user("lead"), item) and selectors.may_decide(
        manager, item
    )
    assert Suggestion.objects.get(pk=other.pk).reason


def test_the_supervision_group_follows_items_and_escalates_overdue_ones(world, _clock):
    from zhiren.engagement.models import SupervisionItem

    manager, agent = world.user("manager"), world.user("agent")
    today = timezone.localdate()
    with pytest.raises(services.EngagementError):
        services.appoint_member(
            world.site_a,
            world.user("hr"),
            user=manager,
            basis="appointed",
            term_start=today,
            term_end=None,
        )  # not a person of the site
    services.appoint_member(
        world.site_a,
        agent,
        user=manager,
        basis="elected",
        term_start=today,
        term_end=today + dt.timedelta(days=365),
    )
    assert selectors.is_member(agent, world.site_a) and not selectors.is_member(agent, world.site_b)
    item = services.raise_item(world.site_a, user=agent, title="夜班空调太冷", source="floor")
    with pytest.raises(services.EngagementError, match="owner"):
        services.move_item(item, "accepted", user=manager, owner=manager)
    services.move_item(
        item, "accepted", user=manager, owner=manager, due_on=today + dt.timedelta(days=3)
    )
    assert selectors.supervision_page(world.site_a, today)["escalated"] == []
    _clock.move_to(timezone.now() + dt.timedelta(days=5))
    later = timezone.localdate()
    page = selectors.supervision_page(world.site_a, later)
    assert [i.pk for i in page["escalated"]] == [item.pk] and page["escalated"][0].overdue == 2
    services.move_item(item, "done", user=agent)
    assert SupervisionItem.objects.get(pk=item.pk).done_on == later
    report = selectors.month_report(world.site_a, later.year, later.month)
    assert report["summary"]["done"] == 1
    with pytest.raises(services.EngagementError, match="why"):
        services.move_item(
            services.raise_item(world.site_a, user=agent, title="x"), "dropped", user=agent
        )
