"""The bulk POST bodies: shape errors are 400s naming where, never 500s; both endpoints agree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiren.discipline.models import ClockEvent
from zhiren.performance.models import Interaction

ENDPOINTS = [("api:clock-event-list", "manager"), ("api:interaction-list", "admin")]


@pytest.mark.parametrize(("url_name", "role"), ENDPOINTS)
@pytest.mark.parametrize("value", [{}, [], {"nested": 1}])
def test_a_nested_value_is_refused_naming_record_and_field(world, client_for, url_name, role, value):
    body = [{"agent": "A1001", "at": "2026-03-11T09:00:00+08:00"}, {"agent": "A1002", "device": value}]
    response = client_for(world.user(role)).post(reverse(url_name), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"records": "Record 2, field 'device': must be text, a number, true/false or null."}
    assert ClockEvent.objects.count() == 0 and Interaction.objects.count() == 0


@pytest.mark.parametrize(("url_name", "role"), ENDPOINTS)
def test_dry_run_must_be_a_boolean(world, client_for, url_name, role):
    body = {"records": [{"agent": "A1001"}], "dry_run": "no"}
    response = client_for(world.user(role)).post(reverse(url_name), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"dry_run": "Must be true or false."}


@pytest.mark.parametrize(("url_name", "role"), ENDPOINTS)
def test_an_empty_list_is_nothing_to_do(world, client_for, url_name, role):
    response = client_for(world.user(role)).post(
        reverse(url_name), {"records": [], "dry_run": True}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "dry_run": True,
        "counts": {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "errors": 0, "error_rows": 0},
        "errors": [],
    }


def test_an_unknown_api_path_answers_json_404(world, client_for):
    response = client_for(world.user("admin")).get("/api/teams/1.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
    page = client_for(world.user("admin")).get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_schema_documents_the_error_codes_and_json_only_bulk_bodies(world, client_for):
    doc = client_for(world.user("admin")).get(reverse("api-schema"), {"format": "json"}).json()
    bulk = doc["paths"]["/api/interactions/"]["post"]
    assert set(bulk["requestBody"]["content"]) == {"application/json"}
    assert {"200", "201", "400", "401", "403", "404", "415"} <= set(bulk["responses"])
    listing = doc["paths"]["/api/agents/"]["get"]
    assert {"200", "400", "401", "404"} <= set(listing["responses"])
    status = next(p for p in listing["parameters"] if p["name"] == "status")
    assert status["allowEmptyValue"] is True
