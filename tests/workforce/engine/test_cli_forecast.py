"""``zhiren wfm forecast`` end to end, including bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from zhiren.workforce.engine.cli import main
from zhiren.workforce.engine.forecast_synthetic import SyntheticSpec, generate

from .forecast_support import settings  # noqa: F401

DOCS = Path(__file__).resolve().parents[3] / "docs" / "wfm"


@pytest.fixture(scope="module")
def history_csv(tmp_path_factory) -> Path:
    series = generate(
        SyntheticSpec(start=dt.date(2025, 8, 4), days=35, queues=("general", "vip"), seed=9)
    )
    path = tmp_path_factory.mktemp("fc") / "history.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["interval_start", "queue", "volume", "aht_seconds"])
        for o in series.observations:
            w.writerow(
                [o.start.isoformat(timespec="minutes"), o.queue, int(o.volume), o.aht_seconds or ""]
            )
    return path


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_interval_forecast_to_stdout(history_csv, capsys):
    rc = main(["forecast", str(history_csv), "--horizon-weeks", "1", "-q"])
    out = capsys.readouterr()
    assert rc == 0
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert len(rows) == 2 * 7 * 48
    assert rows[0]["interval_start"] == "2025-09-08T00:00"
    assert {r["queue"] for r in rows} == {"general", "vip"}
    assert all(float(r["volume"]) >= 0 for r in rows)
    assert "queue general" not in out.err  # -q


def test_daily_json_with_events_and_holidays(history_csv, tmp_path, capsys):
    events = _write(tmp_path, "ev.csv", "name,start_date,end_date,uplift\nsale,2025-09-10,,2\n")
    holidays = _write(tmp_path, "hol.csv", "date,kind,name\n2025-09-12,holiday,site party\n")
    out = tmp_path / "fc.json"
    rc = main(
        [
            "forecast",
            str(history_csv),
            "--events",
            str(events),
            "--holidays",
            str(holidays),
            "--granularity",
            "day",
            "--horizon-weeks",
            "2",
            "--output",
            str(out),
        ]
    )
    assert rc == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["granularity"] == "day" and data["intervals"] == []
    days = {(d["date"], d["queue"]): d for d in data["daily"]}
    assert len(days) == 28
    assert days[("2025-09-10", "general")]["events"] == ["sale"]
    assert (
        days[("2025-09-10", "general")]["volume"] > 1.6 * days[("2025-09-17", "general")]["volume"]
    )
    assert days[("2025-09-12", "general")]["day_kind"] == "holiday"
    assert days[("2025-09-12", "general")]["holiday"] == "site party"
    assert data["provisional_years"] == []
    assert "weekday factors" in data["model_description"]
    assert "sale" in capsys.readouterr().err


def test_provisional_year_in_json(history_csv, tmp_path):
    out = tmp_path / "fc.json"
    rc = main(
        [
            "forecast",
            str(history_csv),
            "--start",
            "2026-12-28",
            "--horizon-weeks",
            "2",
            "--granularity",
            "day",
            "-o",
            str(out),
            "-q",
        ]
    )
    assert rc == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["provisional_years"] == [2027]
    assert any("2027" in w for w in data["warnings"])


def test_backtest_table_and_file(history_csv, tmp_path, capsys):
    bt = tmp_path / "bt.csv"
    rc = main(["forecast", str(history_csv), "--backtest-weeks", "1", "--backtest-output", str(bt)])
    out = capsys.readouterr()
    assert rc == 0
    assert "seasonal_naive" in out.out and "WAPE" in out.out
    rows = list(csv.DictReader(bt.open(encoding="utf-8")))
    assert {(r["queue"], r["level"], r["method"]) for r in rows} >= {
        ("general", "interval", "model"),
        ("vip", "day", "seasonal_naive"),
        ("*", "interval", "model"),
    }
    assert all(0 <= float(r["wape"]) < 1 for r in rows)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (
            "interval_start,queue,volume,aht_seconds\n2025-01-06T09:00,q,10,300\n"
            "2025-01-06T09:30,q,abc,300\n",
            "row 3, column 'volume'",
        ),
        (
            "interval_start,queue,volume\n2025-01-06T09:00,q,10\nnot-a-time,q,5\n",
            "row 3, column 'interval_start'",
        ),
        (
            "interval_start,queue,volume\n2025-01-06T09:00,q,10\n2025-01-06T09:30,q,-4\n",
            "row 3, column 'volume'",
        ),
        (
            "interval_start,queue,volume\n2025-01-06T09:00,q,10\n2025-01-06T09:00,q,4\n",
            "row 3, column 'interval_start'",
        ),
        (
            "interval_start,queue,volume\n2025-01-06T09:00,q,10\n2025-01-06T09:30+08:00,q,4\n",
            "row 3, column 'interval_start'",
        ),
        ("queue,volume\nq,10\n", "missing column 'interval_start'"),
        ("interval_start,queue,volume\n2025-01-06T09:00,q,10\n", "at least 14"),
    ],
)
def test_bad_history_exits_2_naming_row_and_column(tmp_path, capsys, text, needle):
    path = _write(tmp_path, "bad.csv", text)
    rc = main(["forecast", str(path)])
    assert rc == 2
    assert needle in capsys.readouterr().err


def test_bad_side_files_and_options(history_csv, tmp_path, capsys):
    hol = _write(tmp_path, "hol.csv", "date,kind,name\n2025-10-01,holiday,x\n2025-10-02,party,y\n")
    assert main(["forecast", str(history_csv), "--holidays", str(hol)]) == 2
    assert "row 3, column 'kind'" in capsys.readouterr().err
    ev = _write(tmp_path, "ev.csv", "name,start_date,end_date,uplift\nx,2025-10-05,2025-10-01,\n")
    assert main(["forecast", str(history_csv), "--events", str(ev)]) == 2
    assert "row 2, column 'end_date'" in capsys.readouterr().err
    ev = _write(tmp_path, "ev2.csv", "name,start_date,end_date,uplift\nx,2025-10-05,,0\n")
    assert main(["forecast", str(history_csv), "--events", str(ev)]) == 2
    assert "column 'uplift'" in capsys.readouterr().err
    assert main(["forecast", str(history_csv), "--horizon-weeks", "65"]) == 2
    assert "horizon" in capsys.readouterr().err
    assert main(["forecast", str(history_csv), "--interval-minutes", "45"]) == 2
    assert "interval_minutes" in capsys.readouterr().err
    assert main(["forecast", str(tmp_path / "nope.csv")]) == 2


def test_gb18030_file_is_read(tmp_path, capsys):
    lines = ["interval_start,queue,volume"]
    for d in range(21):
        for h in (9, 10):
            ts = dt.datetime(2025, 3, 3, h) + dt.timedelta(days=d)
            lines.append(f"{ts:%Y/%m/%d %H:%M},售后,{10 + h}")
    path = tmp_path / "gbk.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    assert main(["forecast", str(path), "--horizon-weeks", "1", "-q"]) == 0
    out = capsys.readouterr().out
    assert "售后" in out


def test_documented_examples_run(tmp_path, capsys):
    out = tmp_path / "example.csv"
    rc = main(
        [
            "forecast",
            str(DOCS / "forecast_history.csv"),
            "--events",
            str(DOCS / "forecast_events.csv"),
            "--holidays",
            str(DOCS / "forecast_holidays.csv"),
            "--horizon-weeks",
            "4",
            "--output",
            str(out),
        ]
    )
    assert rc == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 2 * 28 * 48
    for p in DOCS.glob("forecast_*.csv"):
        assert p.stat().st_size < 200_000
