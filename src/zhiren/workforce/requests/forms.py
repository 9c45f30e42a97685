"""Forms of leave and swap requests."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin

from ..models import LeaveRequest

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"})


class LeaveForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = LeaveRequest
        fields = ["kind", "start", "end", "reason"]
        widgets = {"start": DATE, "end": DATE}


class SwapForm(TablerFormMixin, forms.Form):
    day = forms.DateField(label=_("day"), widget=DATE)
    partner = forms.TypedChoiceField(
        label=_("swap with"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("Anyone in my team (offer)"))] + [
            (a.pk, a.name) for a in colleagues
        ]
