"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import shutil

import pytest

from ..environment import required

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by fixtures around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZHIREN_CHROMIUM", "/usr/bin/chromium")


def _missing(reason: str):
    """Skip, or fail where ``ZHIREN_REQUIRE_BROWSER`` is set (CI must run the browser tests)."""
    if required("ZHIREN_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (ZHIREN_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed: pip install -e '.[dev]'")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        _missing(f"chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def plain_http():
    """The live server speaks plain HTTP: no HTTPS redirect, no Secure-only cookies.

    Session-scoped and requested before ``live_server`` so that the server's
    middleware is built with these settings.
    """
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture
def page_for(browser, plain_http, live_server):
    """``page_for(username, password, viewport=..., **context_options)`` → a logged-in page.

    ``context_options`` go to Playwright's ``browser.new_context`` (the accessibility
    check passes ``bypass_csp=True`` to inject axe-core).

    Every page opened this way is watched for Content-Security-Policy violations
    (an inline script or handler the policy blocked): the test fails on any.
    """
    contexts = []
    violations = []

    def watch(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(message.text)

    def open_page(username: str, password: str = "pw-secret-123", viewport=None, **context_options):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, **context_options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch)
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not violations, violations
