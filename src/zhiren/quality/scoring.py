"""The QA score of one evaluation: one pure function over a scorecard and its answers.

Plain Python, no Django (the "Pure modules" import contract). The formula, with
worked examples, is in ``docs/quality.md`` ("The score formula"); in short:

1. Each answered criterion earns a *fraction* of its points: yes/no → 1 or 0;
   1–5 → (answer − 1) / 4; points → answer / points. N/A earns nothing and
   leaves the denominator.
2. A section's result is Σ points × fraction ÷ Σ points over its answered
   criteria; a section whose criteria are all N/A has no result and leaves the
   total's denominator.
3. The total is Σ section weight × section result ÷ Σ weight of sections with a
   result, × 100. Without weights ("points" scorecards) a section weighs the
   points of its answered criteria, so the total is Σ earned ÷ Σ possible × 100.
4. A *critical* criterion fails when it earns nothing (no; 1 of 5; 0 points). A
   failed critical criterion of scope ``section`` sets its section to 0, of scope
   ``total`` the whole score to 0. A critical failure overrides N/A: the zeroed
   section counts in the denominator with its full weight (or all its points).
5. A bonus section adds its earned points on top, capped at ``max_score``
   (100); it is not in the denominator and adds nothing to a score with a
   critical failure.
6. Every answer N/A (and no critical failure): no score (``None``), not 0.

Scores are rounded half-up to two decimals.

A criterion *passes* an evaluation when it earns at least half its points (``passed``);
its pass rate (an improvement-plan goal) is the share of its non-N/A answers that pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

YES_NO, ONE_TO_FIVE, POINTS = "yes_no", "one_to_five", "points"
SCALES = (YES_NO, ONE_TO_FIVE, POINTS)
CRITICAL_NONE, CRITICAL_SECTION, CRITICAL_TOTAL = "", "section", "total"
NA = "na"  # the answer "not applicable"


class ScoringError(ValueError):
    """An answer the scorecard does not allow (unknown criterion, out of scale, N/A not allowed)."""


@dataclass(frozen=True)
class Criterion:
    key: str
    points: float = 1.0  # the most it earns; in a weighted scorecard, its weight within the section
    scale: str = YES_NO
    na_allowed: bool = False
    critical: str = CRITICAL_NONE  # "", "section" or "total"

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise ValueError(f"unknown scale {self.scale!r}")
        if self.critical not in (CRITICAL_NONE, CRITICAL_SECTION, CRITICAL_TOTAL):
            raise ValueError(f"unknown critical scope {self.critical!r}")
        if self.points <= 0:
            raise ValueError("a criterion's points must be positive")

    @property
    def maximum(self) -> float:
        """The largest answer on the criterion's scale (1, 5 or its points)."""
        return {YES_NO: 1.0, ONE_TO_FIVE: 5.0, POINTS: float(self.points)}[self.scale]

    def fraction(self, answer: object) -> Fraction:
        """What share of its points an answer earns; raises ``ScoringError`` for a bad answer."""
        if self.scale == YES_NO:
            if answer in (True, 1, "yes"):
                return Fraction(1)
            if answer in (False, 0, "no"):
                return Fraction(0)
            raise ScoringError(f"{self.key}: {answer!r} is not yes or no")
        try:
            value = Fraction(str(answer))
        except (ValueError, ZeroDivisionError) as exc:
            raise ScoringError(f"{self.key}: {answer!r} is not a number") from exc
        if self.scale == ONE_TO_FIVE:
            if value.denominator != 1 or not 1 <= value <= 5:
                raise ScoringError(f"{self.key}: {answer!r} is not 1 to 5")
            return (value - 1) / 4
        points = Fraction(str(self.points))
        if not 0 <= value <= points:
            raise ScoringError(f"{self.key}: {answer!r} is not between 0 and {self.points:g}")
        return value / points


@dataclass(frozen=True)
class Section:
    key: str
    criteria: Sequence[Criterion]
    weight: float | None = None  # None in a "points" scorecard
    bonus: bool = False


@dataclass(frozen=True)
class Scorecard:
    sections: Sequence[Section]
    max_score: float = 100.0

    def criteria(self) -> Iterable[tuple[Section, Criterion]]:
        for section in self.sections:
            for criterion in section.criteria:
                yield section, criterion


@dataclass
class SectionResult:
    key: str
    result: float | None  # 0–1, None when every criterion was N/A
    earned: float
    possible: float
    critical_failed: bool = False
    bonus: bool = False


@dataclass
class ScoreResult:
    score: float | None  # 0–max_score, None when nothing was scorable
    sections: list[SectionResult] = field(default_factory=list)
    critical_failed: str = CRITICAL_NONE  # "section", "total" or ""
    failed_criteria: list[str] = field(default_factory=list)  # keys of failed critical criteria
    bonus: float = 0.0


