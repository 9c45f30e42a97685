from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin, VersionedFormMixin
from zhiren.org.models import Agent

from . import providers
from .models import (
    CheckInProgress,
    FeedbackKind,
    GrowQuestion,
    GrowStage,
    InterferenceKind,
    PlanStatus,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATING_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


def _rating(label, help_text=""):
    return forms.TypedChoiceField(label=label, choices=RATING_CHOICES, coerce=int, empty_value=None,
                                  required=False, help_text=help_text)


class RatingForm(TablerFormMixin, forms.Form):
    motivation = _rating(_("Motivation"), _("Do they want to do it? Is the work meaningful to them?"))
    confidence = _rating(_("Confidence"), _("Do they believe they can do it?"))
    commitment = _rating(_("Commitment"), _("Do they stick with it when it gets hard?"))
    ability = _rating(_("Ability (your overall judgement)"), _("Optional; KPIs and skill assessments count too."))
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               help_text=_("What did you observe? Concrete situations, not impressions."))
    rated_on = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)

    def __init__(self, *args, is_self: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_self:
            del self.fields["ability"]
            self.fields["evidence"].label = _("Anything you would like your lead to know")
            self.fields["evidence"].help_text = ""
        else:
            self.fields["evidence"].required = True


class SkillForm(TablerFormMixin, forms.Form):
    skill = forms.CharField(label=_("Skill"), max_length=60,
                            help_text=_("E.g. product knowledge, system use, handling complaints."))
    score = forms.TypedChoiceField(label=_("Score (1–5)"), choices=RATING_CHOICES[1:], coerce=int)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    assessed_on = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)


