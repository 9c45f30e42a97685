"""``{% load home_cards %}{% home_card card %}``: one registered home card (``core.registries``)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def home_card(context, card) -> str:
    """Render ``card.template`` like ``{% include %}`` would, with ``card.context`` added."""
    card_template = context.template.engine.get_template(card.template)
    with context.push(card.context):
        return card_template.render(context)
