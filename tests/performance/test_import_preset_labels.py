"""The import page names the built-in column mappings, not by their codes ("generic-zh")."""

from __future__ import annotations

import re

from django.urls import reverse


def test_import_page_labels_the_presets(world, client):
    client.force_login(world.user("manager"))
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("performance:import")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "generic-zh" not in text and "generic-en" not in text
    assert "通用导出（中文表头）" in text
    assert 'value="generic-zh"' in html  # the code is still what the form sends
