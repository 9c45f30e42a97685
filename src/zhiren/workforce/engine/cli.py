"""``zhiren wfm …``: the engine on the command line (no Django needed).

Each sub-command lives in its own module exposing ``register(subparsers)``;
the registered handler returns a process exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import EngineInputError

SUBCOMMAND_MODULES = ("cli_staffing", "cli_forecast", "roster_io.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhiren wfm", description="Workforce engine commands.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:  # a sub-command not built yet
            if exc.name != f"{__package__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
