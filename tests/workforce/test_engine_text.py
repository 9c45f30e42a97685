"""What the engine says reaches the pages in the reader's language, never as its English notes."""

from __future__ import annotations

import re

from django.urls import reverse

from zhiren.workforce.planning import services as planning

from .conftest import next_monday


def _visible(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _page(client, user, url, language):
    client.logout()
    client.cookies["django_language"] = language
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return _visible(response)


def test_forecast_warnings_are_worded_in_the_readers_language(wfm, world, client):
    """Four weeks of history: no yearly seasonality; the engine's English note stays in the log."""
    version = planning.create_forecast(world.user("manager"), wfm, next_monday(), 1)
    assert any(w["code"] == "no_yearly" for w in version.warnings)
    url = reverse("workforce:forecast", args=[wfm.pk]) + f"?version={version.pk}"
    zh = _page(client, world.user("manager"), url, "zh-hans")
    assert "history covers" not in zh
    assert "年度季节性" in zh
    en = _page(client, world.user("manager"), url, "en")
    assert "yearly seasonality is not modelled" in en
    assert "(< 365)" not in en  # the engine's own wording is for logs


def test_a_forecast_warning_stored_before_codes_is_shown_as_it_is():
    from zhiren.workforce.pages import forecast_warning_text

    assert forecast_warning_text("old text") == "old text"
    assert forecast_warning_text({"code": "unknown", "params": {}, "text": "t"}) == "t"
