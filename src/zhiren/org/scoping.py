"""One way to scope a read: ``visible_to`` and ``get_visible_or_404``.

``org.access`` says which teams a user covers (per field group, per role); this
module turns that answer into a filter on any queryset whose rows hang off an
agent or a team. Selectors, services and views outside ``org`` scope their reads
with it instead of looking at a ``Coverage`` themselves::

    Agent.objects.visible_to(user)                                  # the directory
    Feedback.objects.visible_to(user, FieldGroup.SENSITIVE)         # via="agent" found
    Violation.objects.visible_to(user, READ_ROLES, own=True)        # roles, plus own rows
    Exemption.objects.visible_to(user, READ_ROLES, via="violation__team")
    get_visible_or_404(Agent, user, pk, FieldGroup.SENSITIVE)       # 404, never 403

``who`` is a ``FieldGroup`` (the roles that see that group of an agent's data),
a tuple of roles, ``ANY_ROLE`` or ``NO_ROLE`` (with ``own=True``: the user's own
rows only). ``own`` adds the user's own rows (their agent
record, or their team for rows that hang off a team); it defaults to what the
policy says: true for a field group (an agent sees all of their own record),
false for roles. ``via`` is the path to the agent or team; when left out it is
found from the model (itself, or its only ``agent``/``team`` foreign key).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from .access import AnyUser, Coverage, FieldGroup, UserAccess, load_access
from .models import Role
from .querysets import VisibleManager, VisibleQuerySet

if TYPE_CHECKING:
    from .models import Agent

ModelT = TypeVar("ModelT", bound=models.Model)

ANY_ROLE: tuple[str, ...] = tuple(Role.values)  # through whichever role the user holds
NO_ROLE: tuple[str, ...] = ()  # through no role: with ``own=True``, the user's own rows only

Who = FieldGroup | Iterable[str]

__all__ = [
    "ANY_ROLE", "NO_ROLE", "VisibleManager", "VisibleQuerySet", "coverage", "covers_any", "covers_everything",
    "get_or_404", "get_visible_or_404", "own_agent", "own_agent_or_404", "scoped_team_ids", "visible_to",
]


def coverage(user: AnyUser | None, who: Who = FieldGroup.DIRECTORY) -> Coverage:
    """The teams ``who`` covers for the user (a field group's roles, or the given roles)."""
    return _coverage(load_access(user), who)


def _coverage(access: UserAccess, who: Who) -> Coverage:
    if isinstance(who, FieldGroup):
        return access.coverage_for(who)
    roles = (who,) if isinstance(who, str) else tuple(who)  # one role given bare, not its letters
    return access.teams(*roles) if roles else Coverage()


def covers_everything(user: AnyUser | None, who: Who = FieldGroup.DIRECTORY) -> bool:
    return coverage(user, who).everything


def covers_any(user: AnyUser | None, who: Who = FieldGroup.DIRECTORY) -> bool:
    """Whether ``who`` gives the user any team at all (some teams, a site, or everything)."""
    found = coverage(user, who)
    return found.everything or bool(found.team_ids)


def scoped_team_ids(user: AnyUser | None, who: Who = FieldGroup.DIRECTORY) -> frozenset[int] | None:
    """Ids of the teams covered, or None for every team (for filters the queryset API cannot express)."""
    found = coverage(user, who)
    return None if found.everything else found.team_ids


@cache
def _paths(model: type[models.Model], via: str | None) -> tuple[str, str | None, bool]:
    """(team lookup, agent lookup or None, whether the target is an agent) for a model and a path."""
    from .models import Agent, Team

    if via is None:
        if issubclass(model, Agent):
            return "team_id", "pk", True
        if issubclass(model, Team):
            return "pk", None, False
        found = [f.name for f in model._meta.get_fields()
                 if f.many_to_one and f.related_model in (Agent, Team) and f.name in ("agent", "team")]
        if "agent" in found:
            via = "agent"
        elif found:
            via = found[0]
        else:
            raise ValueError(f"{model.__name__}: say via= which path leads to an agent or a team")
    target: type[models.Model] = model
    for part in via.split("__"):
        try:
            field = target._meta.get_field(part)
        except FieldDoesNotExist as exc:
            raise ValueError(f"{model.__name__}: no field {part!r} on the path {via!r}") from exc
        if not field.is_relation or field.related_model is None:
            raise ValueError(f"{model.__name__}: {via!r} is not a path of relations")
        target = field.related_model
    if issubclass(target, Agent):
        return f"{via}__team_id", f"{via}_id", True
    if issubclass(target, Team):
        return f"{via}_id", None, False
    raise ValueError(f"{model.__name__}: {via!r} leads to {target.__name__}, not to an agent or a team")


def visible_to(
    queryset: QuerySet[ModelT], user: AnyUser | None, who: Who = FieldGroup.DIRECTORY, *, via: str | None = None,
    own: bool | None = None, own_via: str | None = None,
) -> QuerySet[ModelT]:
    """The rows of ``queryset`` the user may see through ``who`` (and their own, see ``own``).

    ``own_via`` names another path to the agent whose rows are the user's own, for rows that
    keep the team they were recorded for (``via="team", own_via="agent"``).
    """
    access = load_access(user)
    if not access.is_authenticated:
        return queryset.none()
    team_path, agent_path, to_agent = _paths(queryset.model, via)
    if own_via is not None:
        _own_team, agent_path, to_agent = _paths(queryset.model, own_via)
        if not to_agent:
            raise ValueError(f"{queryset.model.__name__}: own_via={own_via!r} must lead to an agent")
    if own is None:
        own = isinstance(who, FieldGroup)
    found = _coverage(access, who)
    if found.everything:
        return queryset
    condition = Q(**{f"{team_path}__in": found.team_ids}) if found.team_ids else None
    if own:
        own_condition = None
        if agent_path is not None and access.own_agent_id:
            own_condition = Q(**{agent_path: access.own_agent_id})
        elif not to_agent and access.own_team_id:
            own_condition = Q(**{team_path: access.own_team_id})
        if own_condition is not None:
            condition = own_condition if condition is None else condition | own_condition
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def get_or_404(queryset: QuerySet[ModelT], pk: object) -> ModelT:
    """The row with this primary key, or 404 when it is missing or the key is malformed."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def get_visible_or_404(
    source: type[ModelT] | QuerySet[ModelT], user: AnyUser | None, pk: object, who: Who = FieldGroup.DIRECTORY, *,
    via: str | None = None, own: bool | None = None, own_via: str | None = None,
) -> ModelT:
    """The row when it exists *and* the user may see it; 404 otherwise (never 403)."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    return get_or_404(visible_to(queryset, user, who, via=via, own=own, own_via=own_via), pk)


def own_agent(user: AnyUser | None) -> Agent | None:
    """The user's own agent record (team and site joined), or None when they are not an agent."""
    from .models import Agent

    agent_id = load_access(user).own_agent_id
    if not agent_id:
        return None
    return Agent.objects.select_related("team", "team__site").filter(pk=agent_id).first()


def own_agent_or_404(user: AnyUser | None) -> Agent:
    """The user's own agent record; 404 for a user who is not an agent."""
    agent = own_agent(user)
    if agent is None:
        raise Http404
    return agent
