"""Masking personal numbers in exported text: plain Python, no Django.

- mainland mobile numbers (11 digits starting 13–19, spaces or dashes allowed between
  groups): ``138 1234 5678`` → ``138****5678``;
- resident ID numbers (18 characters, the last a digit or X; or the old 15 digits):
  ``110101199003071234`` → ``110101********1234`` (the old 15-digit number keeps its
  first six and last three digits).

Numbers spelled out in Chinese characters (一三八…) are not recognised; exports of
transcripts therefore go only to roles that may read the transcript anyway.
"""

from __future__ import annotations

import re

_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")


def mask(text: str) -> str:
    """``text`` with mobile and ID numbers masked (see the module's docstring)."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    text = _ID18.sub(r"\1********\2", text)
    text = _ID15.sub(r"\1******\2", text)
    return _MOBILE.sub(r"\1****\3", text)
