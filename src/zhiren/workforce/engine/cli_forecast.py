"""``zhiren wfm forecast``: forecast volume and AHT from an interval-history CSV."""

from __future__ import annotations

import argparse
import sys

from .backtest import backtest_histories
from .calendar_cn import HolidayCalendar
from .errors import EngineInputError
from .forecast import MAX_HORIZON_WEEKS, ForecastConfig, build_histories, fit_histories
from .forecast_io import (
    backtest_to_csv,
    backtest_to_dict,
    forecast_to_csv,
    forecast_to_dict,
    parse_date,
    read_events_csv,
    read_history_csv,
    read_holidays_csv,
    write_output,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "forecast",
        help="forecast contact volume and AHT per interval or per day",
        description=(
            "Fit weekday x interval profiles, trend, yearly effects, Chinese holidays and "
            "events on interval history, then forecast volume and AHT."
        ),
    )
    p.add_argument("history", help="CSV: interval_start, queue, volume, aht_seconds")
    p.add_argument(
        "--events",
        help="CSV: name, peak_date, family (optional): a promotion's profile around its peak "
        "is learned from its family's past occurrences; or name, start_date, end_date, uplift",
    )
    p.add_argument("--holidays", help="CSV: date, kind (holiday|workday), name; extends/overrides")
    p.add_argument(
        "--horizon-weeks", type=int, default=8, help=f"1..{MAX_HORIZON_WEEKS} (default 8)"
    )
    p.add_argument("--start", help="first forecast date (default: day after the history)")
    p.add_argument("--interval-minutes", type=int, help="output interval (multiple of history's)")
    p.add_argument("--granularity", choices=("interval", "day"), default="interval")
    p.add_argument("--trend", choices=("damped", "linear", "none"), default="damped")
    p.add_argument("--backtest-weeks", type=int, help="hold out the last N weeks and score")
    p.add_argument("--backtest-output", help="write the backtest table (.csv or .json)")
    p.add_argument(
        "--output",
        "-o",
        help="forecast file, .csv or .json; '-' = CSV on stdout (default when not backtesting)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no model description on stderr")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.horizon_weeks <= MAX_HORIZON_WEEKS:
        raise EngineInputError(
            f"--horizon-weeks must be 1..{MAX_HORIZON_WEEKS}, got {args.horizon_weeks}"
        )
    history = read_history_csv(args.history)
    events = read_events_csv(args.events) if args.events else []
    calendar = HolidayCalendar(read_holidays_csv(args.holidays) if args.holidays else [])
    config = ForecastConfig(trend=args.trend)
    start = parse_date(args.start, row=None, column="--start") if args.start else None
    histories, aware = build_histories(history)
    err = sys.stderr
    output = args.output
    if output is None and not args.backtest_weeks:
        output = "-"

    if args.backtest_weeks:
        report = backtest_histories(
            histories,
            weeks=args.backtest_weeks,
            events=events,
            calendar=calendar,
            config=config,
            interval_minutes=args.interval_minutes,
        )
        table_stream = err if output == "-" else sys.stdout
        print(report.table(), file=table_stream)
        if args.backtest_output:
            write_output(
                args.backtest_output,
                lambda fh: backtest_to_csv(report, fh),
                lambda: backtest_to_dict(report),
                sys.stdout,
            )

    if output:
        model = fit_histories(
            histories, events=events, calendar=calendar, config=config, aware=aware
        )
        result = model.predict(
            start=start,
            horizon_weeks=args.horizon_weeks,
            interval_minutes=args.interval_minutes,
            granularity=args.granularity,
        )
        if not args.quiet:
            print(result.model_description, file=err)
        for w in result.warnings:
            print(f"warning: {w}", file=err)
        try:
            write_output(
                output,
                lambda fh: forecast_to_csv(result, fh),
                lambda: forecast_to_dict(result),
                sys.stdout,
            )
        except BrokenPipeError:  # e.g. piped into `head`
            return 0
    return 0
