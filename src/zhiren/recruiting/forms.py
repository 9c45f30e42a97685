from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from zhiren.accounts.naming import display_name
from zhiren.core.forms import TablerFormMixin
from zhiren.org.models import Team
from zhiren.placement.models import RoleProfile

from . import assessments, catalogue, pipeline
from .models import (
    REASON_LABELS,
    Candidate,
    ChannelCost,
    InterviewKit,
    ListeningClip,
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
    """The listening-comprehension items of a clip (the shipped one's by default)."""

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        for item in catalogue.LISTENING_ITEMS if items is None else items:
            self.fields[item["key"]] = forms.ChoiceField(
                label=item["text"],
                choices=[tuple(option) for option in item["options"]],
                widget=forms.RadioSelect,
            )


ITEM_PROBLEMS = {
    "text": _("Line %(line)s: a question cannot start with *; mark the right option instead."),
    "options": _("Line %(line)s: a question needs at least two options, one per line."),
    "key": _("Line %(line)s: mark exactly one option as the right one with a leading *."),
}


class ListeningClipForm(TablerFormMixin, forms.ModelForm):
    """A recruiter's clip: the audio (type and size checked), the transcript HR keeps and the
    items as text (``assessments.parse_items``)."""

    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One question per block, blocks separated by an empty line: the question on the "
            "first line, then one option per line; start the right option with *."
        ),
    )

    class Meta:
        model = ListeningClip
        fields = ["site", "title", "audio", "transcript"]
        widgets = {"transcript": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["audio"].widget.attrs["accept"] = "audio/*"
        self.fields["audio"].help_text = _(
            "Ogg, MP3, WAV, M4A or WebM, at most %(mb)s MB. Use a staged call, or one with the "
            "customer's consent and no personal data."
        ) % {"mb": settings.RECRUITING_CLIP_MAX_MB}

    def clean_audio(self):
        audio = self.cleaned_data["audio"]
        if audio.size > settings.RECRUITING_CLIP_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.RECRUITING_CLIP_MAX_MB}
            )
        suffix = audio.name.rsplit(".", 1)[-1].lower() if "." in audio.name else ""
        expected = assessments.AUDIO_TYPES.get(suffix)
        head = audio.read(16)
        audio.seek(0)
        found = assessments.sniff_audio(head)
        if expected is None or found is None or found != expected:
            raise forms.ValidationError(
                _("This is not an audio file a browser plays (Ogg, MP3, WAV, M4A or WebM).")
            )
        self.instance.content_type = found
        return audio

    def clean_questions(self):
        items, problems = assessments.parse_items(self.cleaned_data["questions"])
        if problems:
            raise forms.ValidationError(
                [str(ITEM_PROBLEMS[p.code]) % {"line": p.line} for p in problems]
            )
        if not items:
            raise forms.ValidationError(_("Write at least one question."))
        self.instance.items = items
        return self.cleaned_data["questions"]


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
