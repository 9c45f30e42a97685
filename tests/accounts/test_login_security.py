from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.accounts.middleware import SESSION_STARTED_KEY
from zhiren.accounts.models import LoginThrottle

from ..factories import UserFactory

LOGIN = "/accounts/login/"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


def test_correct_password_logs_in(client, alice):
    response = attempt(client, "alice", "pw-secret-123")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(alice.pk)


def test_lockout_after_threshold_blocks_even_the_right_password(client, alice, settings):
    settings.LOGIN_LOCKOUT_THRESHOLD = 3
    for _ in range(3):
        assert attempt(client, "alice", "wrong").status_code == 200
    response = attempt(client, "alice", "pw-secret-123")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == "locked"


def test_lockout_is_per_username_and_ip_not_ip_alone(client, alice, settings):
    """A whole floor shares one IP: one agent's typos must not lock out a colleague."""
    settings.LOGIN_LOCKOUT_THRESHOLD = 3
    UserFactory(username="bob")
    for _ in range(3):
        attempt(client, "alice", "wrong", ip="10.0.0.1")
    assert attempt(client, "bob", "pw-secret-123", ip="10.0.0.1").status_code == 302
    client.logout()
    # The same user from another address is not locked either.
    assert attempt(client, "alice", "pw-secret-123", ip="10.0.0.2").status_code == 302


def test_lock_expires_after_cool_off(client, alice, settings):
    settings.LOGIN_LOCKOUT_THRESHOLD = 2
    attempt(client, "alice", "wrong")
    attempt(client, "alice", "wrong")
    row = LoginThrottle.objects.get(username="alice")
    assert row.locked_until is not None
    row.locked_until = timezone.now() - timedelta(seconds=1)
    row.save()
    assert attempt(client, "alice", "pw-secret-123").status_code == 302
    assert not LoginThrottle.objects.filter(username="alice").exists()


def test_username_case_does_not_dodge_the_lock(client, alice, settings):
    settings.LOGIN_LOCKOUT_THRESHOLD = 2
    attempt(client, "alice", "wrong")
    attempt(client, "ALICE", "wrong")
    assert LoginThrottle.objects.get(username="alice").failures == 2


@pytest.mark.parametrize(
    "variant",
    ["ａｌｉｃｅ", "ALICE", "Ａlice", " alice ", "ＡＬＩＣＥ"],
    ids=["full-width", "upper-case", "mixed-width", "padded", "full-width-capitals"],
)
def test_look_alike_usernames_share_one_lock(client, alice, settings, variant):
    """Django logs ``ａｌｉｃｅ`` in as ``alice`` (NFKC): the lock must not count it apart."""
    settings.LOGIN_LOCKOUT_THRESHOLD = 3
    for _ in range(3):
        attempt(client, "alice", "wrong")
    response = attempt(client, variant, "pw-secret-123")
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == "locked"
    # Failures under the look-alike count against the same lock, not a fresh one.
    LoginThrottle.objects.all().delete()
    for _ in range(3):
        attempt(client, variant, "wrong")
    assert attempt(client, "alice", "pw-secret-123").status_code == 200
    assert LoginThrottle.objects.count() == 1


def test_full_width_name_logs_in_while_unlocked(client, alice):
    """The normalisation is Django's own: the look-alike is the same account, not a stranger."""
    assert attempt(client, "ａｌｉｃｅ", "pw-secret-123").status_code == 302
    assert client.session.get("_auth_user_id") == str(alice.pk)


def test_admin_login_is_locked_out_too(db, client, settings):
    settings.LOGIN_LOCKOUT_THRESHOLD = 3
    UserFactory(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(3):
        response = client.post(url, {"username": "root", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
        assert response.status_code == 200
    response = client.post(url, {"username": "root", "password": "pw-secret-123"},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == "locked"
    # The sign-in page shares the admin's count: the same lock holds there.
    assert attempt(client, "ｒｏｏｔ", "pw-secret-123", ip="10.0.0.9").status_code == 200
    assert attempt(client, "root", "pw-secret-123", ip="10.0.0.10").status_code == 302


def test_every_authenticate_call_counts(alice, settings, rf):
    """Any login endpoint built on ``authenticate()`` (an API token view, say) shares the lock."""
    from django.contrib.auth import authenticate

    settings.LOGIN_LOCKOUT_THRESHOLD = 2
    request = rf.post("/api/anything/", REMOTE_ADDR="10.0.0.7")
    assert authenticate(request, username="alice", password="wrong") is None
    assert authenticate(request, username="Alice", password="wrong") is None
    assert authenticate(request, username="alice", password="pw-secret-123") is None
    other = rf.post("/api/anything/", REMOTE_ADDR="10.0.0.8")
    assert authenticate(other, username="alice", password="pw-secret-123") == alice


def test_idle_timeout_is_the_cookie_age(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert int(settings.SESSION_IDLE_TIMEOUT.total_seconds()) == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_idle_session_expires(client, alice, settings):
    from django.contrib.sessions.models import Session

    client.force_login(alice)
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() - timedelta(seconds=1)
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_absolute_lifetime_logs_out_an_active_session(client, alice, settings):
    client.force_login(alice)
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] -= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() + 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_password_change(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw-secret-123", "new_password1": "Qz8!long-enough", "new_password2": "Qz8!long-enough"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("Qz8!long-enough")


def test_wrong_old_password_changes_nothing(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": "Qz8!long-enough", "new_password2": "Qz8!long-enough"},
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password("pw-secret-123")


def test_deploy_check_is_clean_with_production_environment(tmp_path):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DEBUG", "SECURE_", "DJANGO_ALLOW_ASYNC_UNSAFE"))
        },
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-123456",
        "ALLOWED_HOSTS": "zhiren.example.com",
        "ZHIREN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "zhiren.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_display_names_put_chinese_surnames_first(db):
    from zhiren.accounts.naming import display_name

    assert display_name(UserFactory(first_name="丽华", last_name="陈")) == "陈丽华"
    assert display_name(UserFactory(first_name="Ada", last_name="Lovelace")) == "Ada Lovelace"
    assert display_name(UserFactory(username="solo")) == "solo"


def test_display_name_filter_renders_chinese_order(db):
    from django.template import Context, Template

    user = UserFactory(first_name="丽华", last_name="陈")
    rendered = Template("{% load names %}{{ u|display_name }}|{{ none|display_name }}").render(
        Context({"u": user, "none": None})
    )
    assert rendered == "陈丽华|"
