"""Main navigation: items declared by the apps, shown by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from zhiren.org.access import UserAccess


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]  # empty: every signed-in user
    icon: str = ""
    order: int = 100


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    """Called from an app's ``AppConfig.ready`` to add its pages to the navigation."""
    for item in items:
        if item not in _ITEMS:
            _ITEMS.append(item)
    _ITEMS.sort(key=lambda i: i.order)


def items_for(access: UserAccess, current_path: str = "") -> list[dict]:
    result = []
    for item in _ITEMS:
        if item.roles and not access.has_role(*item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = url == "/" and current_path == "/" or url != "/" and current_path.startswith(url)
        result.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return result
