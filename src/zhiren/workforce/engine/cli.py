"""``zhiren wfm …``: the engine on the command line (no Django needed).

Each sub-command lives in its own module exposing ``register(subparsers)``;
the registered handler returns a process exit code. Only the module of the
sub-command being run is imported (the roster's OR-Tools and the simulation's
scipy.stats cost more than a week of staffing itself); ``zhiren wfm --help``
imports them all to list them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import EngineInputError

# sub-command → the module that registers it
COMMANDS = {
    "staffing": "cli_staffing",
    "simulate": "cli_staffing",
    "forecast": "cli_forecast",
    "roster": "roster_io.cli",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command`` (a known sub-command), only that sub-command's module is loaded."""
    parser = argparse.ArgumentParser(prog="zhiren wfm", description="Workforce engine commands.")
    sub = parser.add_subparsers(dest="command", required=True)
    names = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in names:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:  # a sub-command not built yet
            if exc.name != f"{__package__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except EngineInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: file not found: {exc.filename}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
