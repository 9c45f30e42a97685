"""Situational leadership: ability × willingness → one of four states (seed 001, 第二讲).

Pure Python, no Django. Scores:

- ability is 0–100. The evidence is a weighted average of input groups (KPIs,
  QA, skill assessments); a group without data is left out, and when the weight
  present is below ``Thresholds.min_ability_coverage`` it is *unknown*
  (``None``) — never guessed. The KPI group scores the share of KPIs on target
  (two of four below target is 50, not the mean attainment of 90 that would
  hide them). When the lead has rated the agent's ability, **the lead's rating
  decides** (the lead knows what a new hire's numbers do not show); the evidence
  is kept beside it, and ``Ability.evidence_disagrees`` says when it falls on
  the other side of the threshold — a question for the lead, not an override;
- willingness is 1–5, the mean of its three elements (motivation, confidence,
  commitment) as rated by the lead; any element missing → unknown.

The thresholds come from settings (``COACHING_THRESHOLDS``), see ``Thresholds``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields


class State(enum.StrEnum):
    DIRECTING = "directing"  # low ability, low willingness: 任务指令
    COACHING = "coaching"  # low ability, high willingness: 教练管理
    MOTIVATING = "motivating"  # high ability, low willingness: 激励启发
    DELEGATING = "delegating"  # high ability, high willingness: 授权管理
    UNKNOWN = "unknown"  # not enough data to say


SOURCES = ("kpi", "qa", "skills", "lead")
RATING_MIN, RATING_MAX = 1, 5


@dataclass(frozen=True)
class Thresholds:
    """Where "high" starts, and how the ability inputs are weighted."""

    ability_high: float = 70.0  # 0–100: at or above → high ability
    willingness_high: float = 3.5  # 1–5: at or above → high willingness
    min_ability_coverage: float = 0.4  # share of the input weight that must be present
    kpi_weight: float = 0.4
    qa_weight: float = 0.2
    skills_weight: float = 0.2
    lead_weight: float = 0.2

    @classmethod
    def from_mapping(cls, data: Mapping[str, float] | None) -> Thresholds:
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown coaching threshold(s): {', '.join(unknown)}")
        return cls(**{k: float(v) for k, v in data.items()})

    def weight(self, source: str) -> float:
        return getattr(self, f"{source}_weight")


@dataclass(frozen=True)
class AbilityInput:
    """One input to the ability score, already on 0–100 (``None``: no data)."""

    source: str  # one of SOURCES
    label: str
    score: float | None
    detail: str = ""


@dataclass(frozen=True)
class SourcePart:
    source: str
    score: float | None
    weight: float
    inputs: tuple[AbilityInput, ...] = ()


@dataclass(frozen=True)
class Ability:
    score: float | None
    coverage: float  # 0–1: share of the weight that had data
    parts: tuple[SourcePart, ...] = field(default_factory=tuple)
    evidence: float | None = None  # the inputs other than the lead's rating
    set_by_lead: bool = False
    evidence_disagrees: bool = False  # the evidence is on the other side of the threshold


def kpi_attainment(value: float | None, target: float | None, higher_is_better: bool) -> float | None:
    """A KPI against its target on 0–100: 100 at or beyond target, proportionally less below it."""
    if value is None or target is None or target <= 0:
        return None
    ratio = value / target if higher_is_better else (1.0 if value <= 0 else target / value)
    return round(max(0.0, min(ratio, 1.0)) * 100, 1)


def rating_score(rating: float | None) -> float | None:
    """A 1–5 rating on 0–100 (1 → 0, 3 → 50, 5 → 100)."""
    if rating is None:
        return None
    if not RATING_MIN <= rating <= RATING_MAX:
        raise ValueError(f"rating out of range: {rating}")
    return round((rating - RATING_MIN) / (RATING_MAX - RATING_MIN) * 100, 1)


def _group_score(source: str, scores: list[float]) -> float | None:
    if not scores:
        return None
    if source == "kpi":  # the share of KPIs on target (attainment 100), so a miss is not averaged away
        return round(100 * sum(1 for s in scores if s >= 100) / len(scores), 1)
    return round(sum(scores) / len(scores), 1)


def ability_score(inputs: Iterable[AbilityInput], thresholds: Thresholds = Thresholds()) -> Ability:
    """The lead's rating when there is one, else the evidence: the weighted mean of the other input
    groups that have data, unknown below the coverage threshold (see the module's docstring)."""
    by_source: dict[str, list[AbilityInput]] = {s: [] for s in SOURCES}
    for item in inputs:
        if item.source not in by_source:
            raise ValueError(f"unknown ability source: {item.source}")
        by_source[item.source].append(item)
    parts = []
    total = present = acc = 0.0
    evidence_total = evidence_present = evidence_acc = 0.0
    for source in SOURCES:
        items = by_source[source]
        score = _group_score(source, [i.score for i in items if i.score is not None])
        weight = thresholds.weight(source)
        parts.append(SourcePart(source, score, weight, tuple(items)))
        total += weight
        evidence_total += weight if source != "lead" else 0.0
        if score is not None:
            present += weight
            acc += score * weight
            if source != "lead":
                evidence_present += weight
                evidence_acc += score * weight
    coverage = round(present / total if total else 0.0, 3)
    evidence = None
    if evidence_present and evidence_present / evidence_total + 1e-9 >= thresholds.min_ability_coverage:
        evidence = round(evidence_acc / evidence_present, 1)
    lead = parts[SOURCES.index("lead")].score
    if lead is not None:
        disagrees = evidence is not None and (evidence >= thresholds.ability_high) != (lead >= thresholds.ability_high)
        return Ability(lead, coverage, tuple(parts), evidence, set_by_lead=True, evidence_disagrees=disagrees)
    return Ability(evidence, coverage, tuple(parts), evidence)


def willingness_score(
    motivation: float | None, confidence: float | None, commitment: float | None
) -> float | None:
    """Mean of the three elements (1–5); unknown when any of them is missing."""
    elements = (motivation, confidence, commitment)
    if any(e is None for e in elements):
        return None
    for e in elements:
        if not RATING_MIN <= e <= RATING_MAX:
            raise ValueError(f"willingness element out of range: {e}")
    return round(sum(elements) / 3, 2)


def classify(ability: float | None, willingness: float | None, thresholds: Thresholds = Thresholds()) -> State:
    """The quadrant; ``UNKNOWN`` when either axis is unknown. A score equal to the threshold is high."""
    if ability is None or willingness is None:
        return State.UNKNOWN
    able = ability >= thresholds.ability_high
    willing = willingness >= thresholds.willingness_high
    if able and willing:
        return State.DELEGATING
    if able:
        return State.MOTIVATING
    if willing:
        return State.COACHING
    return State.DIRECTING


# --- task delegation: the six guiding questions (引导六问) -----------------------------------

QUESTIONS = ("what", "why", "good", "resources", "obstacles", "check")

# Whether the lead *tells* (directive) or *asks* (supportive) for each question, by state.
# Directing: the lead states everything. Coaching: the lead explains what and why and
# what good looks like, then asks. Motivating and delegating: the agent answers.
DELEGATION_MODES: dict[State, tuple[str, ...]] = {
    State.DIRECTING: ("tell", "tell", "tell", "tell", "tell", "tell"),
    State.COACHING: ("tell", "tell", "tell", "ask", "ask", "tell"),
    State.MOTIVATING: ("ask", "ask", "ask", "ask", "ask", "ask"),
    State.DELEGATING: ("ask", "ask", "ask", "ask", "ask", "ask"),
    State.UNKNOWN: ("tell", "tell", "tell", "ask", "ask", "tell"),
}

# Days until the first progress check, by state: close supervision for directing,
# milestones only for delegating.
CHECK_AFTER_DAYS: dict[State, int] = {
    State.DIRECTING: 1,
    State.COACHING: 3,
    State.MOTIVATING: 7,
    State.DELEGATING: 14,
    State.UNKNOWN: 3,
}


def delegation_modes(state: State | str) -> list[tuple[str, str]]:
    """``[(question, "tell" | "ask"), ...]`` for the six questions in order."""
    return list(zip(QUESTIONS, DELEGATION_MODES[State(state)], strict=True))
