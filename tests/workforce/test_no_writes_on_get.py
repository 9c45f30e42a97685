"""Opening a workforce page writes nothing: every GET of the permission matrix, as every role
that may open it, runs no INSERT, UPDATE or DELETE. What a page used to write on the way
(a site's default setup, an agent's preference row, a calendar link, read notices) is
written by the first POST that needs it."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.permissions import OK
from tests.rows import add_rows
from tests.world import ROLES
from zhiren.workforce.models import (
    AgentPreference,
    ShiftNotice,
    ShiftTemplate,
    Shrinkage,
    SiteRules,
)

from .permission_cases import CASES

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
PAGES = [
    (name, index)
    for name, cases in CASES.items()
    for index, case in enumerate(cases)
    if case.method == "get" and OK in case.expect.values()
]


def _writes(client, url) -> list[str]:
    """The writes a GET of ``url`` makes, but the session's (saved on every request, for the
    idle timeout: ``SESSION_SAVE_EVERY_REQUEST``)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [
        sql
        for sql in (q["sql"] for q in ctx.captured_queries)
        if sql.lstrip().upper().startswith(WRITES) and '"django_session"' not in sql
    ]


def test_no_get_writes(world, client_for):
    add_rows(world, 2)  # unread notices, requests, drafts, forecasts… for the pages to show
    writes = {}
    for name, index in PAGES:
        case = CASES[name][index]
        url = reverse(name, kwargs=case.kwargs(world))
        for role in ROLES:
            if case.expect.get(role) == OK:
                writes[url, role] = _writes(client_for(world.user(role)), url)
        if case.expect.get("anonymous") == OK:
            writes[url, "anonymous"] = _writes(Client(), url)
    assert len(writes) > 60  # every page, as every role that may open it
    assert not any(writes.values()), {key: sql[:2] for key, sql in writes.items() if sql}


def test_the_check_sees_a_write(world, client_for, monkeypatch):
    """A GET that writes is caught (here: the notices page made to mark its notices read)."""
    from zhiren.workforce.calendar import selectors, services

    original = selectors.notices

    def marking(agent):
        services.mark_notices_read(agent)
        return original(agent)

    ShiftNotice.objects.create(agent=world.agent, day=date.today(), text="x")
    monkeypatch.setattr(selectors, "notices", marking)
    writes = _writes(client_for(world.user("agent")), reverse("workforce:notices"))
    assert writes and writes[0].lstrip().upper().startswith("UPDATE")


def test_setup_pages_show_the_defaults_and_the_first_change_stores_them(world, client_for):
    client = client_for(world.user("manager"))
    site = world.site_a
    page = client.get(reverse("workforce:setup", kwargs={"pk": site.pk})).content.decode()
    assert "早班" in page and "晚班" in page  # the default templates, shown unsaved
    rules = client.get(reverse("workforce:rules_edit", kwargs={"pk": site.pk}))
    assert rules.context["form"].initial["min_rest_minutes"] == 11 * 60
    assert not SiteRules.objects.filter(site=site).exists()
    assert not ShiftTemplate.objects.filter(site=site).exists()
    assert not Shrinkage.objects.filter(site=site).exists()
    response = client.post(reverse("workforce:queue_new", kwargs={"pk": site.pk}), {
        "code": "after", "name": "售后热线", "channel": "voice", "model": "erlang-c", "service_level": 80,
        "answer_time_s": 20, "max_occupancy": 85, "patience_s": 120, "max_concurrency": 3,
        "concurrency_slowdown": 25, "default_aht_s": 300,
    })
    assert response.status_code == 302
    assert SiteRules.objects.filter(site=site).exists()
    assert sorted(ShiftTemplate.objects.filter(site=site).values_list("name", flat=True)) == ["中班", "早班", "晚班"]
    assert Shrinkage.objects.filter(site=site).count() == 5


def test_a_new_template_comes_after_the_defaults_the_page_showed(world, client_for):
    client = client_for(world.user("manager"))
    response = client.post(reverse("workforce:template_new", kwargs={"pk": world.site_a.pk}), {
        "name": "夜班", "earliest_start": 1320, "latest_start": 1320, "length_minutes": 480, "start_step": 30,
        "may_cross_midnight": "on", "breaks": "[]", "active": "on",
    })
    assert response.status_code == 302
    names = ShiftTemplate.objects.filter(site=world.site_a).order_by("pk").values_list("name", flat=True)
    assert list(names) == ["早班", "中班", "晚班", "夜班"]


def test_the_calendar_link_is_made_by_a_post_and_shown_by_the_page(world, client_for):
    client = client_for(world.user("agent"))
    url = reverse("workforce:my_calendar")
    first = client.get(url).content.decode()
    assert f'hx-post="{url}"' in first and 'value=""' in first
    assert not AgentPreference.objects.filter(agent=world.agent).exists()
    made = client.post(url, HTTP_HX_REQUEST="true")
    token = AgentPreference.objects.get(agent=world.agent).calendar_token
    assert token and reverse("workforce:ics", kwargs={"token": token}) in made.content.decode()
    again = client.get(url).content.decode()
    assert reverse("workforce:ics", kwargs={"token": token}) in again and "hx-post" not in again
    client.post(url)
    assert AgentPreference.objects.get(agent=world.agent).calendar_token == token  # kept, not reset


def test_notices_are_marked_read_by_the_pages_post_up_to_those_shown(world, client_for):
    shown = ShiftNotice.objects.create(agent=world.agent, day=date.today() + timedelta(days=1), text="a")
    client = client_for(world.user("agent"))
    url = reverse("workforce:notices")
    page = client.get(url).content.decode()
    assert "fw-bold" in page and f'"up_to": {shown.pk}' in page
    later = ShiftNotice.objects.create(agent=world.agent, day=date.today() + timedelta(days=2), text="b")
    assert client.post(url, {"up_to": shown.pk}, HTTP_HX_REQUEST="true").status_code == 204
    assert ShiftNotice.objects.get(pk=shown.pk).read
    assert not ShiftNotice.objects.get(pk=later.pk).read  # arrived after the page was shown
    week = client.get(reverse("workforce:my_week")).content.decode()
    assert 'data-testid="notices-link"' in week and "bg-red" in week  # one still unread


def test_wishes_page_shows_defaults_and_the_post_stores_them(world, client_for):
    client = client_for(world.user("agent"))
    url = reverse("workforce:wishes")
    assert client.get(url).status_code == 200
    assert not AgentPreference.objects.filter(agent=world.agent).exists()
    assert client.post(url, {"preferred_days_off": ["6"], "note": "孩子"}).status_code == 302
    pref = AgentPreference.objects.get(agent=world.agent)
    assert pref.preferred_days_off == [6] and pref.note == "孩子"
