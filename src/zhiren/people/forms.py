from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin, VersionedFormMixin, style_widgets
from zhiren.org.models import Agent

from .models import (
    MAX_TALK_AGENTS,
    MAX_WEIGHT,
    AgentProfile,
    EntryKind,
    HomeSituation,
    ImportantDate,
    MaritalStatus,
    Motivator,
    RobotKind,
    TalkPrompt,
    TalkSetting,
)
from .services import check_talk_size

RANKS = len(Motivator.values)


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(VersionedFormMixin, TablerFormMixin, forms.ModelForm):
    class Meta:
        model = AgentProfile
        fields = ["career_aspiration", "job_fit", "likes", "gift_ideas", "personality_notes"]
        widgets = {
            "likes": forms.Textarea(attrs={"rows": 2}),
            "gift_ideas": forms.Textarea(attrs={"rows": 2}),
            "personality_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *Motivator.choices]
        current = list(self.instance.motivators or [])
        for i in range(RANKS):
            self.fields[f"motivator_{i + 1}"] = forms.ChoiceField(
                label=_("No. %(rank)d") % {"rank": i + 1}, choices=choices, required=False,
                initial=current[i] if i < len(current) else "",
            )
        style_widgets(self)

    def rank_fields(self):
        return [self[f"motivator_{i + 1}"] for i in range(RANKS)]

    def clean(self):
        data = super().clean()
        ranked = [data.get(f"motivator_{i + 1}") for i in range(RANKS)]
        ranked = [m for m in ranked if m]
        if len(set(ranked)) != len(ranked):
            raise forms.ValidationError(_("Each motivator may be ranked only once."))
        data["motivators"] = ranked
        return data

    def profile_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["motivators"] = self.cleaned_data["motivators"]
        return data


class ImportantDateForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = ImportantDate
        fields = ["label", "date", "yearly"]
        widgets = {"date": DATE_INPUT}


ImportantDateFormSet = forms.inlineformset_factory(
    parent_model=Agent,
    model=ImportantDate,
    form=ImportantDateForm,
    extra=1,
    can_delete=True,
)


class LifeStageForm(TablerFormMixin, forms.Form):
    marital_status = forms.ChoiceField(
        label=_("Marital status"), choices=[("", "—"), *MaritalStatus.choices], required=False
    )
    has_dependents = forms.NullBooleanField(
        label=_("Do you have dependents (children, parents you support)?"), required=False,
        widget=forms.Select(choices=[("unknown", _("Prefer not to say")), ("true", _("Yes")), ("false", _("No"))]),
    )
    home = forms.ChoiceField(label=_("Housing"), choices=[("", "—"), *HomeSituation.choices], required=False)
    family_situation = forms.CharField(
        label=_("Family situation"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what you want your lead to know. Please do not enter details about your children."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my team lead and HR may see these details. I can withdraw this at any time."),
        required=True,
    )



class TalkForm(TablerFormMixin, forms.Form):
    agents = forms.ModelMultipleChoiceField(
        label=_("Agents"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    setting = forms.ChoiceField(label=_("Setting"), choices=TalkSetting.choices)
    prompts = forms.MultipleChoiceField(
        label=_("Prompts used"), choices=TalkPrompt.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    summary = forms.CharField(
        label=_("Shared summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by every agent who took part. Keep private observations in the notes per agent."),
    )

    def __init__(self, *args, agents_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = agents_qs
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["agents"].help_text = _("Choose 1 to %(max)d agents.") % {"max": MAX_TALK_AGENTS}
        style_widgets(self)

    def clean_agents(self):
        agents = list(self.cleaned_data.get("agents") or [])
        try:
            check_talk_size(len(agents))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return agents

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A talk is recorded after it took place; the date is in the future."))
        return held_on


class FollowUpForm(TablerFormMixin, forms.Form):
    description = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due"), widget=DATE_INPUT)

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Me (the lead)"))] + [
            (str(p.agent_id), p.agent.name) for p in participants
        ]
        style_widgets(self)


class BankEntryForm(TablerFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    weight = forms.IntegerField(
        label=_("Weight"), min_value=1, max_value=MAX_WEIGHT, required=False,
        help_text=_("1–10; empty for the usual weight of the kind."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()
        style_widgets(self)

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class CadenceForm(TablerFormMixin, forms.Form):
    weeks = forms.IntegerField(label=_("Every how many weeks"), min_value=1, max_value=52)


class WebhookForm(TablerFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Robot"), choices=RobotKind.choices)
    url = forms.URLField(label=_("Webhook address"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("Signing secret"), max_length=200, required=False,
        help_text=_("DingTalk and Feishu: the secret of the robot's signature check, if enabled."),
    )

