from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin, VersionedFormMixin, style_widgets
from zhiren.org.models import Team

from .models import KnowHow, KnowHowKind, OpenPosition, PickKind, RoleProfile, Skill, Stance, Trait


class RoleForm(VersionedFormMixin, TablerFormMixin, forms.ModelForm):
    traits = forms.MultipleChoiceField(
        label=_("Traits the role needs"), choices=Trait.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills the role needs"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RoleProfile
        fields = ["name", "description", "traits", "skills", "weight_ability", "weight_knowledge",
                  "weight_traits", "weight_willingness", "is_active", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TraitsForm(TablerFormMixin, forms.Form):
    traits = forms.MultipleChoiceField(
        label=_("Traits observed"), choices=Trait.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class WishesForm(forms.Form):
    """One stance (and a short note) per role of the catalogue."""

    def __init__(self, *args, roles: list[RoleProfile], wishes: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        choices = [("", _("No preference")), *Stance.choices]
        for role in roles:
            wish = wishes.get(role.pk)
            self.fields[f"stance_{role.pk}"] = forms.ChoiceField(
                label=role.label, choices=choices, required=False, initial=wish.stance if wish else ""
            )
            self.fields[f"note_{role.pk}"] = forms.CharField(
                label=_("Note"), max_length=200, required=False, initial=wish.note if wish else ""
            )
        style_widgets(self)

    def rows(self):
        return [(role, self[f"stance_{role.pk}"], self[f"note_{role.pk}"]) for role in self.roles]

    def wishes(self):
        return [
            (role, self.cleaned_data.get(f"stance_{role.pk}", ""), self.cleaned_data.get(f"note_{role.pk}", ""))
            for role in self.roles
        ]


class PositionForm(forms.ModelForm):
    class Meta:
        model = OpenPosition
        fields = ["role", "capacity", "team", "title"]

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["role"].queryset = RoleProfile.objects.filter(is_active=True)
        self.fields["team"].queryset = Team.objects.filter(site=site)
        self.fields["team"].required = False
        self.fields["title"].required = False
        style_widgets(self)


class PickForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=RoleProfile.objects.none())
    agent = forms.ModelChoiceField(label=_("Person you choose"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(PickKind.ROLE, PickKind.ROLE.label), (PickKind.TRANSFER, PickKind.TRANSFER.label)]
    )
    position = forms.ModelChoiceField(label=_("Open position"), queryset=OpenPosition.objects.none(), required=False)
    to_team = forms.ModelChoiceField(label=_("To team"), queryset=Team.objects.none(), required=False)
    justification = forms.CharField(
        label=_("Why this person?"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, candidates, positions, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = RoleProfile.objects.filter(is_active=True)
        self.fields["agent"].queryset = candidates
        self.fields["position"].queryset = OpenPosition.objects.filter(
            pk__in=[p.pk for p in positions]
        ).select_related("role")  # the choice labels name the role
        self.fields["to_team"].queryset = teams
        style_widgets(self)

    def clean(self):
        data = super().clean()
        position = data.get("position")
        if position and data.get("role") and position.role_id != data["role"].pk:
            self.add_error("position", _("The position is for another role."))
        return data


class KnowHowForm(forms.ModelForm):
    class Meta:
        model = KnowHow
        fields = ["role", "kind", "title", "author", "situation", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = RoleProfile.objects.filter(is_active=True)
        self.fields["author"].queryset = authors
        self.fields["kind"].choices = KnowHowKind.choices
        style_widgets(self)
