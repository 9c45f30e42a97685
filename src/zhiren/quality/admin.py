"""Administrators may also edit transcript rules, phrase lists and sampling plans here; the QA
lead edits rules and phrase lists on the quality pages (``quality:rules``), with versions and
the audit trail, which the admin does not keep.

A rule's expression is checked when saved: an expression the engine cannot read is refused.
"""

from django import forms
from django.contrib import admin

from .models import PhraseList, SamplingPlan, TranscriptRule
from .rules import Rule, RuleError, RuleSet


class TranscriptRuleForm(forms.ModelForm):
    class Meta:
        model = TranscriptRule
        fields = ["site", "key", "name", "kind", "expression", "threshold", "speaker", "criterion_key",
                  "suggested_answer", "targets_sampling", "active"]

    def clean(self):
        data = super().clean()
        lists = {p.name: p.phrases for p in PhraseList.objects.filter(site=data.get("site"))} if data.get("site") else {}
        try:
            RuleSet([Rule(data.get("key") or "rule", data.get("kind") or "", data.get("expression"),
                          data.get("threshold"), data.get("speaker") or "")], lists)
        except RuleError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(TranscriptRule)
class TranscriptRuleAdmin(admin.ModelAdmin):
    form = TranscriptRuleForm
    list_display = ("name", "key", "site", "kind", "criterion_key", "targets_sampling", "active")
    list_filter = ("site", "kind", "active")


@admin.register(PhraseList)
class PhraseListAdmin(admin.ModelAdmin):
    list_display = ("name", "site")


@admin.register(SamplingPlan)
class SamplingPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "queue", "per_agent", "period", "review_step", "dispute_days", "active")
    filter_horizontal = ("inspectors",)
