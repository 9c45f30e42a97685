"""Many phrases found in one pass over a text: an Aho-Corasick automaton (``pyahocorasick``).

Phrases are normalised (``normalize``) when added, texts before they are searched, so
spacing, width and traditional characters do not matter. Searching costs one pass over
the text whatever the number of phrases — unlike a loop of regular expressions.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

import ahocorasick

from .normalize import normalize


class PhraseMatcher:
    """Phrase ids found in a normalised text. ``add`` every phrase, then ``find``."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._ids: dict[str, int] = {}
        self._built = False

    def add(self, phrase: str) -> int:
        """The id of ``phrase`` (the same id for phrases that normalise alike); -1 when empty."""
        key = normalize(phrase)
        if not key:
            return -1
        if key not in self._ids:
            if self._built:
                raise RuntimeError("the matcher is built: add every phrase first")
            self._ids[key] = len(self._ids)
            self._automaton.add_word(key, self._ids[key])
        return self._ids[key]

    def __len__(self) -> int:
        return len(self._ids)

    def build(self) -> None:
        if not self._built and self._ids:
            self._automaton.make_automaton()
        self._built = True

    def find(self, normalized_text: str) -> set[int]:
        """Ids of the phrases in an already normalised text."""
        if not self._ids or not normalized_text:
            return set()
        if not self._built:
            self.build()
        return {phrase_id for _end, phrase_id in self._automaton.iter(normalized_text)}

    def find_lines(self, joined: str) -> dict[int, list[int]]:
        """Phrase id → numbers of the lines (``"\\n"``-separated, normalised) holding it: one pass."""
        found: dict[int, list[int]] = {}
        if not self._ids or not joined:
            return found
        if not self._built:
            self.build()
        starts = [0]
        position = joined.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = joined.find("\n", position + 1)
        for end, phrase_id in self._automaton.iter(joined):
            line = bisect_right(starts, end) - 1
            lines = found.setdefault(phrase_id, [])
            if not lines or lines[-1] != line:
                lines.append(line)
        return found

    def find_in(self, text: str) -> set[int]:
        return self.find(normalize(text))

    @classmethod
    def of(cls, phrases: Iterable[str]) -> PhraseMatcher:
        matcher = cls()
        for phrase in phrases:
            matcher.add(phrase)
        matcher.build()
        return matcher
