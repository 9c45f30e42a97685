"""Main navigation: items declared by the apps, shown by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
        result.append(
            {
                "label": item.label,
                "url": url,
                "url_name": item.url_name,
                "icon": item.icon,
                "active": active,
            }
        )
    return result


# Menus of the top bar: an app's pages go under the menu of its area, so the bar
# stays short however many modules are installed. Keyed by URL namespace.
AREAS: tuple[tuple[str, str | Promise, frozenset[str]], ...] = (
    ("lead", _("Workspace"), frozenset({"leadership"})),
    ("team", _("Team"), frozenset({"org"})),
    ("people", _("People"), frozenset({"people", "wellbeing", "privacy", "recruiting"})),
    ("coaching", _("Coaching"), frozenset({"coaching", "placement", "training"})),
    ("performance", _("Performance"), frozenset({"performance"})),
    ("workforce", _("Workforce"), frozenset({"workforce"})),
    ("rules", _("Rules"), frozenset({"discipline"})),
    ("engagement", _("Engagement"), frozenset({"engagement"})),
    ("admin", _("Administration"), frozenset({"imports", "audit", ""})),
)


def menu_for(access: UserAccess, current_path: str = "") -> list[dict]:
    """Top-bar entries: a link where an area has one page for this user, else a menu."""
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items_for(access, current_path):
        namespace = item["url_name"].split(":")[0] if ":" in item["url_name"] else ""
        if item["url_name"] == "core:home":
            entries.append(item)
            continue
        key, label = next(
            ((k, lbl) for k, lbl, spaces in AREAS if namespace in spaces), ("admin", _("Administration"))
        )
        if key not in groups:
            groups[key] = {"key": key, "label": label, "children": [], "active": False}
        groups[key]["children"].append(item)
        groups[key]["active"] = groups[key]["active"] or item["active"]
    for key, _label, _spaces in AREAS:
        group = groups.get(key)
        if group is None:
            continue
        entries.append(group["children"][0] if len(group["children"]) == 1 else group)
    return entries
