"""``zhiren wfm staffing`` and ``zhiren wfm simulate`` (formats in docs/wfm/staffing.md).

Input: CSV (UTF-8, with or without BOM) with a header row and the columns
``interval_start`` (ISO 8601), ``volume`` and optionally ``aht_seconds``; a
``.json`` input may instead hold a list of objects with the same keys.
``simulate`` also needs the agents per interval, in a column ``agents`` (or
``agents_required``, so a ``staffing`` output can be fed back in).  Rows are
numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from .errors import EngineInputError
from .staffing import MODELS, StaffingTargets, staff_chat, staff_erlang_a, staff_erlang_c

Cell = str | float | np.integer | np.floating | None
"""One value of an output row (``int`` counts as a ``float`` here)."""

STAFFING_COLUMNS = (
    "interval_start",
    "volume",
    "aht_seconds",
    "traffic_erlangs",
    "agents_required",
    "agents_with_shrinkage",
    "service_level",
    "asa_seconds",
    "occupancy",
)


@dataclass
class IntervalRows:
    """Parsed input: one entry per data row."""

    starts: list[str]
    volume: np.ndarray
    aht_s: np.ndarray  # from the aht_seconds column, else the default (see has_aht_column)
    agents: np.ndarray | None  # None unless read with need_agents
    has_aht_column: bool


# ---------------------------------------------------------------- reading


def _read_text(path: str) -> tuple[str, str]:
    if path == "-":
        raw = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        raw = Path(path).read_bytes()
        name = path
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        raise EngineInputError(f"{name} is not UTF-8 text (byte {exc.start})") from None


def _records(path: str) -> list[tuple[int, dict[str, str]]]:
    """``(spreadsheet row number, {column: text})`` for each data row."""
    text, name = _read_text(path)
    if name.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise EngineInputError(f"{name} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
        if isinstance(data, dict) and "intervals" in data:
            data = data["intervals"]
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise EngineInputError(f"{name}: expected a list of objects (or {{\"intervals\": [...]}})")
        # JSON rows are numbered from 1 (the first object)
        return [
            (i, {str(k).strip(): "" if v is None else str(v) for k, v in item.items()})
            for i, item in enumerate(data, start=1)
        ]
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise EngineInputError("the input is empty", row=1) from None
    missing = [c for c in ("interval_start", "volume") if c not in header]
    if missing:
        raise EngineInputError(f"missing column(s) {', '.join(missing)} (header: {', '.join(header)})", row=1)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise EngineInputError(f"{len(values)} values but the header has {len(header)} columns", row=number)
        rows.append((number, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}))
    if not rows:
        raise EngineInputError("the input has a header but no data rows", row=2)
    return rows


def _number(text: str, *, row: int, column: str, minimum: float, strict: bool = False) -> float:
    try:
        value = float(text)
    except ValueError:
        raise EngineInputError(f"not a number: {text!r}", row=row, column=column) from None
    if not math.isfinite(value) or value < minimum or (strict and value == minimum):
        bound = f"> {minimum:g}" if strict else f">= {minimum:g}"
        raise EngineInputError(f"must be a finite number {bound}, got {text!r}", row=row, column=column)
    return value


def read_intervals(path: str, *, default_aht_s: float | None, need_agents: bool = False) -> IntervalRows:
    """Parse and validate the interval file (errors name the row and the column)."""
    records = _records(path)
    keys = set().union(*(r.keys() for _, r in records))
    for required in ("interval_start", "volume"):
        if required not in keys:
            raise EngineInputError(f"missing column '{required}'", row=1)
    has_aht = "aht_seconds" in keys
    if not has_aht and default_aht_s is None:
        raise EngineInputError("no aht_seconds column: pass --aht-seconds", column="aht_seconds")
    agent_column = "agents" if "agents" in keys else ("agents_required" if "agents_required" in keys else None)
    if need_agents and agent_column is None:
        raise EngineInputError("missing column 'agents' (or 'agents_required')", row=1)
    starts, volume, aht, agents = [], [], [], []
    for number, record in records:
        start = record.get("interval_start", "").strip()
        try:
            datetime.fromisoformat(start)
        except ValueError:
            raise EngineInputError(
                f"not an ISO 8601 date-time: {start!r}", row=number, column="interval_start"
            ) from None
        starts.append(start)
        volume.append(_number(record.get("volume", ""), row=number, column="volume", minimum=0.0))
        cell = record.get("aht_seconds", "").strip() if has_aht else ""
        if cell:
            aht.append(_number(cell, row=number, column="aht_seconds", minimum=0.0, strict=True))
        elif default_aht_s is not None:
            aht.append(default_aht_s)
        else:
            raise EngineInputError("empty, and no --aht-seconds to fall back on", row=number, column="aht_seconds")
        if agent_column is not None and need_agents:
            value = _number(record.get(agent_column, ""), row=number, column=agent_column, minimum=0.0)
            if value != int(value):
                raise EngineInputError(f"must be a whole number, got {value:g}", row=number, column=agent_column)
            agents.append(int(value))
    return IntervalRows(
        starts=starts,
        volume=np.array(volume),
        aht_s=np.array(aht),
        agents=np.array(agents, dtype=np.int64) if need_agents else None,
        has_aht_column=has_aht,
    )


# ---------------------------------------------------------------- options


def _fraction(text: str) -> float:
    """``0.8`` or ``80%``."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100.0 if raw.endswith("%") else float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a fraction: {text!r} (use 0.8 or 80%)") from None
    return value


