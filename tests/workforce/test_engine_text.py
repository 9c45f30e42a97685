"""What the engine says reaches the pages in the reader's language, never as its English notes."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

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


def test_draft_summary_words_wishes_and_names_queues(wfm, world, client):
    """The engine's "got 晚班, wished 早班" and the queue code "after" do not reach the page."""
    from types import SimpleNamespace

    from zhiren.workforce.drafts.services import summarize
    from zhiren.workforce.engine.roster import unmet_wishes
    from zhiren.workforce.models import RosterDraft

    agent = SimpleNamespace(id="1", preferred_shifts=("早班",), preferred_days_off=(2,))
    shifts = [SimpleNamespace(agent_id="1", day=2, template="晚班")]
    wishes = unmet_wishes(SimpleNamespace(agents=[agent]), shifts)
    problem = SimpleNamespace(demand={"after": [4] * 96}, days=1)
    result = SimpleNamespace(under={"after": [1] * 96}, over={}, rule_checks={}, unmet_wishes=wishes,
                             assignments=shifts)
    summary = summarize(problem, result, [], {"1": world.agent})
    draft = RosterDraft.objects.create(site=world.site_a, start=next_monday(), weeks=1, status="ready",
                                       result=summary)
    draft.teams.set([world.team_a1])
    url = reverse("workforce:draft_detail", args=[draft.pk])
    zh = _page(client, world.user("manager"), url, "zh-hans")
    assert "got " not in zh and "wished" not in zh and "works " not in zh
    assert "排了晚班，希望早班" in zh
    assert " · after · " not in zh and "售后热线" in zh
    en = _page(client, world.user("manager"), url, "en")
    assert "got 晚班, wished 早班" in en


def test_holiday_names_from_the_package_are_translated(wfm, world, client, _clock):
    """On 11 March 2026 the next 120 days hold Qingming and Labour Day, named by chinese-calendar."""
    _clock.move_to(datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    url = reverse("workforce:events", args=[world.site_a.pk])
    zh = _page(client, world.user("manager"), url, "zh-hans")
    assert "Labour Day" not in zh and "Tomb-sweeping" not in zh
    assert "劳动节" in zh and "清明节" in zh
    en = _page(client, world.user("manager"), url, "en")
    assert "Labour Day" in en


def test_break_summaries_of_shift_templates_are_translated(wfm, world, client):
    url = reverse("workforce:setup", args=[world.site_a.pk])
    zh = _page(client, world.user("manager"), url, "zh-hans")
    assert "lunch " not in zh and "break " not in zh
    assert "午餐 30′" in zh
    en = _page(client, world.user("manager"), url, "en")
    assert "Lunch 30′" in en


def test_a_contract_minimum_left_broken_says_why_in_the_readers_language():
    from django.utils import translation

    from zhiren.workforce.pages import violation_text

    unreachable = {"value": 1440, "limit": 1920, "cause": "unreachable", "reachable": 1680}
    not_found = {"value": 1440, "limit": 1920, "cause": "not_found", "reachable": 2400}
    with translation.override("en"):
        assert violation_text("min_contract_hours", "Li Na", "2026-03-09", unreachable) == (
            "Li Na would work 24 paid hours in the week of 2026-03-09 (contract: at least 32 h). "
            "No combination of the site's shift templates reaches it within this week's availability, "
            "leave and rules (at most 28 h)."
        )
        assert violation_text("min_contract_hours", "Li Na", "2026-03-09", not_found).endswith(
            "It can be reached; the roster generation did not find a way in the time given "
            "(try again with more time)."
        )
        assert violation_text("min_contract_hours", "Li Na", "2026-03-09", {"value": 1440, "limit": 1920}) == (
            "Li Na would work 24 paid hours in the week of 2026-03-09 (contract: at least 32 h)."
        )
    with translation.override("zh-hans"):
        text = violation_text("min_contract_hours", "李娜", "2026-03-09", unreachable)
        assert "28" in text and "班次模板" in text and "reach" not in text


def test_a_template_limited_to_short_contracts_reaches_the_roster_engine(wfm, world):
    from zhiren.workforce.drafts.roster import engine_templates
    from zhiren.workforce.models import ShiftTemplate

    ShiftTemplate.objects.create(site=world.site_a, name="peak", earliest_start=10 * 60, latest_start=10 * 60,
                                 length_minutes=4 * 60, max_contract_minutes=24 * 60)
    limits = {t.name: t.max_contract_minutes for t in engine_templates(world.site_a.pk)}
    assert limits == {"day": None, "peak": 24 * 60}
