from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from zhiren.accounts.naming import display_name
from zhiren.core.forms import TablerFormMixin
from zhiren.org.models import Team
from zhiren.placement.models import RoleProfile

from . import catalogue, pipeline
from .models import (
    REASON_LABELS,
    Candidate,
    ChannelCost,
    InterviewKit,
    Recommendation,
    Requisition,
    Stage,
    StopReason,
)


class RequisitionForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Requisition
        fields = [
            "site",
            "team",
            "role",
            "queue_code",
            "headcount",
            "needed_by",
            "training_days",
            "budget",
            "gap_fte",
            "note",
        ]
        widgets = {
            "needed_by": forms.DateInput(attrs={"type": "date"}),
            "gap_fte": forms.HiddenInput,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["team"].queryset = Team.objects.filter(site__in=sites)
        self.fields["role"].queryset = RoleProfile.objects.filter(is_active=True)


class CandidateForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "site",
            "requisition",
            "name",
            "phone",
            "id_number",
            "email",
            "source",
            "source_detail",
            "applied_on",
            "talent_pool",
        ]
        widgets = {"applied_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, sites, requisitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["requisition"].queryset = requisitions
        self.fields["phone"].required = True


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)
    reason = forms.ChoiceField(choices=[("", "—"), *REASON_LABELS.items()], required=False)
    note = forms.CharField(max_length=200, required=False)


class QuestionsForm(TablerFormMixin, forms.Form):
    """Knock-out questions and the situational-judgement items, on one page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        yes_no = [("yes", _("Yes")), ("no", _("No"))]
        for key, label in catalogue.KNOCKOUT:
            self.fields[f"ko_{key}"] = forms.ChoiceField(
                label=label, choices=yes_no, widget=forms.RadioSelect
            )
        for item in catalogue.SJT_ITEMS:
            self.fields[f"sjt_{item['key']}"] = forms.ChoiceField(
                label=item["text"],
                choices=[(code, text) for code, text, _points in item["options"]],
                widget=forms.RadioSelect,
            )

        for key, service, sales in catalogue.ORIENTATION:
            self.fields[f"or_{key}"] = forms.ChoiceField(
                label=_("Which is more like you?"),
                choices=[("a", service), ("b", sales)],
                widget=forms.RadioSelect,
            )

    def answers(self, prefix: str) -> dict[str, str]:
        return {k[len(prefix) :]: v for k, v in self.cleaned_data.items() if k.startswith(prefix)}


class ListeningForm(TablerFormMixin, forms.Form):
    """The listening-comprehension items (the message is shown above them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in catalogue.LISTENING_ITEMS:
            self.fields[item["key"]] = forms.ChoiceField(
                label=item["text"], choices=list(item["options"]), widget=forms.RadioSelect
            )


class InterviewForm(TablerFormMixin, forms.Form):
    kit = forms.ModelChoiceField(queryset=InterviewKit.objects.none(), label=_("Interview kit"))
    scheduled_at = forms.DateTimeField(
        label=_("Scheduled at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    interviewers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label=_("Interviewers")
    )

    def __init__(self, *args, kits, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kit"].queryset = kits
        self.fields["interviewers"].queryset = people
        self.fields["interviewers"].label_from_instance = display_name


class InterviewTimeForm(forms.Form):
    """How an interview went: run in full (perhaps longer than planned) or stopped after a stage."""

    stopped_after = forms.ChoiceField(label=_("How it went"), required=False)
    reason = forms.ChoiceField(
        label=_("Why stopped"), choices=[("", "—"), *StopReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    minutes = forms.IntegerField(
        label=_("Minutes spent"), min_value=0, max_value=480, required=False
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stopped_after"].choices = [("", _("Ran in full"))] + [
            (s["key"], _("Stopped after: %(stage)s") % {"stage": s["label"]}) for s in stages[:-1]
        ]


class BudgetForm(TablerFormMixin, forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Interviewer"))
    daily_minutes = forms.IntegerField(
        label=_("Interview minutes a day"), min_value=0, max_value=600
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = display_name


class ScorecardForm(TablerFormMixin, forms.Form):
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    no_decision_reason = forms.CharField(label=_("Why no decision"), max_length=200, required=False)

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        for c in competencies:
            self.fields[f"r_{c['key']}"] = forms.TypedChoiceField(
                label=c["label"],
                coerce=int,
                choices=[(n, str(n)) for n in range(1, 6)],
                widget=forms.RadioSelect,
            )

    def ratings(self) -> dict[str, int]:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("r_")}


class OfferForm(TablerFormMixin, forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    monthly_salary = forms.DecimalField(
        label=_("Monthly salary (yuan)"), required=False, max_digits=9, decimal_places=2
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(site=site)


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(choices=[(r, REASON_LABELS[r]) for r in pipeline.WITHDRAWAL_REASONS])


class ChannelCostForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = ChannelCost
        fields = ["site", "source", "month", "amount", "note"]
        widgets = {"month": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("A cost cannot be negative."))
        return amount

    def validate_unique(self) -> None:
        """The service replaces the month's figure; no "already exists" error."""
