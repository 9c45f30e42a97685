"""``{% load text %}{{ names|join_list }}``: a list joined for the active language."""

from django import template

from ..text import join_list as _join_list

register = template.Library()


@register.filter
def join_list(items) -> str:
    return _join_list(items or [])
