"""The roster summary says what is true (issue #19, item 4): no "None%", no ✓ when nothing
was checked or demand is not covered."""

from __future__ import annotations

from django.urls import reverse

from zhiren.workforce.models import RosterDraft

from .conftest import next_monday


def _draft(world, result):
    draft = RosterDraft.objects.create(site=world.site_a, start=next_monday(), weeks=1, status="ready",
                                       result=result)
    draft.teams.set([world.team_a1])
    return draft


def test_unchecked_draft_shows_no_tick_and_no_none_percent(wfm, world, client_for):
    draft = _draft(world, {"coverage": None})
    manager = client_for(world.user("manager"))
    body = manager.get(reverse("workforce:draft_detail", args=[draft.pk])).content.decode()
    assert "None%" not in body and "✓" not in body
    assert 'data-testid="not-checked"' in body and "No rule was checked." in body
    assert "Demand is covered." not in body and "Every labour rule holds." not in body


def test_checked_and_covered_draft_keeps_its_tick(wfm, world, client_for):
    draft = _draft(world, {"coverage": 100.0, "demand_hours": 10.0, "under_hours": 0.0, "worst": [],
                           "checks": {"min_rest": 0}, "violations": [], "wishes": []})
    body = client_for(world.user("manager")).get(reverse("workforce:draft_detail", args=[draft.pk])).content.decode()
    assert "100.0%" in body and "✓" in body and "Demand is covered." in body
