"""Reports and the export: scoped, per criterion and inspector, numbers masked."""

import csv
import io

import pytest

from zhiren.audit.models import AuditEvent
from zhiren.quality import reports

from .helpers import DAY, GOOD, evaluation

pytestmark = pytest.mark.django_db


def test_report_by_agent_criterion_and_inspector(world):
    evaluation(world)
    evaluation(world, answers={**GOOD, "greet": {"answer": "no"}, "accuracy": {"answer": "na"}})
    data = reports.report(world.user("qa"), DAY, DAY)
    (agent,) = data["agents"]
    assert (agent["count"], agent["average"], agent["reliable"]) == (2, 90.0, False)
    greet = next(r for r in data["criteria"] if r["key"] == "greet")
    assert (greet["answered"], greet["fail_rate"]) == (2, 0.5)
    accuracy = next(r for r in data["criteria"] if r["key"] == "accuracy")
    assert accuracy["answered"] == 1  # N/A left out
    assert data["criteria"][0]["key"] == "greet"  # most failed first
    assert data["inspectors"][0]["name"] == "qa"
    assert reports.report(world.user("trainer"), DAY, DAY)["agents"] == []


def test_export_masks_numbers_and_is_audited(world, client_for):
    evaluation(world, answers={**GOOD, "verify": {"answer": "yes", "comment": "客户手机13812345678，身份证110101199003071234"}})
    response = client_for(world.user("qa")).get(f"/quality/reports/export/?from={DAY}&to={DAY}&format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    comment = next(r for r in rows if r[11] == "verify")[13]
    assert comment == "客户手机138****5678，身份证110101********1234"
    assert "13812345678" not in text
    assert AuditEvent.objects.filter(action="export", object_type="quality.evaluation").exists()
    xlsx = client_for(world.user("qa")).get(f"/quality/reports/export/?from={DAY}&to={DAY}&format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_reports_page_renders_the_trend(world, client_for):
    evaluation(world)
    body = client_for(world.user("lead")).get(f"/quality/reports/?from={DAY}&to={DAY}").content.decode()
    assert "chart-qa-trend" in body and "张三" in body
