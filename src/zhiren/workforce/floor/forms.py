"""The floor page's form to record a state by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin

from ..models import AgentState


class StateEventForm(TablerFormMixin, forms.Form):
    agent = forms.CharField(label=_("agent"))
    state = forms.ChoiceField(label=_("state"), choices=AgentState.choices)
