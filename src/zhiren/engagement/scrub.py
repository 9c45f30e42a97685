"""Scrubbing names and contact details out of open comments before they are shown. Plain Python."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "＊＊"
_PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with phone numbers, e-mail addresses and the given names (two characters or more) masked."""
    result = _EMAIL.sub(MASK, _PHONE.sub(MASK, text))
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        result = result.replace(name, MASK)
    return result
