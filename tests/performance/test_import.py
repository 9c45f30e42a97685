from __future__ import annotations

from datetime import date

import pytest

from zhiren.imports.services import run_import
from zhiren.performance.models import DailyStat, Interaction
from zhiren.performance.rollups import rebuild_all

from .helpers import contact, csv_bytes

pytestmark = pytest.mark.django_db


def rollup_snapshot():
    fields = [f.attname for f in DailyStat._meta.concrete_fields if f.attname != "id"]
    return sorted(tuple(row) for row in DailyStat.objects.values_list(*fields))


def test_import_chinese_file_and_rollup(world):
    rows = [
        contact("C1", "A1001", "2024-03-04", "09:00:00", wait=10, talk=200, acw=30, csat="5", customer="u1"),
        contact("C2", "A1001", "2024-03-04", "10:00:00", wait=40, talk=100, acw=20, csat="2", customer="u2"),
        contact("C3", "", "2024-03-04", "10:05:00", answered=False, wait=50),
        contact("C4", "A1002", "2024-03-04", "11:00:00", wait=5, talk=300, hold=60, transferred="是",
                customer="u1"),
    ]
    result = run_import("interactions", csv_bytes(rows), "calls.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert Interaction.objects.count() == 4
    c1 = Interaction.objects.get(external_id="C1")
    assert c1.day == date(2024, 3, 4) and c1.slot == 36 and c1.team_id == world.team_a1.pk
    assert c1.repeat_contact  # u1 came back at 11:00 the same day
    assert Interaction.objects.get(external_id="C3").abandoned
    before = rollup_snapshot()
    assert before
    rebuild_all()
    assert rollup_snapshot() == before
