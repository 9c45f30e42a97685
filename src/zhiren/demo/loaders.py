"""Demo data loaders. Each module may add one; they run in registration order.

A loader is ``fn(context: DemoContext) -> None`` and must be idempotent: the
demo command can be run again on the same database.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

Loader = Callable[["DemoContext"], None]
_LOADERS: list[tuple[int, str, Loader]] = []


@dataclass
class DemoContext:
    today: date
    rng: random.Random
    users: dict[str, object] = field(default_factory=dict)  # demo login name -> User


def register(name: str, loader: Loader, order: int = 100) -> None:
    if all(existing != name for _, existing, _ in _LOADERS):
        _LOADERS.append((order, name, loader))
        _LOADERS.sort(key=lambda item: (item[0], item[1]))


def loaders() -> list[tuple[str, Loader]]:
    return [(name, fn) for _, name, fn in _LOADERS]
