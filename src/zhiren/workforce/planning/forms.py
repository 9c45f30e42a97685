"""Forms of planning: queues, shift templates, rules, events, holidays, forecasts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin, VersionedFormMixin

from ..models import ForecastEvent, HolidayDay, Queue, ShiftTemplate, SiteRules

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"})


class QueueForm(VersionedFormMixin, TablerFormMixin, forms.ModelForm):
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


class TemplateForm(VersionedFormMixin, TablerFormMixin, forms.ModelForm):
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
            "max_contract_minutes",
            "active",
        ]
        widgets = {"breaks": forms.Textarea(attrs={"rows": 4})}


class RulesForm(VersionedFormMixin, TablerFormMixin, forms.ModelForm):
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


class EventForm(VersionedFormMixin, TablerFormMixin, forms.ModelForm):
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
