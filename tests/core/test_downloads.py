"""Download file names built from stored values stay one safe header."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import reverse

from zhiren.core.downloads import attach, safe_filename


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("zhiren-coaching-A001.csv", "zhiren-coaching-A001.csv"),
        ("zhiren-coaching-A\n001\r.csv", "zhiren-coaching-A001.csv"),
        ("report-\u202egpj.exe", "report-gpj.exe"),  # a right-to-left override hides the extension
        ("../../etc/passwd", "etc-passwd"),
        ("\n\t", "download"),
        ("工号-007.csv", "工号-007.csv"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_quotes_and_chinese_names_are_encoded_per_rfc_6266():
    assert attach(HttpResponse(), 'a"b.csv')["Content-Disposition"] == 'attachment; filename="a\\"b.csv"'
    header = attach(HttpResponse(), "工号.csv")["Content-Disposition"]
    assert header == "attachment; filename*=utf-8''%E5%B7%A5%E5%8F%B7.csv"


@pytest.mark.django_db
def test_export_of_an_agent_with_a_newline_and_quote_in_the_employee_number(world, client_for):
    world.agent.employee_no = 'A1\n"7'
    world.agent.save(update_fields=["employee_no"])
    response = client_for(world.user("lead")).get(reverse("coaching:export", args=[world.agent.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="zhiren-coaching-A1\\"7.csv"'
    response = client_for(world.user("agent")).get(reverse("privacy:export_json", args=[world.agent.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="zhiren-my-data-A1\\"7.json"'
