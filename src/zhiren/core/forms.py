"""Form styling shared by every app: Tabler's CSS classes on Django's widgets."""

from __future__ import annotations

from django import forms


def style_widgets(form: forms.BaseForm) -> None:
    """Give every widget of ``form`` its Tabler class, unless it already has one.

    Call it again after adding fields in a form's ``__init__``.
    """
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class TablerFormMixin:
    """Mix into a ``Form`` or ``ModelForm`` (before it) to style its widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
