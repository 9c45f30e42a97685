"""What the environment demands of a test run (CI exports these; see ``.ci/run``)."""

from __future__ import annotations

import os


def required(name: str) -> bool:
    """``ZHIREN_REQUIRE_BROWSER`` / ``ZHIREN_REQUIRE_POSTGRES`` set: fail where a run would skip.

    ``ZHIREN_REQUIRE_BROWSER``: the browser tests fail, not skip, without Playwright or chromium.
    ``ZHIREN_REQUIRE_POSTGRES``: the run stops at once unless the database is PostgreSQL.
    ``ZHIREN_REQUIRE_REDIS``: the tests that need Redis (``tests/scale``) fail, not skip, without it.
    """
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")
