"""Fit of an agent for a role: pure Python, no Django (tested and benchmarked on plain data).

Four inputs, each scored 0–1 when known (seed 000 §03: 能力价值、知识技能和意愿度, plus the
traits the seed names per role):

- **ability** — the agent's ability score 0–100 (from KPIs, or the coaching module);
- **knowledge** — the mean level 0–100 of the skills the role needs, over the skills assessed;
- **traits** — the share of the role's traits the agent has, when the agent's traits are recorded;
- **willingness** — 1 when the agent wants the role, 0 when they said they do not, 0.5 when
  they stated wishes that do not mention this role.

A missing input is *left out* of the weighted mean and shown as missing in the reasons, never
counted as zero or as an average (the same rule as ``performance.kpis.weighted_score``);
``coverage`` says which share of the weight was known. Reasons are codes with parameters so
the web layer can put them in words in either language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ABILITY, KNOWLEDGE, TRAITS, WILLINGNESS = "ability", "knowledge", "traits", "willingness"
COMPONENTS = (ABILITY, KNOWLEDGE, TRAITS, WILLINGNESS)
DEFAULT_WEIGHTS = {ABILITY: 0.35, KNOWLEDGE: 0.25, TRAITS: 0.2, WILLINGNESS: 0.2}

STRONG, WEAK = 70.0, 50.0  # ability / skill levels called a strength or a weakness
WANTS, UNWILLING, NEUTRAL = "wants", "unwilling", "neutral"

# reason polarity
PLUS, MINUS, MISSING, INFO = "plus", "minus", "missing", "info"


@dataclass(frozen=True)
class RoleSpec:
    code: str
    traits: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass(frozen=True)
class AgentInputs:
    """What is known about one agent. ``None`` means unknown (missing), not zero or empty.

    ``wishes`` maps role codes to ``WANTS`` or ``UNWILLING``; ``None`` means the agent's
    wishes were never asked, an empty mapping that they were asked and named none.
    """

    agent_id: int
    ability: float | None = None
    ability_source: str = ""
    skills: Mapping[str, float] | None = None
    traits: frozenset[str] | None = None
    wishes: Mapping[str, str] | None = None
    current_role: str = ""


@dataclass(frozen=True)
class Reason:
    code: str
    polarity: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Fit:
    agent_id: int
    role: str
    score: float | None  # 0–100; None when no input at all is known
    coverage: float  # share of the weight whose input is known, 0–1
    components: Mapping[str, float | None]
    reasons: tuple[Reason, ...]
    unwilling: bool = False
    wants: bool = False
    current: bool = False

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c for c in COMPONENTS if self.components.get(c) is None)


def _knowledge(inputs: AgentInputs, role: RoleSpec, reasons: list[Reason]) -> float | None:
    if not role.skills:
        return None
    if inputs.skills is None:
        reasons.append(Reason("skills_missing", MISSING, {"skills": list(role.skills)}))
        return None
    known = {s: float(inputs.skills[s]) for s in role.skills if inputs.skills.get(s) is not None}
    unknown = [s for s in role.skills if s not in known]
    strong = [s for s, v in known.items() if v >= STRONG]
    weak = [s for s, v in known.items() if v < WEAK]
    if strong:
        reasons.append(Reason("skills_strong", PLUS, {"skills": strong}))
    if weak:
        reasons.append(Reason("skills_weak", MINUS, {"skills": weak}))
    if unknown:
        reasons.append(Reason("skills_missing", MISSING, {"skills": unknown}))
    if not known:
        return None
    return sum(known.values()) / len(known) / 100.0


def _traits(inputs: AgentInputs, role: RoleSpec, reasons: list[Reason]) -> float | None:
    if not role.traits:
        return None
    if inputs.traits is None:
        reasons.append(Reason("traits_missing", MISSING, {"traits": list(role.traits)}))
        return None
    has = [t for t in role.traits if t in inputs.traits]
    lacks = [t for t in role.traits if t not in inputs.traits]
    if has:
        reasons.append(Reason("traits_match", PLUS, {"traits": has}))
    if lacks:
        reasons.append(Reason("traits_lacking", MINUS, {"traits": lacks}))
    return len(has) / len(role.traits)


def _willingness(inputs: AgentInputs, role: RoleSpec, reasons: list[Reason]) -> float | None:
    if inputs.wishes is None:
        reasons.append(Reason("wishes_missing", MISSING))
        return None
    stance = inputs.wishes.get(role.code)
    if stance == WANTS:
        reasons.append(Reason("wants_role", PLUS))
        return 1.0
    if stance == UNWILLING:
        reasons.append(Reason("unwilling", MINUS))
        return 0.0
    wanted = sorted(r for r, s in inputs.wishes.items() if s == WANTS)
    if wanted:
        reasons.append(Reason("wants_other", INFO, {"roles": wanted}))
    else:
        reasons.append(Reason("no_stated_wish", INFO))
    return 0.5


def score_fit(inputs: AgentInputs, role: RoleSpec) -> Fit:
    """The agent's fit for one role, with reasons (strengths, weaknesses, missing inputs)."""
    reasons: list[Reason] = []
    if inputs.current_role == role.code:
        reasons.append(Reason("current_role", INFO))
    if inputs.ability is None:
        ability = None
        reasons.append(Reason("ability_missing", MISSING))
    else:
        ability = max(0.0, min(100.0, float(inputs.ability))) / 100.0
        params = {"value": round(ability * 100), "source": inputs.ability_source}
        if ability * 100 >= STRONG:
            reasons.append(Reason("ability_high", PLUS, params))
        elif ability * 100 < WEAK:
            reasons.append(Reason("ability_low", MINUS, params))
        else:
            reasons.append(Reason("ability_mid", INFO, params))
    components = {
        ABILITY: ability,
        KNOWLEDGE: _knowledge(inputs, role, reasons),
        TRAITS: _traits(inputs, role, reasons),
        WILLINGNESS: _willingness(inputs, role, reasons),
    }
    total = present = acc = 0.0
    for name in COMPONENTS:
        weight = float(role.weights.get(name, 0.0))
        if weight <= 0 or (name == KNOWLEDGE and not role.skills) or (name == TRAITS and not role.traits):
            continue
        total += weight
        value = components[name]
        if value is not None:
            present += weight
            acc += weight * value
    score = round(100.0 * acc / present, 1) if present else None
    stance = (inputs.wishes or {}).get(role.code)
    return Fit(
        agent_id=inputs.agent_id,
        role=role.code,
        score=score,
        coverage=round(present / total, 3) if total else 0.0,
        components=components,
        reasons=tuple(reasons),
        unwilling=stance == UNWILLING,
        wants=stance == WANTS,
        current=inputs.current_role == role.code,
    )


def fit_matrix(agents: Iterable[AgentInputs], roles: Sequence[RoleSpec]) -> dict[int, dict[str, Fit]]:
    """Every agent × every role."""
    return {a.agent_id: {r.code: score_fit(a, r) for r in roles} for a in agents}


@dataclass(frozen=True)
class Ranking:
    rank: int  # 1-based; ties share the better rank
    of: int
    top: tuple[int, ...]  # agent ids of the top candidates


def rank_of(agent_id: int, fits: Iterable[Fit], top_n: int = 3) -> Ranking:
    """Where ``agent_id`` stands among the candidates for one role (unknown scores rank last)."""
    ordered = sorted(fits, key=lambda f: (f.score is None, -(f.score or 0.0), f.agent_id))
    score_of = {f.agent_id: f.score for f in ordered}
    mine = score_of.get(agent_id)
    if mine is None:
        rank = len(ordered)
    else:
        rank = 1 + sum(1 for f in ordered if f.score is not None and f.score > mine)
    return Ranking(rank=rank, of=len(ordered), top=tuple(f.agent_id for f in ordered[:top_n]))
