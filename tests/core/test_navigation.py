from __future__ import annotations

from django.utils import translation

from zhiren.core.navigation import menu_for
from zhiren.org.access import load_access


def labels(entries):
    return [str(e["label"]) for e in entries]


def test_menus_group_pages_by_area(world):
    with translation.override("en"):
        menu = menu_for(load_access(world.user("lead")), "/org/teams/")
    assert labels(menu)[0] == "Home"
    team = next(e for e in menu if str(e["label"]) == "Team")
    assert [str(c["label"]) for c in team["children"]] == ["Teams", "Agents"]
    assert team["active"] is True
    assert all(not e.get("children") or len(e["children"]) > 1 for e in menu)


def test_agents_get_no_staff_pages(world):
    with translation.override("en"):
        menu = menu_for(load_access(world.user("agent")), "/")
    urls = [e.get("url") for e in menu] + [c["url"] for e in menu for c in e.get("children", [])]
    assert "/org/teams/" not in urls and "/org/agents/" not in urls
    assert "/audit/" not in urls


def test_admin_area_only_for_admins(world):
    with translation.override("en"):
        admin = labels(menu_for(load_access(world.user("admin")), "/"))
        lead = labels(menu_for(load_access(world.user("lead")), "/"))
    assert "Administration" in admin
    assert "Administration" not in lead
