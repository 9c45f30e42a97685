"""Transcript rules (智能质检): what they say, and how a transcript is checked against them.

Plain Python, no Django. A transcript is a list of ``Turn`` (sentence) objects in
order of start time. Rule kinds:

- ``required`` (必说): the expression must match (an opening greeting, the identity
  check, a closing); a miss is a hit of the rule, linked to no sentence.
- ``forbidden`` (禁语): the expression must not match; each matching sentence is a hit.
- ``silence`` (静音): a gap of more than ``threshold`` seconds between the end of
  everything said so far and the next sentence (of ``speaker``, default any).
- ``overlap`` (抢话): an agent sentence starting at least ``threshold`` seconds
  before the customer's sentence under way has ended.
- ``speech_rate`` (语速): the agent's characters per minute over the contact above
  ``threshold``; the hit links the agent sentences that are faster than it.

The expression of ``required`` and ``forbidden`` rules is JSON (stored as is):

- ``{"phrases": ["您好", "很高兴为您服务"]}``: any of the phrases in a sentence;
  ``{"list": "forbidden"}``: any phrase of a named, editable phrase list. Optional
  filters on the sentences: ``"speaker": "agent" | "customer"`` (default any),
  ``"first": 30`` (starting within the first 30 seconds), ``"last": 30`` (ending
  within the last 30 seconds).
- ``{"all": [e1, e2, …]}``, ``{"any": [e1, …]}``, ``{"not": e}``.
- ``{"near": [e1, e2], "within": 2}``: a sentence of ``e1`` and one of ``e2`` at
  most 2 sentences apart (``"ordered": true``: ``e2`` after ``e1``).

Every phrase of every rule goes into one Aho-Corasick automaton; a transcript's
sentences are normalised once and searched once, then the expressions are
evaluated over sets of sentence numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .matcher import PhraseMatcher
from .normalize import normalize_joined

AGENT, CUSTOMER = "agent", "customer"
SPEAKERS = (AGENT, CUSTOMER)
REQUIRED, FORBIDDEN, SILENCE, OVERLAP, SPEECH_RATE = "required", "forbidden", "silence", "overlap", "speech_rate"
KINDS = (REQUIRED, FORBIDDEN, SILENCE, OVERLAP, SPEECH_RATE)
PHRASE_KINDS = (REQUIRED, FORBIDDEN)


class RuleError(ValueError):
    """A rule or an expression that cannot be read.

    ``code`` names what is wrong (see ``ERRORS``), ``params`` its details, ``path`` where in
    the expression: ``all[1].near[0]`` is the first expression of the ``near`` that is the
    second of the ``all`` ("" for the whole). The pages translate the code; ``str()`` is an
    English sentence with the path, for logs and the admin.
    """

    def __init__(self, code: str, path: str = "", rule: str = "", **params: Any) -> None:
        self.code, self.path, self.rule, self.params = code, path, rule, params
        detail = ERRORS.get(code, code).format(**params)
        where = f" (at {path})" if path else ""
        super().__init__(f"{rule}: {detail}{where}" if rule else f"{detail}{where}")


# code -> the English message (the pages show their own translations of the same codes)
ERRORS = {
    "not_object": "an expression is an object, not {found}",
    "empty_list": "{op!r} takes a non-empty list of expressions",
    "near_pair": "'near' takes two expressions",
    "within": "'within' is a number of sentences, 0 or more",
    "unknown_list": "unknown phrase list {name!r}",
    "no_phrase": "an expression needs at least one phrase",
    "phrases_list": "'phrases' is a list of texts",
    "unknown_speaker": "unknown speaker {speaker!r}",
    "seconds": "{name!r} is seconds, more than 0",
    "unknown_expression": "unknown expression with the keys {keys}",
    "unknown_kind": "unknown kind {kind!r}",
    "threshold": "a {kind} rule needs a threshold above 0",
    "no_expression": "a {kind} rule needs an expression",
}


@dataclass(frozen=True)
class Turn:
    """One sentence: who spoke, from and to (seconds from the start of the contact), what."""

    speaker: str
    start: float
    end: float
    text: str


def transcript_errors(turns: Sequence[Turn]) -> list[tuple[int, str, str]]:
    """Problems of a transcript as ``(turn number from 0, field, message)``; empty when sound.

    Turns must be in order of start, end no earlier than start, text not empty, speaker
    agent or customer, and one speaker's turns must not overlap each other.
    """
    errors: list[tuple[int, str, str]] = []
    last_end: dict[str, float] = {}
    previous_start = None
    for n, turn in enumerate(turns):
        if turn.speaker not in SPEAKERS:
            errors.append((n, "speaker", f"unknown speaker {turn.speaker!r}"))
        if not turn.text.strip():
            errors.append((n, "text", "empty text"))
        if turn.end < turn.start:
            errors.append((n, "end", "ends before it starts"))
        if previous_start is not None and turn.start < previous_start:
            errors.append((n, "start", "starts before the turn above it: turns are out of order"))
        if turn.speaker in last_end and turn.start < last_end[turn.speaker]:
            errors.append((n, "start", "overlaps the same speaker's previous turn"))
        previous_start = turn.start
        last_end[turn.speaker] = max(turn.end, last_end.get(turn.speaker, turn.end))
    return errors


@dataclass(frozen=True)
class Rule:
    key: str
    kind: str
    expression: Mapping[str, Any] | None = None
    threshold: float | None = None
    speaker: str = ""  # silence: the speaker after the gap ("" any)


@dataclass
class Hit:
    """A rule broken by a transcript: which sentences (numbers from 0; none for a missing phrase)."""

    rule: str
    sentences: list[int] = field(default_factory=list)
    value: float | None = None  # the measured silence, overlap or rate, where there is one


# --- expressions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Leaf:
    phrase_ids: frozenset[int]
    speaker: str
    first: float | None
    last: float | None


@dataclass(frozen=True)
class _Node:
    op: str  # "all", "any", "not", "near"
    children: tuple[Any, ...]
    within: int = 0
    ordered: bool = False


def _compile(expr: Any, matcher: PhraseMatcher, lists: Mapping[str, Iterable[str]], path: str = "") -> _Leaf | _Node:
    def inner(name: str, n: int | None = None) -> str:
        step = name if n is None else f"{name}[{n}]"
        return f"{path}.{step}" if path else step

    if not isinstance(expr, Mapping):
        raise RuleError("not_object", path, found=repr(expr))
    for op in ("all", "any"):
        if op in expr:
            children = expr[op]
            if not isinstance(children, list) or not children:
                raise RuleError("empty_list", inner(op), op=op)
            return _Node(op, tuple(_compile(c, matcher, lists, inner(op, n)) for n, c in enumerate(children)))
    if "not" in expr:
        return _Node("not", (_compile(expr["not"], matcher, lists, inner("not")),))
    if "near" in expr:
        pair = expr["near"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise RuleError("near_pair", inner("near"))
        within = expr.get("within", 1)
        if not isinstance(within, int) or isinstance(within, bool) or within < 0:
            raise RuleError("within", inner("within"))
        children = tuple(_compile(c, matcher, lists, inner("near", n)) for n, c in enumerate(pair))
        return _Node("near", children, within, bool(expr.get("ordered")))
    if "phrases" in expr or "list" in expr:
        phrases = expr.get("phrases") or []
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise RuleError("phrases_list", inner("phrases"))
        phrases = list(phrases)
        if "list" in expr:
            if expr["list"] not in lists:
                raise RuleError("unknown_list", inner("list"), name=expr["list"])
            phrases += list(lists[expr["list"]])
        ids = frozenset(i for i in (matcher.add(str(p)) for p in phrases) if i >= 0)
        if not ids:
            raise RuleError("no_phrase", path)
        speaker = expr.get("speaker", "")
        if speaker not in ("", *SPEAKERS):
            raise RuleError("unknown_speaker", inner("speaker"), speaker=speaker)
        first, last = expr.get("first"), expr.get("last")
        for name, value in (("first", first), ("last", last)):
            if value is not None and (not isinstance(value, int | float) or isinstance(value, bool) or value <= 0):
                raise RuleError("seconds", inner(name), name=name)
        return _Leaf(ids, speaker, first, last)
    raise RuleError("unknown_expression", path, keys=", ".join(map(str, expr)) or "—")


def _needs(node: _Leaf | _Node) -> frozenset[int] | None:
    """Phrase ids of which at least one must be found for the expression to match; None: no such set."""
    if isinstance(node, _Leaf):
        return node.phrase_ids
    if node.op == "not":
        return None
    if node.op == "any":
        needs = [_needs(child) for child in node.children]
        return None if any(n is None for n in needs) else frozenset().union(*needs)  # type: ignore[arg-type]
    for child in node.children:  # "all" and "near": every child must match, so one child's need will do
        need = _needs(child)
        if need is not None:
            return need
    return None


class _Context:
    def __init__(self, turns: Sequence[Turn], found: dict[int, list[int]]) -> None:
        self.turns = turns
        self.found = found
        self.start = turns[0].start if turns else 0.0
        self.end = max((t.end for t in turns), default=0.0)


def _evaluate(node: _Leaf | _Node, ctx: _Context) -> tuple[bool, set[int]]:
    """Whether the expression matches, and the sentences that make it match."""
    if isinstance(node, _Leaf):
        sentences: set[int] = set()
        found = ctx.found
        for phrase_id in node.phrase_ids.intersection(found) if found else ():  # iterates the smaller side
            sentences.update(found[phrase_id])
        if sentences and (node.speaker or node.first or node.last):
            turns = ctx.turns
            sentences = {
                n for n in sentences
                if (not node.speaker or turns[n].speaker == node.speaker)
                and (node.first is None or turns[n].start - ctx.start < node.first)
                and (node.last is None or turns[n].end > ctx.end - node.last)
            }
        return bool(sentences), sentences
    if node.op == "not":
        matched, _sentences = _evaluate(node.children[0], ctx)
        return not matched, set()
    if node.op == "all":
        union: set[int] = set()
        for child in node.children:
            matched, sentences = _evaluate(child, ctx)
            if not matched:
                return False, set()
            union |= sentences
        return True, union
    if node.op == "any":
        union = set()
        any_matched = False
        for child in node.children:
            matched, sentences = _evaluate(child, ctx)
            if matched:
                any_matched = True
                union |= sentences
        return any_matched, union
    (a_matched, a), (b_matched, b) = (_evaluate(c, ctx) for c in node.children)
    if not (a_matched and b_matched):
        return False, set()
    pairs = [(i, j) for i in a for j in b if abs(i - j) <= node.within and (not node.ordered or j >= i)]
    if not pairs:
        return False, set()
    return True, {n for pair in pairs for n in pair}


# --- the rule set -----------------------------------------------------------------------------


class RuleSet:
    """Rules compiled together: one automaton for all their phrases."""

    def __init__(self, rules: Iterable[Rule], lists: Mapping[str, Iterable[str]] | None = None) -> None:
        self.matcher = PhraseMatcher()
        self.rules = list(rules)
        self._compiled: dict[str, _Leaf | _Node] = {}
        self._needs: dict[str, frozenset[int] | None] = {}
        lists = lists or {}
        for rule in self.rules:
            if rule.kind not in KINDS:
                raise RuleError("unknown_kind", rule=rule.key, kind=rule.kind)
            if rule.kind in PHRASE_KINDS:
                if rule.expression is None:
                    raise RuleError("no_expression", rule=rule.key, kind=rule.kind)
                try:
                    self._compiled[rule.key] = _compile(rule.expression, self.matcher, lists)
                    self._needs[rule.key] = _needs(self._compiled[rule.key])
                except RuleError as exc:
                    raise RuleError(exc.code, exc.path, rule.key, **exc.params) from exc
            elif rule.threshold is None or rule.threshold <= 0:
                raise RuleError("threshold", rule=rule.key, kind=rule.kind)
        self.matcher.build()
        # Which rules a found phrase can make match; rules with no such phrase set are always evaluated.
        self._by_phrase: dict[int, list[int]] = defaultdict(list)
        self._always: set[int] = set()
        for index, rule in enumerate(self.rules):
            need = self._needs.get(rule.key) if rule.kind in PHRASE_KINDS else None
            if need is None:
                self._always.add(index)
            else:
                for phrase_id in need:
                    self._by_phrase[phrase_id].append(index)
        # Required rules are a hit when none of their phrases was found: looked at every time.
        self._required = frozenset(i for i, rule in enumerate(self.rules) if rule.kind == REQUIRED)

    def check(self, turns: Sequence[Turn], normalized: Sequence[str] | None = None) -> list[Hit]:
        """The rules the transcript breaks, in the rules' order.

        ``normalized``: the turns' texts already normalised (``normalize_many``; stored at
        import), one per turn; without it they are normalised here.
        """
        if normalized is None or len(normalized) != len(turns):
            joined = normalize_joined([t.text for t in turns]) if turns else ""
            normalized = joined.split("\n") if turns else []
        else:
            joined = "\n".join(normalized)
        found = self.matcher.find_lines(joined)
        ctx = _Context(turns, found)
        candidates = set(self._always)
        for phrase_id in found:
            candidates.update(self._by_phrase.get(phrase_id, ()))
        hits: list[Hit] = []
        rules = self.rules
        for index in sorted(candidates | self._required):  # the rules' order; the others cannot be hit
            rule = rules[index]
            if index in candidates:
                hit = self._check_rule(rule, ctx, normalized)
                if hit is not None:
                    hits.append(hit)
            else:  # a required rule none of whose phrases was said
                hits.append(Hit(rule.key))
        return hits

    def _check_rule(self, rule: Rule, ctx: _Context, normalized: list[str]) -> Hit | None:
        if rule.kind in PHRASE_KINDS:
            matched, sentences = _evaluate(self._compiled[rule.key], ctx)
            if rule.kind == REQUIRED:
                return None if matched else Hit(rule.key)
            return Hit(rule.key, sorted(sentences)) if matched else None
        threshold = float(rule.threshold or 0)
        if rule.kind == SILENCE:
            return _silence(rule, ctx.turns, threshold)
        if rule.kind == OVERLAP:
            return _overlap(rule, ctx.turns, threshold)
        return _speech_rate(rule, ctx.turns, normalized, threshold)


def _silence(rule: Rule, turns: Sequence[Turn], threshold: float) -> Hit | None:
    sentences, longest = [], 0.0
    said_until = None
    for n, turn in enumerate(turns):
        if said_until is not None:
            gap = turn.start - said_until
            if gap > threshold and (not rule.speaker or turn.speaker == rule.speaker):
                sentences.append(n)
                longest = max(longest, gap)
        if said_until is None or turn.end > said_until:
            said_until = turn.end
    return Hit(rule.key, sentences, round(longest, 2)) if sentences else None


def _overlap(rule: Rule, turns: Sequence[Turn], threshold: float) -> Hit | None:
    sentences, longest = [], 0.0
    customer_until = None
    for n, turn in enumerate(turns):
        if turn.speaker == CUSTOMER:
            if customer_until is None or turn.end > customer_until:
                customer_until = turn.end
        elif turn.speaker == AGENT and customer_until is not None:
            overlap = customer_until - turn.start
            if overlap >= threshold:
                sentences.append(n)
                longest = max(longest, overlap)
    return Hit(rule.key, sentences, round(longest, 2)) if sentences else None


def _speech_rate(rule: Rule, turns: Sequence[Turn], normalized: list[str], threshold: float) -> Hit | None:
    characters = 0
    seconds = 0.0
    fast = []
    for n, turn in enumerate(turns):
        if turn.speaker != AGENT:
            continue
        duration = turn.end - turn.start
        characters += len(normalized[n])
        seconds += duration
        if duration > 0 and len(normalized[n]) * 60 / duration > threshold:
            fast.append(n)
    if seconds <= 0:
        return None
    rate = characters * 60 / seconds
    return Hit(rule.key, fast, round(rate, 1)) if rate > threshold else None
