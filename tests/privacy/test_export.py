"""An agent's export holds what every module keeps about them, and nothing about anyone else."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils.functional import Promise

from zhiren.audit.models import AuditEvent
from zhiren.core.registries import DataSection, PersonalDataSource, personal_data

from .records import add_records

MODULES = {"org", "people", "wellbeing", "workforce", "performance", "coaching", "discipline", "placement",
           "training", "engagement", "recruiting", "leadership"}
MARKS = ("likes", "family", "talk-note", "mood", "feedback", "violation", "goal", "wish", "preference", "leave",
         "application", "interview", "exit-notes", "delegated", "grant")


def test_every_module_with_data_on_agents_is_a_source():
    assert {entry.name for entry in personal_data.entries()} == MODULES


def test_the_json_export_holds_every_modules_records_of_the_agent_only(world, client_for):
    add_records(world, world.agent, "MINE")
    add_records(world, world.peer, "PEERS")
    response = client_for(world.user("agent")).get(reverse("privacy:export_json", args=[world.agent.pk]))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="zhiren-my-data-A1001.json"'
    text = response.content.decode()
    data = json.loads(text)
    assert {source["key"] for source in data["sources"]} == MODULES
    for mark in MARKS:
        assert f"MINE-{mark}" in text, mark
        assert f"PEERS-{mark}" not in text, mark
    record = data["sources"][0]["sections"][0]
    assert record["rows"] == [{**record["rows"][0], "employee_no": "A1001", "name": "张三", "team": "售后一组"}]
    assert {"name": "birthday", "label": "Birthday"} in record["fields"]
    event = AuditEvent.objects.get(action="export", subject_agent_id=world.agent.pk)
    assert event.actor == world.user("agent") and set(event.fields) == MODULES


def test_hr_exports_an_agent_in_scope_and_the_page_prints(world, client_for):
    add_records(world, world.far, "FAR")
    response = client_for(world.user("hr")).get(reverse("privacy:export_page", args=[world.far.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "FAR-mood" in page and "FAR-violation" in page and "data-print" in page
    assert "Ask for a correction" not in page  # only the agent asks
    assert AuditEvent.objects.filter(action="export", subject_agent_id=world.far.pk,
                                     actor=world.user("hr")).count() == 1


def test_a_source_is_shown_as_a_table_of_its_fields(world, client_for):
    def collect(agent):
        rows = [{"day": "2026-03-01", "flag": True, "tags": ["甲", "乙"], "empty": None}]
        return [DataSection("probe", "Probe section", (("day", "Day"), ("flag", "Flag"), ("tags", "Tags"),
                                                       ("empty", "Empty")), rows, note="A note")]

    with personal_data.replaced([("probe", PersonalDataSource("Probe source", collect))]):
        page = client_for(world.user("agent")).get(
            reverse("privacy:export_page", args=[world.agent.pk])).content.decode()
    assert 'data-testid="source-probe"' in page and "Probe section" in page and "A note" in page
    # A list cell is joined the way the page's language joins lists (English here).
    assert "<td>2026-03-01</td><td>Yes</td><td>甲, 乙</td><td>—</td>" in page


@pytest.mark.parametrize("name", sorted(MODULES))
def test_labels_are_translatable(world, name):
    """Section and field labels are lazy translations, so the export reads in the user's language."""
    add_records(world, world.agent, "MINE")
    source = {entry.name: entry.value for entry in personal_data.entries()}[name]
    assert isinstance(source.label, Promise)
    for section in source.collect(world.agent):
        assert isinstance(section.label, Promise), section.key
        for field, label in section.fields:
            assert isinstance(label, Promise), f"{section.key}.{field}"
        for row in section.rows:
            assert set(row) == {field for field, _label in section.fields}, section.key


def test_the_agent_sees_their_requests_on_the_export_page(world, client_for):
    from zhiren.privacy.services import ask_correction

    ask_correction(world.user("agent"), world.agent, "org.name", "typo", "张三丰")
    page = client_for(world.user("agent")).get(reverse("privacy:my_data"), follow=True).content.decode()
    assert 'data-testid="my-requests"' in page and "My name" in page and "Waiting for a decision" in page


def test_hr_finds_the_export_on_the_profile_and_a_lead_does_not(world, client_for):
    link = f'href="{reverse("people:export_page", args=[world.agent.pk])}" data-testid="personal-data"'
    hr_page = client_for(world.user("hr")).get(reverse("people:profile", args=[world.agent.pk])).content.decode()
    lead_page = client_for(world.user("lead")).get(reverse("people:profile", args=[world.agent.pk])).content.decode()
    assert link in hr_page and link not in lead_page


def test_the_export_reads_in_chinese_by_default(world):
    from django.test import Client

    add_records(world, world.agent, "MINE")
    plain = Client()  # no language cookie: the zh-Hans default
    plain.force_login(world.user("agent"))
    data = json.loads(plain.get(reverse("privacy:export_json", args=[world.agent.pk])).content)
    labels = {section["label"] for source in data["sources"] for section in source["sections"]}
    assert {"员工记录", "心情", "违规记录", "每月 KPI"} <= labels
    page = plain.get(reverse("privacy:export_page", args=[world.agent.pk])).content.decode()
    assert "打印或另存为 PDF" in page and "申请更正" in page
