"""``zhiren wfm staffing`` / ``simulate``: the CSV contract, errors naming row and column, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zhiren.workforce.engine.cli import main
from zhiren.workforce.engine.erlang_a import erlang_a_metrics
from zhiren.workforce.engine.erlang_c import erlang_c_required_agents, erlang_c_service_level

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "wfm"
CONTRACT = [
    "interval_start",
    "volume",
    "aht_seconds",
    "traffic_erlangs",
    "agents_required",
    "agents_with_shrinkage",
    "service_level",
    "asa_seconds",
    "occupancy",
]


def _run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def _write(tmp_path, text, name="in.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_erlang_c_contract_on_the_example(capsys):
    code, out, err = _run(
        [
            "staffing",
            "--input",
            str(EXAMPLES / "staffing_example.csv"),
            "--output",
            "-",
            "--service-level",
            "0.8",
            "--answer-time-target",
            "20",
            "--shrinkage",
            "0.3",
        ],
        capsys,
    )
    assert code == 0, err
    rows = _rows(out)
    assert list(rows[0].keys()) == CONTRACT
    assert len(rows) == 56
    for row in rows:
        volume, aht = float(row["volume"]), float(row["aht_seconds"])
        traffic = volume * aht / 900.0
        assert float(row["traffic_erlangs"]) == pytest.approx(traffic, abs=1e-6)
        need = int(row["agents_required"])
        assert need == erlang_c_required_agents(
            traffic, aht, service_level_target=0.8, answer_time_target_s=20
        )
        assert int(row["agents_with_shrinkage"]) == int(np.ceil(need / 0.7 - 1e-9))
        assert float(row["service_level"]) == pytest.approx(
            float(erlang_c_service_level(need, traffic, aht, 20)), abs=1e-6
        )
        assert float(row["service_level"]) >= 0.8
        assert float(row["occupancy"]) == pytest.approx(traffic / need, abs=1e-6)


def test_bom_input_and_default_aht_and_output_file(tmp_path, capsys):
    path = _write(
        tmp_path,
        "interval_start,volume\n2026-03-02T09:00:00+08:00,120\n2026-03-02T09:15:00+08:00,0\n",
        encoding="utf-8-sig",
    )
    assert Path(path).read_bytes().startswith(b"\xef\xbb\xbf")
    out_path = tmp_path / "out.csv"
    code, _, err = _run(
        [
            "staffing",
            "--input",
            path,
            "--output",
            str(out_path),
            "--aht-seconds",
            "240",
            "--asa-target",
            "15",
            "--max-occupancy",
            "85%",
            "--interval-minutes",
            "15",
        ],
        capsys,
    )
    assert code == 0, err
    rows = _rows(out_path.read_text(encoding="utf-8"))
    assert rows[0]["interval_start"] == "2026-03-02T09:00:00+08:00"
    assert rows[0]["aht_seconds"] == "240"
    assert float(rows[0]["asa_seconds"]) <= 15
    assert float(rows[0]["occupancy"]) <= 0.85
    assert rows[1]["agents_required"] == "0" and rows[1]["agents_with_shrinkage"] == "0"


def test_erlang_a_adds_abandon_rate(tmp_path, capsys):
    path = _write(tmp_path, "interval_start,volume,aht_seconds\n2026-03-02T10:00:00,3000,300\n")
    code, out, err = _run(
        [
            "staffing",
            "--input",
            path,
            "--model",
            "erlang-a",
            "--patience-seconds",
            "120",
            "--service-level",
            "0.8",
            "--answer-time-target",
            "20",
        ],
        capsys,
    )
    assert code == 0, err
    row = _rows(out)[0]
    assert list(row.keys()) == [*CONTRACT, "abandon_rate"]
    need = int(row["agents_required"])
    assert need < 1000  # 1000 Erlangs offered: abandonment lets fewer agents meet 80/20
    exact = erlang_a_metrics(need, 1000.0, 300.0, 120.0, 20.0)
    assert float(row["abandon_rate"]) == pytest.approx(float(exact.abandon_rate), abs=1e-6)
    assert float(row["service_level"]) == pytest.approx(
        float(exact.service_level_offered), abs=1e-6
    )


def test_chat_model_with_concurrency_profile(capsys):
    code, out, err = _run(
        [
            "staffing",
            "--input",
            str(EXAMPLES / "staffing_chat_example.csv"),
            "--model",
            "chat",
            "--aht-by-concurrency",
            "300,390,480",
            "--service-level",
            "0.8",
            "--answer-time-target",
            "30",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0, err
    data = json.loads(out)["intervals"]
    assert len(data) == 8
    assert all(d["service_level"] >= 0.8 for d in data)
    assert all(d["aht_seconds"] == 300 for d in data)
    # three chats per agent: fewer agents than single-chat Erlangs
    assert all(d["agents_required"] < d["traffic_erlangs"] for d in data)


@pytest.mark.parametrize(
    ("content", "row", "column"),
    [
        (
            "interval_start,volume,aht_seconds\n2026-03-02T09:00:00,100,300\n2026-03-02T09:15:00,abc,300\n",
            3,
            "volume",
        ),
        (
            "interval_start,volume,aht_seconds\n2026-03-02T09:00:00,100,300\n2026-03-02T09:15:00,-4,300\n",
            3,
            "volume",
        ),
        ("interval_start,volume,aht_seconds\n2026-03-02T09:00:00,100,0\n", 2, "aht_seconds"),
        ("interval_start,volume,aht_seconds\nnot-a-date,100,300\n", 2, "interval_start"),
    ],
)
def test_bad_row_names_row_and_column_and_exits_2(tmp_path, capsys, content, row, column):
    path = _write(tmp_path, content)
    code, out, err = _run(
        ["staffing", "--input", path, "--service-level", "0.8", "--answer-time-target", "20"],
        capsys,
    )
    assert code == 2
    assert f"row {row}" in err and f"column '{column}'" in err
    assert out == ""


def test_missing_column_and_missing_aht(tmp_path, capsys):
    path = _write(tmp_path, "interval_start,calls\n2026-03-02T09:00:00,100\n")
    code, _, err = _run(
        ["staffing", "--input", path, "--aht-seconds", "300", "--asa-target", "20"], capsys
    )
    assert code == 2 and "volume" in err and "row 1" in err
    path = _write(tmp_path, "interval_start,volume\n2026-03-02T09:00:00,100\n")
    code, _, err = _run(["staffing", "--input", path, "--asa-target", "20"], capsys)
    assert code == 2 and "--aht-seconds" in err


@pytest.mark.parametrize(
    "extra",
    [
        [
            "--model",
            "erlang-a",
            "--service-level",
            "0.8",
            "--answer-time-target",
            "20",
        ],  # no patience
        ["--service-level", "0.8"],  # no answer time target
        [],  # no target at all
        [
            "--model",
            "chat",
            "--concurrency",
            "2",
            "--aht-by-concurrency",
            "300,360,400",
            "--asa-target",
            "20",
        ],
        ["--shrinkage", "1.2", "--asa-target", "20"],
    ],
)
def test_bad_options_exit_2(tmp_path, capsys, extra):
    path = _write(tmp_path, "interval_start,volume,aht_seconds\n2026-03-02T09:00:00,100,300\n")
    code, _, err = _run(["staffing", "--input", path, *extra], capsys)
    assert code == 2
    assert err.startswith("error:")


def test_missing_file_exits_2(tmp_path, capsys):
    code, _, err = _run(
        ["staffing", "--input", str(tmp_path / "nope.csv"), "--asa-target", "20"], capsys
    )
    assert code == 2 and "nope.csv" in err


def test_simulate_reads_staffing_output(tmp_path, capsys):
    path = _write(tmp_path, "interval_start,volume,aht_seconds\n2026-03-02T09:00:00,60,300\n")
    plan = tmp_path / "plan.csv"
    code, _, err = _run(
        [
            "staffing",
            "--input",
            path,
            "--output",
            str(plan),
            "--service-level",
            "0.8",
            "--answer-time-target",
            "20",
        ],
        capsys,
    )
    assert code == 0, err
    code, out, err = _run(
        [
            "simulate",
            "--input",
            str(plan),
            "--replications",
            "8",
            "--window-intervals",
            "20",
            "--seed",
            "4",
        ],
        capsys,
    )
    assert code == 0, err
    row = _rows(out)[0]
    planned = _rows(plan.read_text())[0]
    assert row["agents"] == planned["agents_required"]
    assert int(row["contacts_simulated"]) > 500
    assert abs(float(row["service_level"]) - float(planned["service_level"])) <= 0.1
    assert float(row["abandon_rate"]) == 0


def test_simulate_bad_agents_cell(tmp_path, capsys):
    path = _write(
        tmp_path, "interval_start,volume,aht_seconds,agents\n2026-03-02T09:00:00,60,300,2.5\n"
    )
    code, _, err = _run(["simulate", "--input", path], capsys)
    assert code == 2 and "row 2" in err and "column 'agents'" in err


def test_console_script_end_to_end():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from zhiren.workforce.engine.cli import main; raise SystemExit(main())",
            "staffing",
            "--input",
            "-",
            "--aht-seconds",
            "300",
            "--service-level",
            "0.8",
            "--answer-time-target",
            "20",
        ],
        input="\ufeffinterval_start,volume\n2026-03-02T09:00:00,xyz\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 2
    assert "row 2" in proc.stderr and "column 'volume'" in proc.stderr


def test_json_input_rows_are_numbered_from_one(tmp_path, capsys):
    good = [{"interval_start": "2026-03-02T09:00:00", "volume": 100, "aht_seconds": 300}]
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"intervals": good}), encoding="utf-8")
    code, out, err = _run(["staffing", "--input", str(path), "--asa-target", "20"], capsys)
    assert code == 0, err
    assert _rows(out)[0]["agents_required"] == str(
        int(erlang_c_required_agents(100 * 300 / 900, 300, asa_target_s=20))
    )
    path.write_text(
        json.dumps([*good, {"interval_start": "2026-03-02T09:15:00", "volume": None}]),
        encoding="utf-8",
    )
    code, _, err = _run(["staffing", "--input", str(path), "--asa-target", "20"], capsys)
    assert code == 2 and "row 2" in err and "column 'volume'" in err


@pytest.mark.parametrize(
    "model_args",
    [
        ["--model", "erlang-a", "--patience-seconds", "90"],
        ["--model", "chat", "--aht-by-concurrency", "300,360"],
    ],
)
def test_simulate_other_models(tmp_path, capsys, model_args):
    path = _write(
        tmp_path,
        "interval_start,volume,aht_seconds,agents\n2026-03-02T09:00:00,40,300,6\n2026-03-02T09:15:00,0,300,2\n",
    )
    code, out, err = _run(
        [
            "simulate",
            "--input",
            path,
            *model_args,
            "--replications",
            "4",
            "--window-intervals",
            "4",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0, err
    first, empty = json.loads(out)["intervals"]
    assert first["contacts_simulated"] > 50
    assert 0 <= first["service_level"] <= 1 and first["service_level_ci"] >= 0
    if "erlang-a" in model_args:
        assert first["abandon_rate"] > 0
    assert empty["contacts_simulated"] == 0 and empty["service_level"] == 1


@pytest.mark.parametrize(
    ("argv", "absent"),
    [
        (["staffing", "--input", str(EXAMPLES / "staffing_example.csv"), "--service-level", "0.8",
          "--answer-time-target", "20"],
         ("ortools", "pandas", "scipy.stats", "zhiren.workforce.engine.simulation",
          "zhiren.workforce.engine.forecast", "zhiren.workforce.engine.roster")),
        (["forecast", "--help"], ("ortools", "pandas", "scipy.stats", "zhiren.workforce.engine.roster")),
    ],
    ids=["staffing", "forecast"],
)
def test_a_sub_command_imports_only_what_it_uses(tmp_path, argv, absent):
    """Start-up is most of what a user waits for on a week of staffing: OR-Tools, pandas and
    scipy.stats (roster and simulation) cost more than the staffing itself, so they stay out."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "zhiren.cli", "wfm", *argv],
                          capture_output=True, text=True, timeout=120)
    errors = "\n".join(line for line in proc.stderr.splitlines() if not line.startswith("import time:"))
    assert proc.returncode == 0, errors
    if argv[0] == "staffing":
        assert proc.stdout.startswith("interval_start,")  # the week was staffed
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "zhiren.workforce.engine.cli" in imported
    assert not {name for name in imported if name.split(".")[0] in absent or name in absent
                or any(name.startswith(a + ".") for a in absent)}
