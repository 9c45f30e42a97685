from __future__ import annotations

import os

import pytest

# Tests never talk to a task worker: tasks run inline unless a test says otherwise.
os.environ.setdefault("TASK_BACKEND", "immediate")


@pytest.fixture(autouse=True)
def _english_free_defaults(settings):
    """Keep password hashing fast in tests; everything else is the real configuration."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
