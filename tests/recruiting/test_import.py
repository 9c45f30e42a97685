"""Candidates from a job site's export: Chinese headers, row/column errors, dry run, all or nothing."""

import pytest

from zhiren.imports.services import run_import
from zhiren.recruiting.models import Candidate

from .helpers import candidate

pytestmark = pytest.mark.django_db

GOOD = (
    "手机号,姓名,站点,渠道,身份证号,投递日期,人才库\n"
    "138 0000 0001,王小明,site-a,校招,110101200001011234,2026-03-01,是\n"
    "13800000002,李小红,站点A,BOSS直聘,,2026/3/2,\n"
)


def test_a_file_with_chinese_headers_is_imported_once(world):
    dry = run_import(
        "candidates", GOOD.encode("gbk"), "候选人.csv", user=world.user("hr"), dry_run=True
    )
    assert not dry.plan.has_errors and Candidate.objects.count() == 0
    result = run_import("candidates", GOOD.encode("utf-8-sig"), "候选人.csv", user=world.user("hr"))
    assert result.committed
    found = {c.phone: c for c in Candidate.objects.all()}
    assert set(found) == {"13800000001", "13800000002"}
    wang = found["13800000001"]
    assert (wang.name, wang.site, wang.source, wang.talent_pool) == (
        "王小明",
        world.site_a,
        "campus",
        True,
    )
    assert found["13800000002"].source == "job_site"
    again = run_import("candidates", GOOD.encode("utf-8"), "候选人.csv", user=world.user("hr"))
    assert not again.plan.has_changes and Candidate.objects.count() == 2  # the phone is the key


def test_a_known_id_number_is_flagged_and_bad_cells_stop_the_whole_file(world):
    earlier = candidate(world.site_a, id_number="110101200001011234", phone="13900000009")
    data = "手机号,姓名,站点,渠道,身份证号,投递日期\n13800000003,王小明,site-a,内推,110101200001011234,2026-03-03\n"
    run_import("candidates", data.encode(), "a.csv", user=world.user("hr"))
    assert Candidate.objects.get(phone="13800000003").duplicate_of == earlier
    bad = (
        "手机号,姓名,站点,渠道,身份证号,投递日期\n"
        "13800000004,甲,site-a,内推,,2026-03-03\n"
        "12,乙,site-x,飞鸽传书,12345,不知道\n"
    )
    result = run_import("candidates", bad.encode(), "b.csv", user=world.user("hr"))
    assert not result.committed and result.plan.has_errors
    assert not Candidate.objects.filter(phone="13800000004").exists()  # atomic: nothing written
    errors = {e.column for e in result.plan.errors}
    assert {
        "手机号",
        "站点",
        "渠道",
        "身份证号",
        "投递日期",
    } <= errors  # each bad cell named by its column


def test_only_recruiters_import_and_only_for_their_sites(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run_import("candidates", GOOD.encode(), "c.csv", user=world.user("manager"))
