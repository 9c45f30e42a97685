"""Wording helpers for any layer: a list joined the way the active language joins lists."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_list(items: Iterable[object]) -> str:
    """``a、b、c`` in Chinese, ``a, b, c`` in English (the separator is translated)."""
    return pgettext("list separator", ", ").join(str(item) for item in items)
