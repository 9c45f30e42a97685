from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import quadrants
from .models import Importance


class PointForm(forms.Form):
    text = forms.CharField(label=_("Point"), max_length=300)
    follow_up = forms.BooleanField(label=_("Follow-up"), required=False)
    private = forms.BooleanField(label=_("Lead only"), required=False)


class PlanForm(forms.Form):
    shift_start = forms.DateTimeField(label=_("Shift starts"))


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due = forms.DateField(label=_("Deadline"), required=False)
    important = forms.ChoiceField(
        label=_("Why important"), choices=Importance.choices, required=False
    )


class WindowForm(forms.Form):
    window_days = forms.IntegerField(
        label=_("Urgent within (days)"), min_value=0, max_value=quadrants.MAX_WINDOW_DAYS
    )


class DecisionForm(forms.Form):
    key = forms.CharField(max_length=80)
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("done", "delegate", "schedule", "drop", "reopen")]
    )
    quadrant = forms.IntegerField(required=False, min_value=0, max_value=4)
    delegate_to = forms.IntegerField(required=False)
    scheduled_for = forms.DateField(required=False)
    note = forms.CharField(max_length=300, required=False)
