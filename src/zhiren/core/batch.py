"""A memo for one batch of work: while the periodic job prepares every team's huddle, an entry
that reads the same site-wide data for each team (workforce's forecast requirement) computes it
once. Outside a batch nothing is kept, so no page ever sees a stale value. Plain Python."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("zhiren_batch_memo", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Remember ``remembered`` values until the outermost ``batch`` ends."""
    token = _memo.set({}) if _memo.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per batch for ``key``; every time outside a batch."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
