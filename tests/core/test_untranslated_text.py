"""No text outside the translation catalogue on the pages (issue #19, item 9).

Renders every GET page of the permission matrix once, as the first role allowed to see it,
on a world with the data that used to leak (engine forecast warnings, a roster draft with
unmet wishes, package holidays, shift templates with breaks, coaching plan goals, audit
events), in zh-Hans and then in English, and looks for known leak words in the visible
text (tags, ``<script>`` and ``<style>`` removed).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.urls import reverse

from ..permissions import OK
from .test_permission_matrix import MATRIX

# English words and codes that only reach a zh-Hans page when something is left untranslated.
ZH_LEAKS = [
    "history covers", "provisional", "yearly seasonality", "no trend", "no handle time",
    "break ", "lunch ", "got ", "wished", "works 晚班",
    "New Year", "Labour Day", "Tomb-sweeping", "Dragon Boat", "Mid-autumn", "National Day",
    "people.", "org.", "coaching.", "workforce.", "wellbeing.",
    "fcr", "csat,", "generic-zh", "generic-en",
    "Buddies", "preferred_shift", "min_rest",
    # the English state codes of the floor and the engine's rule checks
    "after_call", "not_ready", "available", "logged_out", "adherence",
]
EN_LEAKS = ["一帮一", "、"]
ORDER = ("admin", "manager", "lead", "hr", "trainer", "qa", "agent")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _rich_data(world):
    """What used to leak: engine notes, package holidays, break kinds, KPI codes, audit labels."""
    from types import SimpleNamespace

    from zhiren.audit.models import AuditAction
    from zhiren.audit.services import record
    from zhiren.coaching.models import ImprovementPlan, PlanGoal
    from zhiren.workforce.drafts.services import summarize
    from zhiren.workforce.engine.roster import unmet_wishes
    from zhiren.workforce.models import Queue, RosterDraft, ShiftTemplate
    from zhiren.workforce.planning import services as planning

    from ..workforce.conftest import add_history, next_monday

    planning.ensure_site_setup(world.site_a)
    assert ShiftTemplate.objects.filter(site=world.site_a, breaks__isnull=False).exists()  # the defaults
    queue = Queue.objects.create(site=world.site_a, code="aftersales", name="售后热线",
                                 history_name="售后热线", channel="voice")
    add_history(world.team_a1, "售后热线", date.today() - timedelta(days=1), per_slot=3.0)
    forecast = planning.create_forecast(world.user("manager"), queue, next_monday(), 1)
    assert any(w["code"] == "no_yearly" for w in forecast.warnings)

    agent = SimpleNamespace(id=str(world.agent.pk), preferred_shifts=("早班",), preferred_days_off=(1,))
    shifts = [SimpleNamespace(agent_id=agent.id, day=1, template="晚班")]
    result = SimpleNamespace(under={"aftersales": [1] * 96}, over={}, rule_checks={"min_rest": 1},
                             unmet_wishes=unmet_wishes(SimpleNamespace(agents=[agent]), shifts),
                             assignments=shifts)
    summary = summarize(SimpleNamespace(demand={"aftersales": [4] * 96}, days=1), result, [],
                        {agent.id: world.agent})
    draft = RosterDraft.objects.create(site=world.site_a, start=next_monday(), weeks=1, status="ready",
                                       result=summary)
    draft.teams.set([world.team_a1])

    plan = ImprovementPlan.objects.create(agent=world.agent, lead=world.user("lead"), started_on=date.today(),
                                          review_on=date.today() + timedelta(days=30))
    PlanGoal.objects.create(plan=plan, kpi="fcr", baseline=60, target=75)
    PlanGoal.objects.create(plan=plan, kpi="csat", baseline=70, target=85)

    world.agent.channel_skills = ["voice", "chat"]
    world.agent.save()
    record(actor=world.user("hr"), action=AuditAction.READ, obj=world.agent, fields=["birthday", "name"],
           subject_agent_id=world.agent.pk)
    record(actor=world.user("lead"), action=AuditAction.EXPORT, object_type="coaching.improvementplan")
    return {"draft": draft, "forecast": forecast, "queue": queue}


def _pages(world, extra):
    """(URL, role) per GET page of the matrix (its first case), plus the pages with the new data."""
    pages = []
    for name, cases in MATRIX.items():
        if name.startswith(("api", "admin")) or name in ("healthz", "accounts:logout", "set_language"):
            continue
        for case in cases:
            if case.method != "get":
                continue
            role = next((r for r in ORDER if case.expect.get(r) == OK), None)
            if role is not None:
                pages.append((reverse(name, kwargs=case.kwargs(world)), role))
            break
    pages += [
        (reverse("workforce:draft_detail", args=[extra["draft"].pk]), "manager"),
        (reverse("workforce:forecast", args=[extra["queue"].pk]) + f"?version={extra['forecast'].pk}",
         "manager"),
    ]
    return pages


def _data_texts() -> list[str]:
    """Stored text that is Chinese in either language: the seeded Chinese GROW questions."""
    from zhiren.coaching.models import GrowQuestion

    return list(GrowQuestion.objects.values_list("text_zh", flat=True))


def _leaks(client_for, world, pages, language, words):
    data = _data_texts() if language == "en" else []
    found = []
    for url, role in pages:
        client = client_for(world.user(role))
        client.cookies["django_language"] = language
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = _visible(response.content.decode())
        for value in data:
            text = text.replace(value, " ")
        found += [f"{role} {url}: {word!r}" for word in words if word in text]
    return found


def test_no_untranslated_text_on_the_pages(world, client_for):
    extra = _rich_data(world)
    pages = _pages(world, extra)
    assert len(pages) > 50
    zh = _leaks(client_for, world, pages, "zh-hans", ZH_LEAKS)
    en = _leaks(client_for, world, pages, "en", EN_LEAKS)
    assert not zh, "English left on zh-Hans pages:\n" + "\n".join(zh)
    assert not en, "Chinese left on English pages:\n" + "\n".join(en)
