from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# Every test starts at the same instant, so the suite never depends on the day it
# runs. The default is an ordinary Wednesday morning in the centre's time zone;
# CI runs the suite again at the moments customer-service teams also work and
# that calendars get wrong (``.ci/run``): a Saturday, a Sunday, a 调休 working
# Sunday, one minute before the new year. ``ZHIREN_TEST_NOW`` takes an ISO 8601
# date-time; without an offset it is read in Asia/Shanghai.
DEFAULT_TEST_NOW = "2026-03-11T10:00:00"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def clock_start() -> datetime:
    text = os.environ.get("ZHIREN_TEST_NOW") or DEFAULT_TEST_NOW
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise pytest.UsageError(
            f"ZHIREN_TEST_NOW={text!r} is not an ISO 8601 date-time (e.g. 2026-09-20T09:30)"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def pytest_report_header(config):
    return f"clock: every test starts at {clock_start().isoformat()} (ZHIREN_TEST_NOW)"


@pytest.fixture(autouse=True)
def _clock():
    """Start each test at ``clock_start()``; time then runs on as usual (``tick``).

    Tests that need another moment travel themselves with ``time_machine``.
    """
    with time_machine.travel(clock_start(), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _test_settings(request):
    """The real configuration, with a few test-only differences.

    Passwords hash fast; the test client speaks plain HTTP (no HTTPS redirect); uploads
    land in the test's own temporary folder;
    tasks run inline unless a test asks for the database backend and a worker.
    Code run outside a request (services, selectors) runs in English, and so
    does the ``client`` fixture, so tests can assert messages in one language.
    """
    if not request.config.pluginmanager.hasplugin("django"):
        return  # the pure engine tests also run with ``-p no:django``
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    # uploads (event photos) go to a per-test folder, never under var/media
    settings.MEDIA_ROOT = str(request.getfixturevalue("tmp_path") / "media")
    from django.utils import translation

    translation.activate("en")
    request.addfinalizer(translation.deactivate)


# Rows the data migrations seed (the GROW question bank, the placement role catalogue).
SEEDS = (
    ("zhiren.coaching.migrations.0002_default_questions", "add_questions"),
    ("zhiren.placement.migrations.0002_default_roles", "add_defaults"),
)


def _flushed(item) -> bool:
    if not item.config.pluginmanager.hasplugin("django"):
        return False
    names = set(item.fixturenames)
    if names & {"transactional_db", "live_server"}:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the data migrations' rows back after a transactional test.

    pytest-django empties every table after a test that commits for real (a live
    server, worker processes); on one process the plugin runs those tests last, but
    under pytest-xdist (``make test``) a file of ordinary tests may follow on the same
    worker and expect the seeded rows. A hook, not an autouse fixture: the flush is
    pytest-django's own fixture teardown, which runs after any fixture of ours.
    """
    result = yield
    # nextitem is None after the last test: the test database is gone by then.
    if nextitem is not None and isinstance(item, pytest.Function) and _flushed(item):
        import importlib

        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for module, function in SEEDS:
                getattr(importlib.import_module(module), function)(apps, None)
    return result


@pytest.fixture
def client(client):
    """pytest-django's test client, reading pages in English so tests can assert messages.

    The zh-Hans default itself is checked with a plain client in
    ``tests/core/test_translations.py`` and in the browser tests.
    """
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def world(db):
    from .world import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` logs the test client in as ``user`` (None: anonymous)."""

    def login(user):
        client.logout()  # also clears the cookies
        client.cookies["django_language"] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return login


def pytest_sessionstart(session):
    """``ZHIREN_REQUIRE_POSTGRES``: this run must be on PostgreSQL, not silently on SQLite."""
    from .environment import required

    if not required("ZHIREN_REQUIRE_POSTGRES") or not session.config.pluginmanager.hasplugin("django"):
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.exit(
            f"ZHIREN_REQUIRE_POSTGRES is set but the database is {connection.vendor}: "
            "set DATABASE_URL=postgres://USER@HOST:PORT/NAME (or unset ZHIREN_REQUIRE_POSTGRES)",
            returncode=1,
        )
