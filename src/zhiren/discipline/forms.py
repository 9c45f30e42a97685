"""Forms of the discipline pages. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin, VersionedFormMixin, style_widgets

from .models import (
    ATTENDANCE_KINDS,
    LADDER_CHOICES,
    CorrectionAction,
    PunchKind,
    Rule,
    RuleCategory,
    ViolationKind,
    Window,
)

STEP_COUNT = 5


class TablerForm(TablerFormMixin, forms.Form):
    """A form with Tabler-styled widgets."""


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RuleForm(VersionedFormMixin, TablerForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(label=_("Rule text"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What is expected, in the words the team will read."))
    category = forms.ChoiceField(label=_("Category"), choices=RuleCategory.choices, initial=RuleCategory.CONDUCT)
    kinds = forms.MultipleChoiceField(
        label=_("Attendance findings covered"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, ViolationKind(k).label) for k in ATTENDANCE_KINDS],
    )
    teams = forms.ModelMultipleChoiceField(label=_("Teams"), queryset=None, required=False,
                                           help_text=_("Leave empty for the whole site."))
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    window = forms.ChoiceField(label=_("Counting window"), choices=Window.choices, initial=Window.MONTH)
    window_days = forms.IntegerField(label=_("Window length (days)"), min_value=1, max_value=366, initial=30,
                                     help_text=_("Only for a trailing window."))
    free_per_window = forms.IntegerField(label=_("Free occurrences per window"), min_value=0, max_value=20,
                                         initial=0, help_text=_("“First N free per month”."))
    lates_per_absence = forms.IntegerField(label=_("Lates that count as one absence"), min_value=0, max_value=20,
                                           initial=0, help_text=_("0: every late counts on its own."))
    grace_days = forms.IntegerField(label=_("Grace period (days)"), min_value=0, max_value=90, initial=7)

    def __init__(self, *args, teams_qs, sites_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams_qs
        self.fields["site"].queryset = sites_qs
        if sites_qs.count() == 1:
            self.fields["site"].initial = sites_qs.first()
        for i in range(1, STEP_COUNT + 1):
            self.fields[f"step{i}"] = forms.ChoiceField(
                label=_("Step %(n)d") % {"n": i}, required=i == 1,
                choices=[("", "—"), *LADDER_CHOICES],
                initial={1: "reminder", 2: "talk", 3: "written_warning", 4: "escalation"}.get(i, ""),
            )
        style_widgets(self)

    @classmethod
    def initial_from(cls, rule: Rule) -> dict:
        initial = {name: getattr(rule, name) for name in (
            "title", "text", "category", "kinds", "window", "window_days", "free_per_window",
            "lates_per_absence", "grace_days")}
        initial["site"] = rule.site_id
        initial["teams"] = list(rule.teams.all())
        initial["version"] = rule.version
        for i in range(1, STEP_COUNT + 1):
            initial[f"step{i}"] = rule.ladder[i - 1] if i <= len(rule.ladder) else ""
        return initial

    def step_fields(self):
        return [self[f"step{i}"] for i in range(1, STEP_COUNT + 1)]

    def clean(self):
        data = super().clean()
        steps = [data.get(f"step{i}") for i in range(1, STEP_COUNT + 1)]
        while steps and not steps[-1]:
            steps.pop()
        if any(not s for s in steps):
            raise forms.ValidationError(_("Fill the steps of the ladder without gaps."))
        data["ladder"] = steps
        if data.get("category") == RuleCategory.ATTENDANCE and not data.get("kinds"):
            self.add_error("kinds", _("An attendance rule covers at least one finding."))
        return data


class AnnounceForm(VersionedFormMixin, TablerForm):
    on = forms.DateField(label=_("Announced on"), widget=_date_input())
    grace_days = forms.IntegerField(label=_("Grace period (days)"), min_value=0, max_value=90)
    announcement = forms.CharField(label=_("Announcement"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Leave empty to announce the rule text."))
    acknowledge_overlap = forms.BooleanField(
        label=_("Announce anyway, although another rule is still in its grace period"), required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class RetireForm(TablerForm):
    on = forms.DateField(label=_("Retired from"), widget=_date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ViolationForm(TablerForm):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None)
    rule = forms.ModelChoiceField(label=_("Rule"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=_date_input())
    note = forms.CharField(label=_("What the agent did"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agents_qs, rules_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents_qs
        self.fields["rule"].queryset = rules_qs
        self.fields["day"].initial = timezone.localdate()


class RespondForm(TablerForm):
    note = forms.CharField(label=_("What you did"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("For example: talked at 14:00, agreed to set an alarm."))


class ExceptionForm(TablerForm):
    reason = forms.CharField(label=_("Reason for the exception"), widget=forms.Textarea(attrs={"rows": 2}),
                             min_length=10, help_text=_("Required. The site manager sees every exception."))


class PunchSelect(forms.Select):
    """Options keyed by their agent, so the page shows only the chosen agent's punches."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-key"] = str(instance.agent_id)
        return option


class CorrectionForm(TablerForm):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None)
    action = forms.ChoiceField(label=_("Request"), choices=CorrectionAction.choices)
    at = forms.DateTimeField(label=_("Time of the missing punch"), required=False,
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    kind = forms.ChoiceField(label=_("Direction"), choices=PunchKind.choices, initial=PunchKind.IN)
    event = forms.ModelChoiceField(label=_("Punch to void"), queryset=None, required=False,
                                   widget=PunchSelect(attrs={"data-filter-by": "agent"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), min_length=10)

    def __init__(self, *args, agents_qs, events_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents_qs
        if agents_qs.count() == 1:
            self.fields["agent"].initial = agents_qs.first()
        self.fields["event"].queryset = events_qs.select_related("agent")
        self.fields["event"].label_from_instance = lambda e: (
            f"{timezone.localtime(e.at):%Y-%m-%d %H:%M} · {e.get_kind_display()} · {e.agent.name}"
        )

    def clean(self):
        data = super().clean()
        agent, event = data.get("agent"), data.get("event")
        if agent is not None and event is not None and event.agent_id != agent.pk:
            self.add_error("event", _("This punch is %(name)s's, not %(agent)s's.")
                           % {"name": event.agent.name, "agent": agent.name})
        return data


class DecideForm(TablerForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput())


class PolicyForm(TablerForm):
    late_grace = forms.IntegerField(label=_("Grace minutes for arrival"), min_value=0, max_value=120)
    early_grace = forms.IntegerField(label=_("Grace minutes for leaving"), min_value=0, max_value=120)
    overtime_minimum = forms.IntegerField(label=_("Minimum overtime (minutes)"), min_value=0, max_value=600)
    late_as_absence = forms.IntegerField(label=_("Late by this many minutes counts as an absence"), min_value=0,
                                         max_value=1440, help_text=_("0: never."))
    response_due_days = forms.IntegerField(label=_("Days to respond to a violation"), min_value=1, max_value=30,
                                           help_text=_("Unanswered after this, a violation is a broken window."))
