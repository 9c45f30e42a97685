from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import quadrants
from .models import Importance, ReportKind


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
    minutes = forms.IntegerField(required=False, min_value=0, max_value=1440)


PERIODS = [("week", _("the last 7 days")), ("month", _("the last 30 days"))]


class RequestForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    subject = forms.CharField(
        label=_("The matter"), max_length=80, help_text=_("One matter per request (一事一请).")
    )
    background = forms.CharField(
        label=_("Background"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    options = forms.CharField(
        label=_("Options, one per line"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommended = forms.IntegerField(label=_("Recommended option (number)"), min_value=1, initial=1)
    evidence = forms.CharField(
        label=_("Evidence (in your words)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    period = forms.ChoiceField(label=_("Data of"), choices=PERIODS, initial="week", required=False)
    tables = forms.MultipleChoiceField(
        label=_("Data evidence from the system"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, teams=None, tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["tables"].choices = [(t.key, gettext(t.title)) for t in tables]

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("approve", "approve"), ("reject", "reject"), ("comment", "comment")]
    )
    text = forms.CharField(max_length=2000, required=False)


class ReportStartForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class ReportEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Report"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 12})
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=2000)


class IntakeForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    given_by = forms.CharField(label=_("Given by"), max_length=100, required=False)
    goal = forms.CharField(
        label=_("Goal"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    resources = forms.CharField(
        label=_("Resources"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    standards = forms.CharField(
        label=_("Standards"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    report_to = forms.CharField(label=_("Who to report to"), max_length=100, required=False)
    important = forms.ChoiceField(
        label=_("Why important"), choices=Importance.choices, required=False, initial="kpi"
    )
