"""One swap check for the request page, the approval and the agent's preview (issue #19, item 1).

The engine's labour rules with the site's own limits, approved leave, training in the
shift handed over and other open swaps of the day; worded in the reader's language.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from zhiren.workforce.models import LeaveRequest, PublishedShift, SiteRules, SwapRequest
from zhiren.workforce.requests import services as requests

from .conftest import next_monday
from .test_workforce import _publish_simple


def _week_of_peer(world, monday, days):
    """The peer works 09:00–17:00 (450 paid minutes) on ``days`` offsets of the week."""
    return [(world.peer, monday + timedelta(days=n), 9 * 60, 17 * 60) for n in days]


def _swap(world, day):
    return SwapRequest.objects.create(requester=world.agent, partner=world.peer, day=day, status="pending")


def test_weekly_limit_is_the_sites_not_forty_hours(wfm, world):
    monday = next_monday()
    day = monday + timedelta(days=5)
    SiteRules.objects.update_or_create(site=world.site_a, defaults={"max_minutes_per_week": 50 * 60})
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)}, extra=_week_of_peer(world, monday, range(5)))
    # 6 × 450 = 2700 paid minutes: over 40 h, within the site's 50 h
    assert requests.swap_checks(_swap(world, day)) == []
    SiteRules.objects.filter(site=world.site_a).update(max_minutes_per_week=44 * 60)
    with translation.override("en"):
        texts = requests.check_messages(requests.swap_checks(_swap(world, day)))
    assert any("45 paid hours" in t and "at most 44 h" in t and world.peer.name in t for t in texts), texts


def test_page_checks_now_and_disables_approval_in_the_readers_language(wfm, world, client_for):
    monday = next_monday()
    day = monday + timedelta(days=6)
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)})
    swap = requests.request_swap(None, world.agent, day, world.peer)
    assert swap.checks == []  # passed when asked
    # then the peer is rostered the six days before: the swap would make seven in a row
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)}, extra=_week_of_peer(world, monday, range(6)))
    lead = client_for(world.user("lead"))
    lead.cookies["django_language"] = "zh-hans"
    body = lead.get(reverse("workforce:swap_detail", args=[swap.pk])).content.decode()
    assert 'data-testid="swap-ok"' not in body
    assert "连续工作 7 天" in body and "days in a row" not in body
    assert 'data-testid="approve" disabled' in body
    refused = lead.post(reverse("workforce:swap_detail", args=[swap.pk]), {"action": "approve"}, follow=True)
    assert refused.content.decode().count("连续工作 7 天") == 2  # the error says what the page said
    swap.refresh_from_db()
    assert swap.status == "pending"
    assert swap.checks and swap.checks[0]["params"]["rule"] == "max_consecutive_days"
    lead.cookies["django_language"] = "en"
    body = lead.get(reverse("workforce:swap_detail", args=[swap.pk])).content.decode()
    assert "would work 7 days in a row" in body and "连续" not in body


def test_rule_broken_before_the_swap_is_not_blamed_on_it(wfm, world):
    monday = next_monday()
    day = monday + timedelta(days=6)
    # the agent already works seven days in a row; giving one away only helps
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)},
                    extra=[(world.agent, monday + timedelta(days=n), 9 * 60, 17 * 60) for n in range(6)])
    assert requests.swap_checks(_swap(world, day)) == []


def test_taker_on_approved_sick_leave_is_flagged(wfm, world):
    day = next_monday() + timedelta(days=2)
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)})
    LeaveRequest.objects.create(agent=world.peer, kind="sick", start=day, end=day, status="approved")
    checks = requests.swap_checks(_swap(world, day))
    assert [c["code"] for c in checks] == ["leave"]
    with translation.override("zh-hans"):
        assert "病假" in requests.check_messages(checks)[0]
    with translation.override("en"):
        assert "Sick leave" in requests.check_messages(checks)[0]
    with pytest.raises(ValidationError):
        requests.decide_swap(world.user("lead"), _swap(world, day), True)


def test_training_in_the_shift_and_another_open_swap_are_flagged(wfm, world):
    day = next_monday() + timedelta(days=2)
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)})
    row = PublishedShift.objects.get(agent=world.agent, day=day, active=True)
    row.activities = [["work", 540, 600], ["training", 600, 660], ["work", 660, 1020]]
    row.save()
    SwapRequest.objects.create(requester=world.peer, day=day, status="open")
    checks = requests.swap_checks(_swap(world, day))
    assert {c["code"] for c in checks} == {"personal_activity", "other_swap"}
    with translation.override("en"):
        texts = requests.check_messages(checks)
    assert any("Training 10:00–11:00" in t for t in texts), texts


def test_agent_sees_the_reasons_before_sending(wfm, world, client_for):
    day = next_monday() + timedelta(days=2)
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)})
    LeaveRequest.objects.create(agent=world.peer, kind="annual", start=day, end=day, status="approved")
    agent = client_for(world.user("agent"))
    agent.cookies["django_language"] = "zh-hans"
    page = agent.post(reverse("workforce:swap_list"),
                      {"day": day.isoformat(), "partner": world.peer.pk, "note": "", "preview": "1"})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="swap-preview"' in body and "年假" in body
    assert not SwapRequest.objects.exists()
