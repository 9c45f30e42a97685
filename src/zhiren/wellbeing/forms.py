"""Forms of the wellbeing pages: validation only; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.org.models import Agent

from .models import Action, Cause, Score


class CheckInForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How are you today?"), choices=Score.choices, coerce=int,
        widget=forms.RadioSelect, error_messages={"required": _("Choose a face.")},
    )
    causes = forms.MultipleChoiceField(
        label=_("What is behind it? (optional)"), choices=Cause.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note (only you, your team lead and HR can read it)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    quick = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AlertActionForm(forms.Form):
    action = forms.ChoiceField(label=_("What did you do?"), choices=Action.choices, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    dismiss = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("dismiss") and not data.get("action"):
            self.add_error("action", _("Choose what you did."))
        return data


class BuddyPairForm(forms.Form):
    helper = forms.ModelChoiceField(label=_("Helper"), queryset=Agent.objects.none())
    buddy = forms.ModelChoiceField(label=_("Helped"), queryset=Agent.objects.none())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = agents if agents is not None else Agent.objects.none()
        self.fields["helper"].queryset = qs
        self.fields["buddy"].queryset = qs
        self.fields["helper"].label_from_instance = self.fields["buddy"].label_from_instance = (
            lambda a: f"{a.name} · {a.team.name}"
        )

    def clean(self):
        data = super().clean()
        if data.get("helper") and data.get("helper") == data.get("buddy"):
            self.add_error("buddy", _("An agent cannot be their own buddy."))
        return data


class BuddyEndForm(forms.Form):
    outcome = forms.CharField(label=_("How did it go?"), required=False, max_length=300)


class BoardMessageForm(forms.Form):
    body = forms.CharField(label=_("A word of encouragement"), max_length=280,
                           widget=forms.Textarea(attrs={"rows": 2}))
    signed = forms.BooleanField(label=_("Sign with my name"), required=False, initial=True)
