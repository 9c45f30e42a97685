"""Inputs of the fit, gathered from other modules through the ``fit_inputs`` registry.

A provider is ``fn(agents: list[Agent], today: date) -> dict[agent_id, dict]`` whose dicts may
hold ``ability`` (0–100) with ``ability_source``, ``skills`` ({skill code: level 0–100}),
``traits`` (set of trait codes) and ``wishes`` ({role code: "wants" | "unwilling"}). A provider
that knows nothing about an agent leaves the agent out: the input stays missing (``None``) and
the fit's reasons say so. A module adds its own with
``zhiren.core.registries.fit_inputs.register(name, FitInputs(fn, label), order=…)`` in its
``AppConfig.ready``; providers run in ``order`` and a later one's wishes override an earlier one's
for the same role (the agent's own statement in this app wins over the profile's aspiration).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Sum

from zhiren.core.registries import FitInputs, fit_inputs

from . import fit

Provider = Callable[[list, date], dict[int, dict]]


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    fn: Provider
    order: int
    label: str  # shown on the fit pages: where inputs come from


def providers() -> list[ProviderInfo]:
    return [ProviderInfo(e.name, e.value.fn, e.order, e.value.label) for e in fit_inputs.entries()]


# --- built-in providers -----------------------------------------------------------------------

ABILITY_WINDOW_DAYS = 90
ABILITY_KPIS = ("csat", "fcr", "resolution_rate", "aht")
ON_TARGET = 80.0  # a KPI exactly on target scores 80; 25 % better than target scores 100


def kpi_score(value: float | None, goal: float | None, higher_is_better: bool) -> float | None:
    if value is None or goal is None or goal <= 0:
        return None
    ratio = value / goal if higher_is_better else (2.0 if value <= 0 else goal / value)
    return max(0.0, min(100.0, ON_TARGET * ratio))


def performance_ability(agents: list, today: date) -> dict[int, dict]:
    """Ability from the last 90 days of KPIs against the team's targets (two queries)."""
    if not apps.is_installed("zhiren.performance") or not agents:
        return {}
    from zhiren.performance import kpis
    from zhiren.performance.models import DailyStat
    from zhiren.performance.selectors import target, targets_for

    team_of = {a.pk: a.team_id for a in agents}
    start = today - timedelta(days=ABILITY_WINDOW_DAYS - 1)
    rows = (
        DailyStat.objects.filter(agent_id__in=list(team_of), day__gte=start, day__lte=today)
        .order_by()
        .values("agent")
        .annotate(**{name: Sum(name) for name in kpis.SUM_FIELDS})
    )
    targets = targets_for(sorted({t for t in team_of.values() if t}))
    result: dict[int, dict] = {}
    for row in rows:
        agent_id = row["agent"]
        parts = []
        for code in ABILITY_KPIS:
            kpi = kpis.KPIS.get(code)
            if kpi is None:
                continue
            score = kpi_score(kpi.value(row), target(targets, team_of.get(agent_id), code), kpi.higher_is_better)
            if score is not None:
                parts.append((code, score))
        if parts:
            result[agent_id] = {
                "ability": sum(s for _, s in parts) / len(parts),
                "ability_source": "kpi:" + ",".join(code for code, _ in parts),
            }
    return result


# people.CareerAspiration → the role it points to (stay/change career name no role)
ASPIRATION_ROLES = {"lead": "lead_reserve", "operations": "operations", "qa": "qa", "training": "trainer"}


def people_aspiration(agents: list, today: date) -> dict[int, dict]:
    """The career aspiration in the people module's profile, read as a wish for one role."""
    if not apps.is_installed("zhiren.people") or not agents:
        return {}
    from zhiren.people.models import AgentProfile

    result: dict[int, dict] = {}
    rows = AgentProfile.objects.filter(agent_id__in=[a.pk for a in agents]).exclude(career_aspiration="")
    position_of = {a.pk: a.position for a in agents}
    for agent_id, aspiration in rows.values_list("agent_id", "career_aspiration"):
        if aspiration == "stay_grow":
            role = position_of.get(agent_id)
        else:
            role = ASPIRATION_ROLES.get(aspiration)
        result[agent_id] = {"wishes": {role: fit.WANTS} if role else {}}
    return result


