"""``{% load coaching_tags %}{{ plan.goals.all|kpi_labels }}``: goals named by their KPI labels."""

from django import template

from zhiren.core.text import join_list

from .. import providers

register = template.Library()


@register.filter
def kpi_labels(goals) -> str:
    return join_list(providers.kpi_label(g.kpi) for g in goals)
