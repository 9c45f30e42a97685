"""How a user's name is shown: Chinese names surname first with no space."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ffff" for ch in text)


def display_name(user: User) -> str:
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not first and not last:
        return user.get_username()
    if _is_cjk(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
