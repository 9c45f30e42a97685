"""``zhiren wfm roster``: files in and out, errors naming the JSON field."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from zhiren.workforce.engine.cli import main
from zhiren.workforce.engine.roster_io import load_problem

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "wfm" / "roster_example.json"


def test_example_file_solves_and_writes_json_and_csv(tmp_path, capsys):
    out = tmp_path / "roster.json"
    cov = tmp_path / "coverage.csv"
    code = main(
        [
            "roster",
            "--input",
            str(EXAMPLE),
            "--output",
            str(out),
            "--coverage-csv",
            str(cov),
            "--time-limit",
            "5",
            "--workers",
            "1",
            "--seed",
            "3",
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["status"] in ("OPTIMAL", "FEASIBLE")
    assert data["solver"]["num_workers"] == 1
    assert data["solver"]["random_seed"] == 3
    assert data["solver"]["time_limit_s"] == 5.0
    assert set(data["rule_checks"]) >= {"min_rest", "transition_ban", "breaks"}
    assert all(v == 0 for v in data["rule_checks"].values())
    assert data["violations"] == []
    assert data["bound"] <= data["objective"]
    assert data["assignments"] and {
        "agent",
        "day",
        "template",
        "start",
        "end",
        "breaks",
        "queues",
    } <= set(data["assignments"][0])
    problem, _ = load_problem(EXAMPLE)
    rows = list(csv.DictReader(cov.open(encoding="utf-8")))
    assert len(rows) == problem.num_slots * len(problem.demand)
    missing = sum(int(r["under"]) for r in rows)
    assert missing == sum(u["missing"] for u in data["unmet_demand"])
    assert f"{len(data['assignments'])} shifts" in capsys.readouterr().out


def test_solver_section_of_the_file_is_used(tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["solver"] = {"time_limit_s": 3, "workers": 1, "seed": 11}
    src = tmp_path / "p.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["roster", "--input", str(src), "--output", str(out)]) == 0
    solver = json.loads(out.read_text(encoding="utf-8"))["solver"]
    assert (solver["time_limit_s"], solver["num_workers"], solver["random_seed"]) == (3.0, 1, 11)


def _broken(tmp_path, mutate):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    mutate(data)
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    return src


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d["agents"][2].pop("skills"), "agents[2].skills"),
        (lambda d: d["agents"][1].update(skills=["email"]), "agents[1].skills"),
        (lambda d: d["templates"][0].update(earliest_start="07:10"), "templates[0].earliest_start"),
        (
            lambda d: d["templates"][1]["breaks"][0].update(latest_after_minutes=900),
            "templates[1].breaks[0]",
        ),
        (lambda d: d["demand"]["voice"][4].update(end="25:70"), "demand.voice[4].end"),
        (lambda d: d["agents"][0].update(leave_days=[9]), "agents[0].leave_days[0]"),
        (
            lambda d: d["rules"].update(banned_transitions=[["night"]]),
            "rules.banned_transitions[0]",
        ),
        (
            lambda d: d["rules"].update(banned_transitions=[["night", "dawn"]]),
            "rules.banned_transitions[0]",
        ),
        (lambda d: d.update(days="seven"), "$.days"),
    ],
)
def test_bad_input_names_the_json_field_and_exits_non_zero(tmp_path, capsys, mutate, where):
    src = _broken(tmp_path, mutate)
    out = tmp_path / "r.json"
    code = main(["roster", "--input", str(src), "--output", str(out)])
    assert code == 2
    assert where in capsys.readouterr().err
    assert not out.exists()


def test_invalid_json_reports_the_line(tmp_path, capsys):
    src = tmp_path / "bad.json"
    src.write_text('{\n "days": 7,\n "agents": [,]\n}', encoding="utf-8")
    assert main(["roster", "--input", str(src), "--output", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "invalid JSON" in err


def test_missing_input_file(tmp_path, capsys):
    assert (
        main(
            ["roster", "--input", str(tmp_path / "nope.json"), "--output", str(tmp_path / "r.json")]
        )
        == 2
    )
    assert "nope.json" in capsys.readouterr().err


def test_per_interval_demand_lists_are_accepted(tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    problem, _ = load_problem(EXAMPLE)
    data["demand"] = dict(problem.demand)
    src = tmp_path / "p.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    again, _ = load_problem(src)
    assert again.demand == problem.demand
