"""The Content-Security-Policy header, and templates that live within it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

import zhiren

TEMPLATES = sorted(Path(zhiren.__file__).parent.glob("**/templates/**/*.html"))
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def _nonce(response) -> str:
    match = re.search(r"script-src 'self' 'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


@pytest.mark.django_db
def test_every_response_carries_a_fresh_nonce(client):
    first = client.get(reverse("accounts:login"))
    second = client.get(reverse("accounts:login"))
    assert first.status_code == second.status_code == 200
    assert _nonce(first) != _nonce(second)
    policy = first["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


@pytest.mark.django_db
def test_inline_scripts_carry_the_responses_nonce(world, client_for):
    from zhiren.wellbeing.models import MoodEntry, Source

    from ..factories import AgentFactory

    for agent in [world.agent, world.peer] + [AgentFactory(team=world.team_a1) for _ in range(3)]:
        MoodEntry.objects.create(agent=agent, day=timezone.localdate(), source=Source.SELF, score=4)
    response = client_for(world.user("lead")).get(reverse("wellbeing:board"))
    body = response.content.decode()
    nonce = _nonce(response)
    inline = [attrs for attrs in SCRIPT_TAG.findall(body) if "src=" not in attrs
              and "application/json" not in attrs]
    assert inline, "the board draws its chart with an inline script"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline), inline


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_templates_have_no_inline_handlers_and_nonce_every_inline_script(path):
    text = path.read_text()
    assert not INLINE_HANDLER.search(text), "use a data-* behaviour (static/zhiren/behaviours.js)"
    for attrs in SCRIPT_TAG.findall(text):
        if "src=" in attrs or "application/json" in attrs:
            continue
        assert 'nonce="{{ csp_nonce }}"' in attrs, attrs
