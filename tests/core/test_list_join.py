"""Lists are joined the way the reader's language joins them; no Chinese in English pages."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from zhiren.core.text import join_list


def test_join_list_follows_the_language():
    with translation.override("zh-hans"):
        assert join_list(["语音", "在线"]) == "语音、在线"
    with translation.override("en"):
        assert join_list(["Voice", "Chat"]) == "Voice, Chat"
    assert join_list([]) == ""


def test_channel_skills_are_joined_for_the_language(world):
    world.agent.channel_skills = ["voice", "chat"]
    with translation.override("en"):
        assert "、" not in world.agent.get_channel_skills_display()
        assert ", " in world.agent.get_channel_skills_display()
    with translation.override("zh-hans"):
        assert "、" in world.agent.get_channel_skills_display()


def test_buddy_page_in_english_has_no_chinese_title(world, client_for):
    client = client_for(world.user("lead"))
    html = client.get(reverse("wellbeing:buddy_list")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "一帮一" not in text
    assert "Buddies" in text
