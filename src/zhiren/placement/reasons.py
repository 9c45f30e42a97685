"""Fit reasons in words (either language). ``fit.py`` gives codes; this module speaks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import fit
from .models import Position, RoleProfile, Skill, Trait

KPI_SOURCE_PREFIX = "kpi:"


def _join(items) -> str:
    return _(", ").join(str(i) for i in items)


def _traits(codes) -> str:
    labels = dict(Trait.choices)
    return _join(labels.get(c, c) for c in codes)


def _skills(codes) -> str:
    labels = dict(Skill.choices)
    return _join(labels.get(c, c) for c in codes)


def role_label(code: str, roles: dict[str, RoleProfile] | None = None) -> str:
    if roles and code in roles:
        return str(roles[code].label)
    return str(dict(Position.choices).get(code, code))


def _source(source: str) -> str:
    if source.startswith(KPI_SOURCE_PREFIX):
        from zhiren.performance.kpis import KPIS

        codes = [c for c in source[len(KPI_SOURCE_PREFIX):].split(",") if c]
        return _("from %(kpis)s") % {"kpis": _join(KPIS[c].label if c in KPIS else c for c in codes)}
    return source


def describe(reason: fit.Reason, roles: dict[str, RoleProfile] | None = None) -> str:
    p = reason.params
    code = reason.code
    if code == "current_role":
        return _("Already works in this role")
    if code == "ability_missing":
        return _("Ability unknown: no KPI or assessment data yet")
    if code in ("ability_high", "ability_mid", "ability_low"):
        text = {
            "ability_high": _("Strong ability: %(value)s/100"),
            "ability_mid": _("Ability %(value)s/100"),
            "ability_low": _("Ability below par: %(value)s/100"),
        }[code] % {"value": p["value"]}
        source = _source(str(p.get("source") or ""))
        return f"{text} ({source})" if source else text
    if code == "skills_missing":
        return _("Not assessed yet: %(skills)s") % {"skills": _skills(p["skills"])}
    if code == "skills_strong":
        return _("Knows the role's skills well: %(skills)s") % {"skills": _skills(p["skills"])}
    if code == "skills_weak":
        return _("Needs training in: %(skills)s") % {"skills": _skills(p["skills"])}
    if code == "traits_missing":
        return _("Traits not recorded; the role wants: %(traits)s") % {"traits": _traits(p["traits"])}
    if code == "traits_match":
        return _("Has the traits the role wants: %(traits)s") % {"traits": _traits(p["traits"])}
    if code == "traits_lacking":
        return _("Lacks: %(traits)s") % {"traits": _traits(p["traits"])}
    if code == "wishes_missing":
        return _("Own wishes not asked yet")
    if code == "wants_role":
        return _("Wants this role")
    if code == "unwilling":
        return _("Said they do not want this role")
    if code == "wants_other":
        return _("Would rather go to: %(roles)s") % {"roles": _join(role_label(r, roles) for r in p["roles"])}
    if code == "no_stated_wish":
        return _("No preference stated for any role")
    return code


POLARITY_CLASS = {fit.PLUS: "success", fit.MINUS: "danger", fit.MISSING: "secondary", fit.INFO: "info"}


def worded(result: fit.Fit, roles: dict[str, RoleProfile] | None = None) -> list[dict]:
    return [
        {"text": describe(r, roles), "polarity": r.polarity, "css": POLARITY_CLASS[r.polarity]}
        for r in result.reasons
    ]


def summary(result: fit.Fit, roles: dict[str, RoleProfile] | None = None) -> str:
    """One line: the reasons, strengths first, then weaknesses, then what is missing."""
    order = {fit.PLUS: 0, fit.MINUS: 1, fit.INFO: 2, fit.MISSING: 3}
    return _("; ").join(describe(r, roles) for r in sorted(result.reasons, key=lambda r: order[r.polarity]))