def _seconds_list(text: str) -> list[float]:
    try:
        values = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of seconds: {text!r}") from None
    if not values:
        raise argparse.ArgumentTypeError("empty list")
    return values


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", required=True, help="CSV (or .json) file of intervals; '-' for stdin")
    parser.add_argument("--output", default="-", help="output file; '-' (default) for stdout")
    parser.add_argument("--format", choices=("csv", "json"), default=None, help="output format (default: from --output, else csv)")
    parser.add_argument("--interval-minutes", type=float, default=15.0, help="interval length (default 15)")
    parser.add_argument("--aht-seconds", type=float, default=None, help="AHT when the input has no aht_seconds column")
    parser.add_argument("--model", choices=MODELS, default="erlang-c", help="queueing model (default erlang-c)")
    parser.add_argument("--patience-seconds", type=float, default=None, help="mean patience (erlang-a)")
    parser.add_argument("--concurrency", type=int, default=None, help="chats per agent at most (chat)")
    parser.add_argument(
        "--aht-by-concurrency",
        type=_seconds_list,
        default=None,
        help="chat AHT in seconds at concurrency 1, 2, ..., k, e.g. 300,360,420 (chat)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staffing = subparsers.add_parser(
        "staffing",
        help="required agents per interval (Erlang C, Erlang A, chat)",
        description="Required agents per interval; see docs/wfm/staffing.md.",
    )
    _add_common(staffing)
    staffing.add_argument("--service-level", type=_fraction, default=None, help="e.g. 0.8 or 80%% (with --answer-time-target)")
    staffing.add_argument("--answer-time-target", type=float, default=None, help="seconds, e.g. 20 for 80/20")
    staffing.add_argument(
        "--service-level-basis",
        choices=("offered", "answered"),
        default="offered",
        help="erlang-a: answered within T over offered (default) or over answered",
    )
    staffing.add_argument("--asa-target", type=float, default=None, help="max average speed of answer, seconds")
    staffing.add_argument("--max-occupancy", type=_fraction, default=None, help="e.g. 0.85 or 85%%")
    staffing.add_argument("--max-abandon-rate", type=_fraction, default=None, help="erlang-a: e.g. 0.05")
    staffing.add_argument("--shrinkage", type=_fraction, default=0.0, help="e.g. 0.3 or 30%% (default 0)")
    staffing.set_defaults(handler=run_staffing)

    simulate = subparsers.add_parser(
        "simulate",
        help="discrete-event simulation of a staffing plan",
        description="Simulate each interval's queue with the given agents; see docs/wfm/staffing.md.",
    )
    _add_common(simulate)
    simulate.add_argument("--answer-time-target", type=float, default=20.0, help="seconds (default 20)")
    simulate.add_argument("--replications", type=int, default=10, help="independent runs per interval (default 10)")
    simulate.add_argument(
        "--window-intervals", type=float, default=1.0, help="measured window per run, in intervals (default 1)"
    )
    simulate.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    simulate.set_defaults(handler=run_simulate)


