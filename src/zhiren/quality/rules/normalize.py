"""Text as the transcript rules see it: one form for every way of writing the same words.

``normalize`` applies, in order: Unicode NFKC (full-width letters, digits and
punctuation become half-width: ``ＶＩＰ`` → ``VIP``), lower case, traditional →
simplified characters (``請問`` → ``请问``), and removes whitespace, punctuation, symbols and
control characters (everything but letters and digits) (``您 好，`` → ``您好``). Rules and transcripts go through the same
function, so a phrase matches however either was typed.

The traditional → simplified table is built once from the character dictionary
shipped by ``opencc-python-reimplemented`` (``TSCharacters.txt``: one character to one
or more candidates; the first, the usual one, is taken). Character by character is
enough here because both sides are converted the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

# Everything but letters (CJK included) and digits: whitespace, punctuation, symbols, "_".
_REMOVED = re.compile(r"[\W_]+")
_REMOVED_BUT_NEWLINES = re.compile(r"[^\w\n]+|_+")


@cache
def _simplified() -> tuple[frozenset[str], dict[int, str]]:
    table: dict[int, str] = {}
    for line in _dictionary_lines():
        source, _tab, targets = line.partition("\t")
        target = targets.split(" ")[0].strip()
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = target
    return frozenset(chr(code) for code in table), table


def _dictionary_lines() -> list[str]:
    try:
        text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a declared dependency
        return []
    return text.splitlines()


def to_simplified(text: str) -> str:
    """Traditional characters replaced by their simplified form, character by character."""
    traditional, table = _simplified()
    if traditional.isdisjoint(text):  # most text is simplified already: no copy
        return text
    return text.translate(table)


def normalize(text: str) -> str:
    """The matching form of ``text`` (see the module's docstring)."""
    return normalize_many([text])[0]


def normalize_many(texts: list[str]) -> list[str]:
    """``normalize`` of each text, done on them all at once (a transcript's sentences).

    Punctuation and spaces go first (most full-width characters in Chinese text are
    punctuation), so NFKC runs only on what still needs it, and is followed by a second
    removal for characters NFKC turned into punctuation (``⑴`` → ``(1)``).
    """
    return normalize_joined(texts).split("\n")


def normalize_joined(texts: list[str]) -> str:
    """The normalised texts joined by ``"\n"`` (which normalising never leaves inside a text)."""
    removed = _REMOVED_BUT_NEWLINES.sub
    joined = removed("", "\n".join(t.replace("\n", " ") for t in texts).lower())
    if not joined.isascii() and not unicodedata.is_normalized("NFKC", joined):
        is_normalized, nfkc = unicodedata.is_normalized, unicodedata.normalize
        joined = "\n".join(part if is_normalized("NFKC", part) else removed("", nfkc("NFKC", part).lower())
                            for part in joined.split("\n"))
    return to_simplified(joined)
