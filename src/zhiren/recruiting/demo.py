"""Demo data for recruiting (filled in below)."""

from __future__ import annotations


def load(context) -> None:
    return None
