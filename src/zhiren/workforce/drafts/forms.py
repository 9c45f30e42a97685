"""Forms of roster drafts: a new draft, and one shift edited by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin
from zhiren.org.models import Team

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"})


class DraftForm(TablerFormMixin, forms.Form):
    teams = forms.ModelMultipleChoiceField(
        label=_("teams"), queryset=Team.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    start = forms.DateField(label=_("first Monday"), widget=DATE)
    weeks = forms.IntegerField(label=_("weeks"), min_value=1, max_value=6, initial=1)
    time_limit_s = forms.IntegerField(
        label=_("solver time (seconds)"), min_value=2, max_value=600, initial=20
    )

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            self.fields["teams"].queryset = Team.objects.filter(site=site).order_by("code")


class ShiftEditForm(TablerFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agent = forms.IntegerField(label=_("agent"))
    day = forms.DateField(label=_("day"), widget=DATE)
    template = forms.CharField(label=_("shift"), required=False, help_text=_("Empty: day off."))
    start = forms.TimeField(
        label=_("start"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
