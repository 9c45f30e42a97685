"""The ``zhiren`` console script.

``zhiren wfm …`` runs the pure workforce engine without Django. Every other
sub-command is a Django management command (``demo``, ``serve``, ``worker``,
``import``, ``export``, and any ``manage.py`` command as a passthrough).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "wfm":
        from zhiren.workforce.engine.cli import main as wfm_main

        return wfm_main(argv[1:])
    if argv and argv[0] == "manage":
        argv = argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiren.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhiren", *argv] if argv else ["zhiren", "help"])
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
