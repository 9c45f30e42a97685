"""The plug-in mechanism: registries in ``core`` filled from each app's ``AppConfig.ready``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhiren.core.registries import (
    HOME_AGENT,
    HOME_LEAD,
    Registry,
    ability_inputs,
    agent_scores,
    demo_loaders,
    fit_inputs,
    hard_queue_feeds,
    holiday_feeds,
    home_cards,
    onboarding_steps,
    periodic_jobs,
    personal_data,
    queue_limits,
    retention_rules,
    work_day_feeds,
)


def test_a_registry_keeps_order_and_ignores_a_second_registration():
    hooks: Registry[str] = Registry("test")
    hooks.register("b", "second", order=20)
    hooks.register("a", "first", order=20)
    hooks.register("z", "zeroth", order=10)
    hooks.register("a", "ignored", order=0)
    assert hooks.values() == ["zeroth", "first", "second"]
    assert [e.name for e in hooks.entries()] == ["z", "a", "b"]
    with hooks.replaced([("x", "only")]):
        assert list(hooks) == ["only"]
    assert len(hooks) == 3


@pytest.mark.django_db
def test_each_app_fills_its_hooks_in_ready():
    from zhiren.coaching.providers import kpi_inputs
    from zhiren.quality.providers import qa_inputs, qa_scores
    from zhiren.workforce.selectors import hard_queue_provider

    assert ability_inputs.values() == [kpi_inputs, qa_inputs]
    assert [s.fn for s in agent_scores.values()] == [qa_scores]
    # registered deferred (the workforce modules load the staffing engine): the same answers
    day = dt.date(2026, 3, 2)
    assert [e.name for e in hard_queue_feeds.entries()] == ["published schedules"]
    assert hard_queue_feeds.values()[0]([1, 2], [day]) == hard_queue_provider([1, 2], [day])
    assert [e.name for e in work_day_feeds.entries()] == ["published schedules"]
    assert [e.name for e in holiday_feeds.entries()] == ["holiday calendar"]
    from zhiren.workforce.planning.selectors import public_holidays

    assert holiday_feeds.values()[0](day, day + dt.timedelta(days=60)) == public_holidays(
        day, day + dt.timedelta(days=60))
    assert [e.name for e in fit_inputs.entries()] == ["performance", "people", "coaching", "placement"]
    assert [e.name for e in demo_loaders.entries()] == [
        "org", "people", "wellbeing", "performance", "coaching", "placement", "quality", "workforce", "training",
        "discipline", "recruiting", "engagement", "leadership",
    ]
    assert [c.template for c in home_cards if c.home == HOME_AGENT] == [
        "leadership/_agent_home_card.html",
        "wellbeing/_agent_home_card.html",
    ]
    assert [c.template for c in home_cards if c.home == HOME_LEAD] == [
        "leadership/_lead_home_card.html",
        "wellbeing/_lead_home_panel.html",
        "people/_lead_home_panels.html",
        "discipline/_lead_home_panel.html",
        "privacy/_lead_home_card.html",
    ]
    assert [e.name for e in personal_data.entries()] == [
        "org", "people", "wellbeing", "workforce", "performance", "coaching", "discipline", "placement", "training",
        "recruiting", "engagement", "leadership",
    ]
    assert [e.name for e in retention_rules.entries()] == [
        "import_uploads", "moods", "talk_notes", "discipline", "event_photos", "candidates", "leavers",
        "correction_requests", "audit_log",
    ]
    assert [e.name for e in periodic_jobs.entries()] == [
        "attrition_refit", "digests", "hire_figures", "huddles", "purge", "survey_reminders",
        "wellbeing_nightly",
    ]
    assert [e.name for e in queue_limits.entries()] == ["nesting"]
    assert [e.name for e in onboarding_steps.entries()] == ["people_profile", "training", "buddy"]
    from zhiren.core.registries import board_feeds, huddle_sources, shift_start_feeds

    assert [e.name for e in huddle_sources.entries()] == [
        "performance", "performance goals", "wellbeing", "quality", "coaching", "people",
        "engagement", "discipline", "training", "workforce", "workforce forecast", "workforce ahead",
        "engagement risk",
    ]
    assert [e.name for e in board_feeds.entries()] == [
        "wellbeing", "people", "quality", "coaching", "discipline", "workforce",
    ]
    assert [e.name for e in shift_start_feeds.entries()] == ["published schedules"]


def test_hard_queue_falls_back_to_positions_without_a_feed(world):
    from zhiren.org.models import Position
    from zhiren.wellbeing.queues import on_hard_queue, position_proxy

    world.agent.position = Position.COMPLAINTS
    world.agent.save()
    day = dt.date(2026, 3, 2)
    ids = [world.agent.pk, world.peer.pk]
    with hard_queue_feeds.replaced([("fixed", lambda agent_ids, days: {(world.peer.pk, day)})]):
        assert on_hard_queue(ids, [day]) == {(world.peer.pk, day)}
    with hard_queue_feeds.replaced([]):
        assert on_hard_queue(ids, [day]) == position_proxy(ids, [day]) == {(world.agent.pk, day)}


@pytest.mark.django_db
def test_the_lead_home_shows_the_registered_cards_in_order(world, client_for):
    client = client_for(world.user("lead"))
    html = client.get(reverse("core:home")).content.decode()
    assert html.index('data-testid="lead-mood-panel"') < html.index("data-testid=\"count-active\"")
    with home_cards.replaced([]):
        bare = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="lead-mood-panel"' not in bare and 'data-testid="count-active"' in bare