SKILL_RATING_MIN, SKILL_RATING_MAX = 1, 5


def coaching_skills(agents: list, today: date) -> dict[int, dict]:
    """Skill assessments (1–5) from the coaching module, latest per skill, on 0–100."""
    if not apps.is_installed("zhiren.coaching") or not agents:
        return {}
    try:
        from zhiren.coaching.models import SkillAssessment
    except ImportError:  # pragma: no cover - the coaching module is optional
        return {}
    from .models import Skill

    by_label = {str(label).casefold(): code for code, label in Skill.choices}
    by_label.update({code: code for code in Skill.values})
    result: dict[int, dict] = defaultdict(lambda: {"skills": {}})
    rows = (
        SkillAssessment.objects.filter(agent_id__in=[a.pk for a in agents])
        .order_by("agent_id", "skill", "-assessed_on", "-pk")
        .values_list("agent_id", "skill", "score")
    )
    for agent_id, skill, score in rows:
        code = by_label.get(str(skill).strip().casefold())
        if code is None or code in result[agent_id]["skills"]:
            continue
        level = (score - SKILL_RATING_MIN) / (SKILL_RATING_MAX - SKILL_RATING_MIN) * 100
        result[agent_id]["skills"][code] = max(0.0, min(100.0, level))
    return {k: v for k, v in result.items() if v["skills"]}


def placement_records(agents: list, today: date) -> dict[int, dict]:
    """Traits recorded here and the wishes the agent stated here (these override the aspiration)."""
    from .models import AgentTraits, RoleWish

    ids = [a.pk for a in agents]
    result: dict[int, dict] = defaultdict(dict)
    for agent_id, traits in AgentTraits.objects.filter(agent_id__in=ids).values_list("agent_id", "traits"):
        result[agent_id]["traits"] = frozenset(traits or ())
    for agent_id, role, stance in RoleWish.objects.filter(agent_id__in=ids).values_list(
        "agent_id", "role__code", "stance"
    ):
        result[agent_id].setdefault("wishes", {})[role] = stance
    return dict(result)


def register_defaults() -> None:
    """Called from ``PlacementConfig.ready``."""
    from django.utils.translation import gettext_lazy as _

    fit_inputs.register("performance", FitInputs(performance_ability, _("KPIs (performance)")), order=10)
    fit_inputs.register("people", FitInputs(people_aspiration, _("Career aspiration (people)")), order=20)
    fit_inputs.register("coaching", FitInputs(coaching_skills, _("Skill assessments (coaching)")), order=30)
    fit_inputs.register("placement", FitInputs(placement_records, _("Traits and wishes (placement)")), order=90)


# --- merging ----------------------------------------------------------------------------------


def gather(agents: list, today: date) -> dict[int, fit.AgentInputs]:
    """Every provider's inputs for the agents, merged into one ``AgentInputs`` each."""
    merged: dict[int, dict] = {a.pk: {} for a in agents}
    for provider in providers():
        for agent_id, data in provider.fn(agents, today).items():
            target = merged.get(agent_id)
            if target is None:
                continue
            if data.get("ability") is not None and target.get("ability") is None:
                target["ability"] = float(data["ability"])
                target["ability_source"] = data.get("ability_source", provider.name)
            if data.get("skills") is not None:
                target.setdefault("skills", {}).update(data["skills"])
            if data.get("traits") is not None:
                target["traits"] = frozenset(target.get("traits", frozenset())) | frozenset(data["traits"])
            if data.get("wishes") is not None:
                target.setdefault("wishes", {}).update(data["wishes"])
    return {
        a.pk: fit.AgentInputs(
            agent_id=a.pk,
            ability=merged[a.pk].get("ability"),
            ability_source=merged[a.pk].get("ability_source", ""),
            skills=merged[a.pk].get("skills"),
            traits=merged[a.pk].get("traits"),
            wishes=merged[a.pk].get("wishes"),
            current_role=a.position or "",
        )
        for a in agents
    }
