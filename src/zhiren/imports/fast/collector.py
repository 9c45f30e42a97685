"""Pausing Python's cyclic garbage collector while an import builds many objects.

Reading, validating, planning and writing a file of 100,000 rows creates
millions of small containers (cells, values, changes, row tuples) that all stay
alive until the step ends and form no reference cycles. The cyclic collector
would walk the whole growing heap again and again (its full collections run
each time the heap grows by a quarter), which cost a third of an import's time.
Reference counting still frees everything as usual; the collector runs again
when the step ends. With the fast paths off (:func:`~zhiren.imports.fast.enabled`)
the collector is left alone.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable
from typing import Any

from . import enabled

_lock = threading.Lock()
_depth = 0  # steps running now (threads, nesting) that paused the collector
_was_enabled = False


def without_cycle_collection(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``fn`` with the cyclic collector paused; it is re-enabled (if it was on) when the last such call ends."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        global _depth, _was_enabled
        if not enabled():
            return fn(*args, **kwargs)
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with _lock:
                _depth -= 1
                if _depth == 0 and _was_enabled:
                    gc.enable()

    return wrapper
