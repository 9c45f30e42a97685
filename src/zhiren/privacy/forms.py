from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import TablerFormMixin

from .models import Approver
from .selectors import Topic

APPROVE, DECLINE = "approve", "decline"


class CorrectionForm(TablerFormMixin, forms.Form):
    topic = forms.ChoiceField(label=_("Which data"))
    wrong = forms.CharField(label=_("What is wrong"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    correct = forms.CharField(
        label=_("What it should be"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, topics: dict[str, Topic], **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, found in topics.items():
            groups.setdefault(str(found.source_label), []).append((key, str(found.topic.label)))
        self.fields["topic"].choices = [("", "—"), *groups.items()]
        self.routes = {key: Approver(found.topic.approver).label for key, found in topics.items()}


class DecisionForm(TablerFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    apply_change = forms.BooleanField(
        label=_("Make the change in Zhiren"), required=False, initial=True,
        help_text=_("Untick when you corrected the data by hand."),
    )
    note = forms.CharField(
        label=_("Note to the agent (required when declining)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, can_apply: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_apply:
            del self.fields["apply_change"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == DECLINE and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the agent a reason for declining."))
        return data
