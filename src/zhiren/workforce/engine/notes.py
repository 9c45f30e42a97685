"""Warnings the engine returns: plain English for logs and the CLI, plus a code and its
parameters so that a caller can word the warning itself, in its user's language."""

from __future__ import annotations

from typing import Any


class Note(str):
    """A warning string that also carries ``code`` and ``params`` (JSON-friendly values)."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, text: str, **params: Any) -> Note:
        note = super().__new__(cls, text)
        note.code = code
        note.params = params
        return note
