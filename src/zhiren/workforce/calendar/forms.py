"""The agent's wishes form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin


class WishesForm(TablerFormMixin, forms.Form):
    preferred_templates = forms.MultipleChoiceField(
        label=_("shifts I prefer"), required=False, widget=forms.CheckboxSelectMultiple
    )
    preferred_days_off = forms.TypedMultipleChoiceField(
        label=_("days I prefer off"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    note = forms.CharField(label=_("why"), max_length=200, required=False)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_templates"].choices = [(t, t) for t in templates]