def _chat_table(args: argparse.Namespace, rows: IntervalRows) -> np.ndarray:
    """Per-interval AHT by concurrency (rows x k)."""
    profile = args.aht_by_concurrency
    k = args.concurrency
    if profile is None:
        if k is None:
            raise EngineInputError("the chat model needs --concurrency or --aht-by-concurrency", column="--concurrency")
        if k < 1:
            raise EngineInputError("must be >= 1", column="--concurrency")
        return np.repeat(rows.aht_s[:, None], k, axis=1)
    if k is not None and k != len(profile):
        raise EngineInputError(
            f"--concurrency {k} but --aht-by-concurrency lists {len(profile)} values", column="--concurrency"
        )
    base = np.asarray(profile, dtype=float)
    if np.any(~(base > 0)):
        raise EngineInputError("every AHT must be > 0 seconds", column="--aht-by-concurrency")
    if rows.has_aht_column:
        # the row's aht_seconds is the AHT at concurrency 1; the profile gives the growth
        scaled: np.ndarray = rows.aht_s[:, None] * (base / base[0])[None, :]
        return scaled
    return np.repeat(base[None, :], rows.volume.size, axis=0)


def _check_model_options(args: argparse.Namespace) -> None:
    if args.model == "erlang-a":
        if args.patience_seconds is None:
            raise EngineInputError("the erlang-a model needs --patience-seconds", column="--patience-seconds")
        if not (args.patience_seconds > 0 and math.isfinite(args.patience_seconds)):
            raise EngineInputError("must be > 0", column="--patience-seconds")
    if not args.interval_minutes > 0:
        raise EngineInputError("must be > 0", column="--interval-minutes")
    if args.aht_seconds is not None and not args.aht_seconds > 0:
        raise EngineInputError("must be > 0", column="--aht-seconds")


def _default_aht(args: argparse.Namespace) -> float | None:
    if args.aht_seconds is not None:
        return float(args.aht_seconds)
    if args.model == "chat" and args.aht_by_concurrency:
        return float(args.aht_by_concurrency[0])
    return None


def _format_value(value: Cell) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if math.isinf(value):
        return "inf"
    return f"{float(value):.6f}".rstrip("0").rstrip(".") if value != 0 else "0"


