"""Two ``zhiren serve`` processes behind one address behave as one.

One browser (one cookie jar: both listen on 127.0.0.1) alternates between two waitress processes
on two loopback ports, sharing one database and a Redis cache (``CACHE_URL``): failed logins are
counted across both, a session opened on one is known to the other, a form read on one is posted
to the other, and a logout on one ends the session on both. Slow: it starts two web processes.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from zhiren.accounts.models import LoginThrottle
from zhiren.leadership.models import Task

from ..world import build_world

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests/factories.py
CACHE_PREFIX = "zhiren-test"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and no redirects followed: each answer's status is asserted."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Accept-Language": "en"})
        try:
            with self.opener.open(request, timeout=60) as response:
                return (
                    response.status,
                    response.headers.get("Location", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as answer:  # 3xx (not followed) and 4xx/5xx
            return answer.code, answer.headers.get("Location", ""), answer.read().decode()

    def token(self, url: str) -> str:
        status, _location, page = self.request(url)
        assert status == 200, (url, status)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, url
        return match.group(1)

    def login(self, base: str, username: str, password: str) -> int:
        token = self.token(f"{base}/accounts/login/")
        status, _location, _page = self.request(
            f"{base}/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        return status


def test_one_user_alternating_between_two_web_processes(
    shared_db, redis_client, redis_url, zhiren, settings
):
    # The web processes check passwords with the product's hasher (the tests' MD5 is not theirs).
    settings.PASSWORD_HASHERS = ["zhiren.accounts.hashers.ConfiguredPBKDF2PasswordHasher"]
    settings.PASSWORD_PBKDF2_ITERATIONS = 1000
    world = build_world()
    lead = world.user("lead")
    for user in (lead, world.user("qa")):
        user.set_password(PASSWORD)
        user.save()
    shared = {
        "CACHE_URL": redis_url,
        "CACHE_KEY_PREFIX": CACHE_PREFIX,
        "LOGIN_LOCKOUT_THRESHOLD": "3",
    }
    a = zhiren.serve(name="web-a", **shared)
    b = zhiren.serve(name="web-b", **shared)
    browser = Browser()

    # Failed logins count on both: three wrong passwords, then the right one is refused.
    for base in (a, b, a):
        assert browser.login(base, "qa", "wrong password") == 200
    assert browser.login(b, "qa", PASSWORD) == 200  # locked out: the form again, no session
    throttle = LoginThrottle.objects.get(username="qa")
    assert throttle.failures == 3 and throttle.locked_until is not None

    # Signed in on A, known on B; a form read on A is posted to B; both show the result.
    assert browser.login(a, "lead", PASSWORD) == 302
    assert list(redis_client.scan_iter(f"{CACHE_PREFIX}:*"))  # the session is cached in Redis
    token = browser.token(f"{a}/leadership/board/")
    status, location, _page = browser.request(
        f"{b}/leadership/board/tasks/", {"csrfmiddlewaretoken": token, "title": "排班前核对请假"}
    )
    assert (status, location) == (302, "/leadership/board/")
    assert Task.objects.get(owner=lead).title == "排班前核对请假"
    for base in (a, b):
        status, _location, page = browser.request(f"{base}/leadership/board/")
        assert status == 200 and "排班前核对请假" in page

    # Signed out on B: A no longer knows the session (a cache of A's own would still hold it).
    assert browser.request(f"{b}/accounts/logout/", {"csrfmiddlewaretoken": token})[0] == 302
    status, location, _page = browser.request(f"{a}/leadership/board/")
    assert status == 302 and location.startswith("/accounts/login/")
