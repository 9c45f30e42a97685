"""Forms of the workforce pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin
from zhiren.org.models import Team

from .models import (
    AgentState,
    ForecastEvent,
    HolidayDay,
    LeaveRequest,
    Queue,
    ShiftTemplate,
    SiteRules,
)

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"})


class QueueForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Queue
        fields = [
            "code",
            "name",
            "channel",
            "history_name",
            "model",
            "service_level",
            "answer_time_s",
            "asa_target_s",
            "max_occupancy",
            "max_abandon_rate",
            "patience_s",
            "max_concurrency",
            "concurrency_slowdown",
            "default_aht_s",
        ]


class TemplateForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = ShiftTemplate
        fields = [
            "name",
            "earliest_start",
            "latest_start",
            "length_minutes",
            "start_step",
            "may_cross_midnight",
            "late",
            "breaks",
            "active",
        ]
        widgets = {"breaks": forms.Textarea(attrs={"rows": 4})}


class RulesForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = SiteRules
        fields = [
            "min_rest_minutes",
            "max_consecutive_days",
            "min_rest_days_per_week",
            "max_minutes_per_day",
            "max_minutes_per_week",
            "meeting_minute",
            "meeting_length",
            "auto_approve_swaps",
            "grace_minutes",
        ]


class EventForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = ForecastEvent
        fields = ["name", "start", "end", "uplift"]
        widgets = {"start": DATE, "end": DATE}


class HolidayForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = HolidayDay
        fields = ["date", "kind", "name"]
        widgets = {"date": DATE}


class ForecastForm(TablerFormMixin, forms.Form):
    start = forms.DateField(label=_("first day"), widget=DATE)
    weeks = forms.IntegerField(label=_("weeks"), min_value=1, max_value=12, initial=4)


class AdjustForm(TablerFormMixin, forms.Form):
    first = forms.DateField(label=_("first day"), widget=DATE)
    last = forms.DateField(label=_("last day"), widget=DATE)
    from_time = forms.TimeField(
        label=_("from"), initial="00:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    to_time = forms.TimeField(
        label=_("to"), initial="23:45", widget=forms.TimeInput(attrs={"type": "time"})
    )
    factor = forms.FloatField(label=_("volume factor"), min_value=0.01, max_value=20, initial=1.2)
    reason = forms.CharField(label=_("reason"), max_length=200)


class DraftForm(TablerFormMixin, forms.Form):
    teams = forms.ModelMultipleChoiceField(
        label=_("teams"), queryset=Team.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    start = forms.DateField(label=_("first Monday"), widget=DATE)
    weeks = forms.IntegerField(label=_("weeks"), min_value=1, max_value=6, initial=1)
    time_limit_s = forms.IntegerField(
        label=_("solver time (seconds)"), min_value=2, max_value=600, initial=20
    )

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            self.fields["teams"].queryset = Team.objects.filter(site=site).order_by("code")


class ShiftEditForm(TablerFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agent = forms.IntegerField(label=_("agent"))
    day = forms.DateField(label=_("day"), widget=DATE)
    template = forms.CharField(label=_("shift"), required=False, help_text=_("Empty: day off."))
    start = forms.TimeField(
        label=_("start"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


class LeaveForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = LeaveRequest
        fields = ["kind", "start", "end", "reason"]
        widgets = {"start": DATE, "end": DATE}


class SwapForm(TablerFormMixin, forms.Form):
    day = forms.DateField(label=_("day"), widget=DATE)
    partner = forms.TypedChoiceField(
        label=_("swap with"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("Anyone in my team (offer)"))] + [
            (a.pk, a.name) for a in colleagues
        ]


class WishesForm(TablerFormMixin, forms.Form):
    preferred_templates = forms.MultipleChoiceField(
        label=_("shifts I prefer"), required=False, widget=forms.CheckboxSelectMultiple
    )
    preferred_days_off = forms.TypedMultipleChoiceField(
        label=_("days I prefer off"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    note = forms.CharField(label=_("why"), max_length=200, required=False)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_templates"].choices = [(t, t) for t in templates]


class StateEventForm(TablerFormMixin, forms.Form):
    agent = forms.CharField(label=_("agent"))
    state = forms.ChoiceField(label=_("state"), choices=AgentState.choices)