class FeedbackForm(TablerFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices, widget=forms.RadioSelect)
    given_on = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)
    behavior = forms.CharField(label=_("Behavior"), widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("What exactly did they do or say? One concrete situation."))
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("What did it lead to — for the customer, the team, the results?"))
    appreciation = forms.CharField(label=_("Appreciation"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                   help_text=_("Praise: say thank you and what it shows about them."))
    desired = forms.CharField(label=_("Desired behavior"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              help_text=_("Correction: what would you like to see next time?"))
    kpi = forms.ChoiceField(label=_("Related KPI"), required=False)
    interaction_ref = forms.CharField(label=_("Related interaction (ID)"), max_length=100, required=False)
    share = forms.BooleanField(label=_("Share this praise on the team's recognition wall"), required=False)
    # Sent by the three beliefs' panel, shown before a correction is written.
    beliefs_shown = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = [("", "—"), *providers.kpi_choices()]

    def clean(self):
        data = super().clean()
        if data.get("kind") == FeedbackKind.CORRECTIVE:
            if data.get("share"):
                self.add_error("share", _("Corrective feedback is always one-to-one: it cannot be shared."))
            if not (data.get("desired") or "").strip():
                self.add_error("desired", _("Say what you would like to see instead."))
            data["appreciation"] = ""
        elif data.get("kind") == FeedbackKind.PRAISE:
            if not (data.get("appreciation") or "").strip():
                self.add_error("appreciation", _("Say how you appreciate it."))
            data["desired"] = ""
        return data


class GrowForm(TablerFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reality = forms.CharField(label=_("Reality"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    options = forms.CharField(label=_("Options"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    will = forms.CharField(label=_("Will"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions asked"), queryset=GrowQuestion.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    commitment = forms.CharField(label=_("Commitment"), max_length=300, required=False,
                                 help_text=_("What the agent will do, in their own words."))
    commitment_due = forms.DateField(label=_("Due"), widget=DATE_INPUT, required=False)
    interference_kind = forms.ChoiceField(label=_("What gets in the way"), required=False,
                                          choices=[("", "—"), *InterferenceKind.choices])
    interference = forms.CharField(label=_("Interference"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("commitment") and not data.get("commitment_due"):
            self.add_error("commitment_due", _("Give the commitment a due date."))
        if data.get("interference") and not data.get("interference_kind"):
            self.add_error("interference_kind", _("Choose the kind of interference."))
        return data


class CommitmentForm(TablerFormMixin, forms.Form):
    description = forms.CharField(label=_("Commitment"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DATE_INPUT)


class FollowUpForm(TablerFormMixin, forms.Form):
    note = forms.CharField(label=_("Follow-up"), max_length=1000, required=False)
    done = forms.BooleanField(label=_("Done"), required=False)


class InterferenceForm(TablerFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InterferenceKind.choices)
    description = forms.CharField(label=_("What gets in the way"), max_length=300)


class RemoveInterferenceForm(TablerFormMixin, forms.Form):
    note = forms.CharField(label=_("How it was removed"), max_length=300, required=False)


class PlanForm(TablerFormMixin, forms.Form):
    kpi = forms.ChoiceField(label=_("KPI"))
    baseline = forms.FloatField(label=_("Baseline"), required=False)
    target = forms.FloatField(label=_("Target"))
    kpi_2 = forms.ChoiceField(label=_("Second KPI (optional)"), required=False)
    baseline_2 = forms.FloatField(label=_("Baseline"), required=False)
    target_2 = forms.FloatField(label=_("Target"), required=False)
    started_on = forms.DateField(label=_("Start"), widget=DATE_INPUT, initial=timezone.localdate)
    review_on = forms.DateField(label=_("Review on"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Why a plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    training = forms.CharField(label=_("Training promised"), max_length=200, required=False)
    buddy = forms.ModelChoiceField(label=_("Buddy"), queryset=Agent.objects.none(), required=False)
    coaching_every_days = forms.IntegerField(label=_("Coaching every (days)"), min_value=1, max_value=60, initial=7)

    def __init__(self, *args, agent: Agent, **kwargs):
        super().__init__(*args, **kwargs)
        choices = providers.kpi_choices()
        # a metric no longer offered (a criterion's pass rate …) stays choosable when asked for
        for code in {str(c) for c in (self.initial.get("kpi"), self.data.get("kpi"), self.data.get("kpi_2")) if c}:
            if code not in dict(choices) and providers.known_kpi(code):
                choices.append((code, providers.kpi_label(code)))
        self.fields["kpi"].choices = choices
        self.fields["kpi_2"].choices = [("", "—"), *choices]
        self.fields["buddy"].queryset = (
            Agent.objects.filter(team_id=agent.team_id, status="active").exclude(pk=agent.pk).order_by("employee_no")
        )

    def clean(self):
        data = super().clean()
        if data.get("kpi_2") and data.get("target_2") is None:
            self.add_error("target_2", _("Give the second KPI a target."))
        return data

    def goals(self) -> list[tuple[str, float | None, float]]:
        d = self.cleaned_data
        goals = [(d["kpi"], d.get("baseline"), d["target"])]
        if d.get("kpi_2"):
            goals.append((d["kpi_2"], d.get("baseline_2"), d["target_2"]))
        return goals


class PlanGoalForm(TablerFormMixin, forms.Form):
    """One more goal on an active plan."""

    kpi = forms.ChoiceField(label=_("KPI"))
    baseline = forms.FloatField(label=_("Baseline"), required=False)
    target = forms.FloatField(label=_("Target"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = providers.kpi_choices()
        code = str(self.data.get("kpi") or self.initial.get("kpi") or "")
        if code and code not in dict(choices) and providers.known_kpi(code):
            choices.append((code, providers.kpi_label(code)))
        self.fields["kpi"].choices = choices


class CheckInForm(TablerFormMixin, forms.Form):
    progress = forms.ChoiceField(label=_("Progress"), choices=CheckInProgress.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class ClosePlanForm(TablerFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(s.value, s.label) for s in (PlanStatus.SUCCEEDED, PlanStatus.NOT_MET, PlanStatus.CANCELLED)],
    )
    outcome = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}))


class DelegationForm(TablerFormMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    what = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    why = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    good = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    resources = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    obstacles = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    check = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    check_on = forms.DateField(label=_("First check"), widget=DATE_INPUT)

    def __init__(self, *args, questions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            self.fields[q["code"]].label = q["label"]
            self.fields[q["code"]].help_text = q["hint"]

    def answers(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in ("what", "why", "good", "resources", "obstacles", "check")}


class QuestionForm(VersionedFormMixin, TablerFormMixin, forms.ModelForm):
    class Meta:
        model = GrowQuestion
        fields = ["stage", "text_zh", "text_en", "order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = GrowStage.choices
