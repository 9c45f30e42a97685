"""Shared helpers for the forecasting tests, which run without Django (``-p no:django``)."""

from __future__ import annotations

import types

import pytest


@pytest.fixture
def settings():
    """Stand-in for pytest-django's ``settings`` fixture, which autouse fixtures in
    ``tests/conftest.py`` request: the pure engine needs no Django settings."""
    return types.SimpleNamespace()
