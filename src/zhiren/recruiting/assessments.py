"""Scoring the built-in tests (笔试与测评): plain Python, no Django.

- Chinese typing (中文打字): the passage, the submitted text and the seconds between the
  server issuing the test and receiving the answer. Whitespace is ignored. ``errors`` is the
  edit distance between the typed text and as much of the passage as was typed (a candidate
  may not finish); speed is typed characters per minute, ``net_cpm`` counts only correct ones,
  accuracy is ``1 − errors / typed``.
- Situational judgement (情景判断): each item has keyed points per option (best answer 2,
  acceptable 1, others 0); the score is the share of the best possible.
- Listening comprehension (听力理解): items on a customer's spoken-style message, each with one
  keyed answer; the score is the share answered correctly.
- Knock-out questions (硬性条件): each has the answer it needs; any other answer knocks out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def _chars(text: str) -> str:
    return "".join(text.split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions), two rows of memory."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class TypingResult:
    typed: int  # characters typed (whitespace left out)
    errors: int
    seconds: float
    cpm: float  # characters per minute
    net_cpm: float  # correct characters per minute
    accuracy: float | None  # 0–1; None when nothing was typed


def score_typing(passage: str, typed_text: str, seconds: float) -> TypingResult:
    if seconds <= 0:
        raise ValueError("the elapsed time must be positive")
    target, typed = _chars(passage), _chars(typed_text)[: len(_chars(passage)) * 2]
    if not typed:
        return TypingResult(0, 0, seconds, 0.0, 0.0, None)
    errors = min(len(typed), edit_distance(typed, target[: len(typed)]))
    minutes = seconds / 60
    return TypingResult(
        len(typed),
        errors,
        seconds,
        round(len(typed) / minutes, 1),
        round((len(typed) - errors) / minutes, 1),
        round(1 - errors / len(typed), 4),
    )


def score_sjt(keys: Mapping[str, Mapping[str, int]], answers: Mapping[str, str]) -> float | None:
    """Share of the best possible points over the items (``keys[item][option] = points``)."""
    best = sum(max(options.values()) for options in keys.values() if options)
    if not best:
        return None
    got = sum(keys[item].get(answers.get(item, ""), 0) for item in keys)
    return round(got / best, 4)


def score_comprehension(
    keys: Mapping[str, str], answers: Mapping[str, str]
) -> tuple[float | None, int]:
    """Listening comprehension (听力理解): ``(share correct, correct)`` over the items; an
    unanswered item counts as wrong. None without items."""
    if not keys:
        return None, 0
    correct = sum(1 for item, key in keys.items() if answers.get(item) == key)
    return round(correct / len(keys), 4), correct


def knocked_out(required: Mapping[str, str], answers: Mapping[str, str]) -> list[str]:
    """The questions whose answer is not the one required (unanswered counts as not given)."""
    return [key for key, needed in required.items() if answers.get(key) != needed]


def typing_band(net_cpm: float, bands: Sequence[int] = (30, 50, 70)) -> int:
    """0 below the first threshold, then one band per threshold passed (for the test-band report)."""
    return sum(net_cpm >= limit for limit in bands)


SERVICE, SALES, BALANCED = "service", "sales", "balanced"


@dataclass(frozen=True)
class Orientation:
    service_share: float  # share of the pairs answered with the service statement
    profile: str  # SERVICE, SALES or BALANCED
    answered: int


def score_orientation(
    pairs: Sequence[str], answers: Mapping[str, str], *, lean: float = 2 / 3
) -> Orientation | None:
    """Service-vs-sales orientation from forced-choice pairs (``a`` service, ``b`` sales).

    Seed 003: service and sales temperaments differ and should not be mixed. The profile is
    *service* from ``lean`` of the answered pairs up, *sales* up to ``1 − lean``, else
    *balanced*. None when no pair was answered.
    """
    given = [answers[key] for key in pairs if answers.get(key) in ("a", "b")]
    if not given:
        return None
    share = sum(1 for a in given if a == "a") / len(given)
    if share >= lean - 1e-9:
        profile = SERVICE
    elif share <= 1 - lean + 1e-9:
        profile = SALES
    else:
        profile = BALANCED
    return Orientation(round(share, 4), profile, len(given))


def role_orientation(role_code: str) -> str | None:
    """What a role needs: presales is sales; after-sales and complaints are service."""
    return {"presales": SALES, "aftersales": SERVICE, "complaints": SERVICE}.get(role_code)


# --- listening clips -------------------------------------------------------------------------

# What the first bytes of a file say it is; the upload keeps only what browsers play.
AUDIO_TYPES = {
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "webm": "audio/webm",
}


def sniff_audio(head: bytes) -> str | None:
    """The audio type the file's first bytes show (Ogg, WAVE, MP3, MP4/M4A, WebM), or None."""
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head[4:8] == b"ftyp":
        return "audio/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm"
    return None


@dataclass(frozen=True)
class ItemProblem:
    line: int  # 1-based line of the text
    code: str  # "options" (fewer than two), "key" (not exactly one marked), "text" (no question)


def parse_items(text: str) -> tuple[list[dict], list[ItemProblem]]:
    """Listening items typed as text: one block per question, separated by blank lines; the
    first line is the question, each further line an option, the keyed one starting with ``*``
    (a leading ``a)``, ``a.``, ``A、`` is dropped). Options get the keys a, b, c, … in order.
    Returns the items as ``catalogue.LISTENING_ITEMS`` holds them and the problems found."""
    items: list[dict] = []
    problems: list[ItemProblem] = []
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line:
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    for block in (b for b in blocks if b):
        first, question = block[0]
        options, answer = [], None
        for _number, line in block[1:]:
            keyed = line.startswith(("*", "＊"))
            label = line.lstrip("*＊ ").strip()
            if len(label) > 2 and label[0].isalnum() and label[1] in ").、．.）":
                label = label[2:].strip()
            key = "abcdefghij"[len(options)] if len(options) < 10 else str(len(options))
            options.append((key, label))
            if keyed:
                answer = key if answer is None else "many"
        if question.startswith(("*", "＊")):
            problems.append(ItemProblem(first, "text"))
        elif len(options) < 2:
            problems.append(ItemProblem(first, "options"))
        elif answer is None or answer == "many":
            problems.append(ItemProblem(first, "key"))
        else:
            items.append(
                {"key": f"q{len(items) + 1}", "text": question, "options": options, "answer": answer}
            )
    return items, problems


def item_keys(items) -> dict[str, str]:
    return {item["key"]: item["answer"] for item in items}