def _write(args: argparse.Namespace, columns: list[str], records: list[dict[str, Cell]]) -> None:
    fmt = args.format or ("json" if args.output.lower().endswith(".json") else "csv")
    if fmt == "json":
        def clean(v: Cell) -> Cell:
            if isinstance(v, np.integer):
                return int(v)
            if isinstance(v, (float, np.floating)):
                return None if not math.isfinite(float(v)) else round(float(v), 9)
            return v

        text = json.dumps({"intervals": [{c: clean(r[c]) for c in columns} for r in records]}, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([_format_value(record[c]) for c in columns])
        text = buffer.getvalue()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- commands


def run_staffing(args: argparse.Namespace) -> int:
    _check_model_options(args)
    if not 0.0 <= args.shrinkage < 1.0:
        raise EngineInputError("must be in [0, 1)", column="--shrinkage")
    rows = read_intervals(args.input, default_aht_s=_default_aht(args))
    interval_s = args.interval_minutes * 60.0
    targets = StaffingTargets(
        service_level=args.service_level,
        answer_time_target_s=args.answer_time_target,
        asa_target_s=args.asa_target,
        max_occupancy=args.max_occupancy,
        max_abandon_rate=args.max_abandon_rate,
        service_level_basis=args.service_level_basis,
    )
    if args.model == "erlang-c":
        plan = staff_erlang_c(rows.volume, rows.aht_s, interval_s, targets, args.shrinkage)
        aht_out = rows.aht_s
    elif args.model == "erlang-a":
        plan = staff_erlang_a(rows.volume, rows.aht_s, interval_s, targets, args.patience_seconds, args.shrinkage)
        aht_out = rows.aht_s
    else:
        table = _chat_table(args, rows)
        plan = staff_chat(rows.volume, interval_s, table, targets, args.shrinkage)
        aht_out = table[:, 0]
    columns = list(STAFFING_COLUMNS) + (["abandon_rate"] if plan.abandon_rate is not None else [])
    records: list[dict[str, Cell]] = []
    for i, start in enumerate(rows.starts):
        record: dict[str, Cell] = {
            "interval_start": start,
            "volume": float(rows.volume[i]),
            "aht_seconds": float(aht_out[i]),
            "traffic_erlangs": float(plan.traffic_erlangs[i]),
            "agents_required": int(plan.agents_required[i]),
            "agents_with_shrinkage": int(plan.agents_with_shrinkage[i]),
            "service_level": float(plan.service_level[i]),
            "asa_seconds": float(plan.asa_s[i]),
            "occupancy": float(plan.occupancy[i]),
        }
        if plan.abandon_rate is not None:
            record["abandon_rate"] = float(plan.abandon_rate[i])
        records.append(record)
    _write(args, columns, records)
    return 0


SIMULATE_COLUMNS = (
    "interval_start",
    "volume",
    "aht_seconds",
    "agents",
    "contacts_simulated",
    "service_level",
    "service_level_ci",
    "asa_seconds",
    "asa_seconds_ci",
    "abandon_rate",
    "abandon_rate_ci",
    "occupancy",
    "occupancy_ci",
)


def run_simulate(args: argparse.Namespace) -> int:
    from .simulation import simulate_chat, simulate_voice  # scipy.stats: only when simulating

    _check_model_options(args)
    if args.replications < 2:
        raise EngineInputError("must be >= 2", column="--replications")
    if not args.window_intervals > 0:
        raise EngineInputError("must be > 0", column="--window-intervals")
    rows = read_intervals(args.input, default_aht_s=_default_aht(args), need_agents=True)
    interval_s = args.interval_minutes * 60.0
    window = interval_s * args.window_intervals
    agent_counts = rows.agents
    assert agent_counts is not None  # read with need_agents
    table = _chat_table(args, rows) if args.model == "chat" else None
    records: list[dict[str, Cell]] = []
    for i, start in enumerate(rows.starts):
        agents, volume = int(agent_counts[i]), float(rows.volume[i])
        record: dict[str, Cell] = {"interval_start": start, "volume": volume, "agents": agents}
        record["aht_seconds"] = float(table[i, 0] if table is not None else rows.aht_s[i])
        rate = volume / interval_s
        if volume == 0 or agents == 0:
            empty = volume == 0
            record.update(
                contacts_simulated=0,
                service_level=1.0 if empty else 0.0,
                asa_seconds=0.0 if empty else math.inf,
                abandon_rate=0.0 if empty or args.model != "erlang-a" else 1.0,
                occupancy=0.0 if empty else 1.0,
                service_level_ci=0.0,
                asa_seconds_ci=0.0,
                abandon_rate_ci=0.0,
                occupancy_ci=0.0,
            )
            records.append(record)
            continue
        common = {
            "answer_time_target_s": args.answer_time_target,
            "window_s": window,
            "replications": args.replications,
            "seed": args.seed + i,
        }
        if table is not None:  # the chat model
            result = simulate_chat(agents, rate, table[i], **common)
        else:
            patience = args.patience_seconds if args.model == "erlang-a" else None
            result = simulate_voice(agents, rate, float(rows.aht_s[i]), patience_s=patience, **common)
        level = result["service_level_offered"]
        record.update(
            contacts_simulated=result.contacts,
            service_level=level.mean,
            service_level_ci=level.half_width,
            asa_seconds=result["asa_s"].mean,
            asa_seconds_ci=result["asa_s"].half_width,
            abandon_rate=result["abandon_rate"].mean,
            abandon_rate_ci=result["abandon_rate"].half_width,
            occupancy=result["occupancy"].mean,
            occupancy_ci=result["occupancy"].half_width,
        )
        records.append(record)
    _write(args, list(SIMULATE_COLUMNS), records)
    return 0
