from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _test_settings(request):
    """The real configuration, with a few test-only differences.

    Passwords hash fast; the test client speaks plain HTTP (no HTTPS redirect);
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
    from django.utils import translation

    translation.activate("en")
    request.addfinalizer(translation.deactivate)


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
