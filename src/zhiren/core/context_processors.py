from __future__ import annotations

from zhiren.org.access import load_access

from .navigation import menu_for


def shell(request):
    """What the layout needs: the user's access, role label and navigation."""
    access = load_access(getattr(request, "user", None))
    if not access.is_authenticated:
        return {"access": access, "nav_items": []}
    from zhiren.accounts.naming import display_name
    from zhiren.org.models import Role

    primary = access.primary_role
    name = display_name(request.user)
    return {
        "access": access,
        "user_display_name": name,
        "nav_items": menu_for(access, request.path),
        "primary_role_label": dict(Role.choices).get(primary, "") if primary else "",
    }
