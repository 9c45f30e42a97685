from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}``: a dict's value, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(value):
    """A 0–1 share as a whole percentage, or an em dash for missing."""
    return "—" if value is None or value == "" else f"{100 * float(value):.0f}%"


@register.filter
def num(value, digits=1):
    """A number with ``digits`` decimals, or an em dash for missing (never 0)."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.{int(digits)}f}"
