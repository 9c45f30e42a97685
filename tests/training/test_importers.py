"""The quiz-item import: Chinese headers, row and column errors, dry run, atomic, re-import unchanged."""

from __future__ import annotations

import csv
import io

from zhiren.imports.services import run_import
from zhiren.training.models import Item


def csv_bytes(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


HEADER = ["题号", "站点", "题目", "选项A", "选项B", "选项C", "选项D", "答案", "类别", "质检项"]


def test_items_import_and_reimport_changes_nothing(world):
    data = csv_bytes(
        [
            HEADER,
            [
                "Q-001",
                "site-a",
                "七天无理由退货从哪天起算？",
                "下单日",
                "签收次日",
                "发货日",
                "",
                "B",
                "产品知识",
                "",
            ],
            [
                "Q-002",
                "site-a",
                "客户情绪激动时第一步？",
                "解释政策",
                "倾听共情",
                "",
                "",
                "2",
                "素质",
                "courtesy",
            ],
        ],
        encoding="gbk",
    )
    dry = run_import("quiz-items", data, "tiku.csv", user=world.user("trainer"), dry_run=True)
    assert dry.ok and not Item.objects.exists()
    result = run_import("quiz-items", data, "tiku.csv", user=world.user("trainer"))
    assert result.ok and result.committed
    first, second = Item.objects.order_by("code")
    assert (
        first.choices == ["下单日", "签收次日", "发货日"]
        and first.key == 1
        and first.topic == "product"
    )
    assert (
        second.choices == ["解释政策", "倾听共情"]
        and second.key == 1
        and second.criterion_key == "courtesy"
    )
    assert second.topic == "soft_skills"
    again = run_import("quiz-items", data, "tiku.csv", user=world.user("trainer"))
    assert again.ok and not again.committed and again.plan.unchanged == 2


def test_bad_rows_name_row_and_column_and_write_nothing(world):
    data = csv_bytes(
        [
            HEADER,
            ["Q-010", "site-a", "好题", "甲", "乙", "", "", "A", "", ""],
            ["Q-011", "site-x", "站点不对", "甲", "乙", "", "", "A", "", ""],
            ["Q-012", "site-a", "答案不对", "甲", "乙", "", "", "E", "", ""],
            ["Q-013", "site-a", "答案是空选项", "甲", "乙", "", "", "C", "", ""],
            ["Q-014", "site-a", "选项有空缺", "甲", "乙", "", "丁", "A", "", ""],
        ]
    )
    result = run_import("quiz-items", data, "bad.csv", user=world.user("trainer"))
    assert not result.ok and not Item.objects.exists()
    found = {(e.row, e.column) for e in result.errors}
    assert {(3, "站点"), (4, "答案"), (5, "答案"), (6, "选项C")} <= found


def test_only_training_staff_of_the_site_import(world):
    data = csv_bytes([HEADER, ["Q-020", "site-b", "题", "甲", "乙", "", "", "A", "", ""]])
    result = run_import("quiz-items", data, "b.csv", user=world.user("manager"))  # runs site A only
    assert not result.ok and not Item.objects.exists()
    Item.objects.create(
        site=world.site_b, code="Q-030", stem="别站的题", choices=["甲", "乙"], key=0
    )
    data = csv_bytes([HEADER, ["Q-030", "site-a", "抢编号", "甲", "乙", "", "", "A", "", ""]])
    result = run_import("quiz-items", data, "c.csv", user=world.user("manager"))
    assert not result.ok and Item.objects.get(code="Q-030").site == world.site_b
