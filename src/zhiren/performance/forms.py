"""Forms of the performance pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import style_widgets
from zhiren.imports.forms import check_upload_size

from . import metrics
from .importers import FIELD_KEYS, PRESET_LABELS, PRESETS
from .kpis import KPI_CHOICES
from .models import AppraisalTemplate, ColumnMapping, Goal, GoalLevel


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    level = forms.ChoiceField(label=_("Level"), choices=GoalLevel.choices)
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)
    kpi = forms.ChoiceField(label=_("KPI"), choices=KPI_CHOICES)
    target = forms.FloatField(label=_("Target"))
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    rationale = forms.CharField(
        label=_("Why it matters"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Relevance: how this goal serves the team's or the centre's aim."),
    )
    parent = forms.ModelChoiceField(label=_("Cascaded from"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import visible_goals
        from .services import goal_subjects

        self.fields["kpi"].choices = metrics.choices()  # the KPIs and other apps' metrics (the QA score …)
        subjects = goal_subjects(user)
        self.fields["agent"].queryset = subjects["agents"]
        self.fields["team"].queryset = subjects["teams"]
        self.fields["site"].queryset = subjects["sites"]
        self.fields["parent"].queryset = visible_goals(user).exclude(level=GoalLevel.AGENT)
        today = timezone.localdate()
        self.fields["start"].initial = today.replace(day=1)
        self.fields["end"].initial = (today.replace(day=28) + timezone.timedelta(days=4)).replace(day=1) - \
            timezone.timedelta(days=1)
        style_widgets(self)

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level and not data.get(level):
            self.add_error(level, _("Choose who the goal is for."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end lies before the start."))
        return data

    def goal_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    template = forms.ModelChoiceField(label=_("Template"), queryset=AppraisalTemplate.objects.all())
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    teams = forms.ModelMultipleChoiceField(label=_("Teams"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from zhiren.org.models import Role, Team

        roles = (Role.SITE_MANAGER, Role.HR, Role.ADMIN)
        self.fields["teams"].queryset = Team.objects.order_by("code").visible_to(user, roles)
        style_widgets(self)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end lies before the start."))
        return data


class AppraisalSelfForm(forms.Form):
    text = forms.CharField(label=_("Self-review"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))


class AppraisalLeadForm(forms.Form):
    text = forms.CharField(label=_("Lead review"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))
    behaviour_rating = forms.TypedChoiceField(
        label=_("Behaviour rating"),
        choices=[("", "—"), *[(str(n), str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class InteractionUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
    mapping = forms.ChoiceField(label=_("Column mapping"), required=False,
                                widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Automatic (Chinese or English headers)"))]
        choices += [(name, PRESET_LABELS.get(name, name)) for name in PRESETS]
        choices += [(m.name, f"{m.name} — {m.description}" if m.description else m.name)
                    for m in ColumnMapping.objects.all()]
        self.fields["mapping"].choices = choices

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload)
        return upload


class MappingForm(forms.Form):
    name = forms.SlugField(label=_("Name"), max_length=40, widget=forms.TextInput(attrs={"class": "form-control"}))
    description = forms.CharField(label=_("Description"), max_length=200, required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    columns = forms.CharField(
        label=_("Columns"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace",
                                     "placeholder": "呼叫流水号 = external_id\n坐席账号 = agent"}),
        help_text=_("One per line: the header in your file = the field. Leave the field empty to ignore a column."),
    )

    def clean_columns(self):
        result = {}
        for number, line in enumerate(self.cleaned_data["columns"].splitlines(), start=1):
            if not line.strip():
                continue
            header, sep, key = line.partition("=")
            if not sep or not header.strip():
                raise forms.ValidationError(_("Line %(n)d: write “header = field”.") % {"n": number})
            key = key.strip()
            if key and key not in FIELD_KEYS:
                raise forms.ValidationError(_("Line %(n)d: unknown field “%(key)s”.") % {"n": number, "key": key})
            result[header.strip()] = key
        if not result:
            raise forms.ValidationError(_("Map at least one column."))
        return result


__all__ = ["GoalForm", "CycleForm", "AppraisalSelfForm", "AppraisalLeadForm", "InteractionUploadForm", "MappingForm",
           "Goal"]


class TargetForm(forms.Form):
    """One field per KPI with a target; blank: no own value (the default applies)."""

    def __init__(self, *args, codes, fallback: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.translation import gettext

        from .kpis import KPIS

        units = {"percent": "%", "seconds": gettext("seconds"), "score": gettext("score")}
        for code in codes:
            kpi = KPIS[code]
            better = gettext("Higher is better.") if kpi.higher_is_better else gettext("Lower is better.")
            blank = gettext("Left blank: %(fallback)s.") % {"fallback": fallback.get(code, "—")}
            self.fields[code] = forms.FloatField(
                label=gettext("%(kpi)s (%(unit)s)") % {"kpi": kpi.label, "unit": units[kpi.unit]},
                required=False,
                help_text=f"{better} {blank}",
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )

    def values(self) -> dict[str, float | None]:
        return dict(self.cleaned_data)
