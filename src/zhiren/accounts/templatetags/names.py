"""``{{ user|display_name }}``: a person's name as Zhiren shows it everywhere."""

from django import template
from django.contrib.auth.models import User

from zhiren.accounts.naming import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user: User | None) -> str:
    return _display_name(user) if user is not None else ""