def _round(value: Fraction) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def validate(card: Scorecard) -> None:
    """Raise ``ValueError`` for a scorecard the formula cannot read."""
    keys = [c.key for _s, c in card.criteria()]
    if len(keys) != len(set(keys)):
        raise ValueError("criterion keys must be unique within a scorecard")
    scored = [s for s in card.sections if not s.bonus]
    weighted = [s.weight is not None for s in scored]
    if any(weighted) and not all(weighted):
        raise ValueError("either every scored section has a weight or none has")
    if any(s.weight is not None and s.weight <= 0 for s in scored):
        raise ValueError("a section's weight must be positive")
    for section in card.sections:
        if section.bonus and any(c.critical for c in section.criteria):
            raise ValueError("a bonus section has no critical criteria")


def score(card: Scorecard, answers: Mapping[str, object]) -> ScoreResult:
    """The score of ``answers`` (criterion key → answer or ``NA``) on ``card``.

    A criterion without an answer is an error unless it allows N/A (then it counts as N/A):
    a stored evaluation is complete.
    """
    validate(card)
    known = {c.key for _s, c in card.criteria()}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ScoringError(f"unknown criteria: {', '.join(unknown)}")
    weighted = any(s.weight is not None for s in card.sections if not s.bonus)
    result = ScoreResult(score=None)
    numerator = Fraction(0)
    denominator = Fraction(0)
    bonus = Fraction(0)
    for section in card.sections:
        earned = possible = full = Fraction(0)
        section_failed = False
        for criterion in section.criteria:
            answer = answers.get(criterion.key, NA)
            points = Fraction(str(criterion.points))
            full += points
            if answer == NA or answer is None:
                if not criterion.na_allowed:
                    raise ScoringError(f"{criterion.key}: an answer is required (N/A not allowed)")
                continue
            fraction = criterion.fraction(answer)
            earned += points * fraction
            possible += points
            if criterion.critical and fraction == 0:
                result.failed_criteria.append(criterion.key)
                if criterion.critical == CRITICAL_TOTAL:
                    result.critical_failed = CRITICAL_TOTAL
                else:
                    section_failed = True
        if section.bonus:
            bonus += earned
            result.sections.append(SectionResult(section.key, float(earned / possible) if possible else None,
                                                 float(earned), float(possible), bonus=True))
            continue
        if section_failed:
            # A critical failure overrides N/A: the section counts, fully, as 0.
            earned, possible = Fraction(0), full
            if result.critical_failed != CRITICAL_TOTAL:
                result.critical_failed = CRITICAL_SECTION
        section_result = earned / possible if possible else None
        result.sections.append(SectionResult(section.key, None if section_result is None else float(section_result),
                                             float(earned), float(possible), critical_failed=section_failed))
        if section_result is None:
            continue
        if weighted:
            weight = Fraction(str(section.weight))
            numerator += weight * section_result
            denominator += weight
        else:
            numerator += earned
            denominator += possible
    max_score = Fraction(str(card.max_score))
    result.bonus = float(bonus)
    if result.critical_failed == CRITICAL_TOTAL:
        result.score = 0.0
        return result
    if denominator == 0:
        return result
    total = numerator / denominator * max_score
    if not any(s.critical_failed for s in result.sections):
        total += bonus
    result.score = _round(min(total, max_score))
    return result


def passed(criterion: Criterion, answer: object) -> bool | None:
    """Whether an answer passes its criterion: it earns at least half its points (yes; 3 of 5
    or more; half the points or more). None for N/A. A failed critical criterion (earning
    nothing) is always a fail; a *low* answer (no; 1 or 2 of 5; under half) is one too."""
    if answer == NA or answer is None:
        return None
    return criterion.fraction(answer) >= Fraction(1, 2)


def card_from_definition(definition: Mapping[str, object]) -> Scorecard:
    """The ``Scorecard`` of a stored definition (``ScorecardVersion.definition``)."""
    sections = []
    for raw in definition.get("sections", []):  # type: ignore[attr-defined]
        criteria = [
            Criterion(c["key"], float(c.get("points", 1)), c.get("scale", YES_NO), bool(c.get("na_allowed")),
                      c.get("critical", "") or "")
            for c in raw.get("criteria", [])
        ]
        weight = raw.get("weight")
        sections.append(Section(raw["key"], criteria, None if weight is None else float(weight), bool(raw.get("bonus"))))
    card = Scorecard(sections, float(definition.get("max_score", 100)))  # type: ignore[arg-type]
    validate(card)
    return card
