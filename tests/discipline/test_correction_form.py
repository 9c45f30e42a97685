"""The punch-correction form names each punch's agent, keys it for narrowing, and refuses a mismatch."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhiren.discipline.models import ClockCorrection, ClockEvent


def _punch(agent, minutes_ago):
    return ClockEvent.objects.create(agent=agent, at=timezone.now() - timedelta(minutes=minutes_ago), kind="in",
                                     fingerprint=f"{agent.pk}-{minutes_ago}")


def test_each_punch_option_names_and_keys_its_agent(world, client_for):
    mine, peers = _punch(world.agent, 60), _punch(world.peer, 90)
    page = client_for(world.user("lead")).get(reverse("discipline:corrections")).content.decode()
    select = re.search(r'<select name="event"[^>]*>(.*?)</select>', page, re.S)
    assert 'data-filter-by="agent"' in re.search(r'<select name="event"[^>]*>', page).group(0)
    options = select.group(1)
    assert re.search(rf'<option value="{mine.pk}" data-key="{world.agent.pk}">[^<]*· {world.agent.name}</option>',
                     options)
    assert re.search(rf'<option value="{peers.pk}" data-key="{world.peer.pk}">[^<]*· {world.peer.name}</option>',
                     options)


def test_a_punch_of_another_agent_is_refused_with_both_names(world, client_for):
    peers = _punch(world.peer, 90)
    response = client_for(world.user("lead")).post(reverse("discipline:corrections"), {
        "agent": world.agent.pk, "action": "void", "event": peers.pk, "kind": "in",
        "reason": "Punched twice by mistake this morning",
    })
    assert response.status_code == 200
    assert f"This punch is {world.peer.name}&#x27;s, not {world.agent.name}&#x27;s." in response.content.decode()
    assert not ClockCorrection.objects.exists()
