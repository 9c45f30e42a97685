"""Forms of the rule pages: a transcript rule with its JSON expression, a phrase list.

Both records are versioned (``core.versioning``): the forms carry the version they were
opened at. What the rule engine finds wrong is a ``RuleError`` with a code and a place
in the expression; ``rule_error_message`` says it in the page's language.
"""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhiren.core.forms import VersionedFormMixin, style_widgets

from .models import PhraseList, TranscriptRule
from .rules import KINDS, RuleError

KIND_LABELS = {
    "required": _("Required phrases (必说)"),
    "forbidden": _("Forbidden phrases (禁语)"),
    "silence": _("Silence (静音)"),
    "overlap": _("Talking over the customer (抢话)"),
    "speech_rate": _("Speech rate (语速)"),
}
SPEAKER_CHOICES = [("", _("Anyone")), ("agent", _("Agent")), ("customer", _("Customer"))]

# RuleError codes (``rules.engine.ERRORS``) in the page's language
RULE_ERRORS = {
    "not_object": _("an expression is a JSON object {…}, not %(found)s"),
    "empty_list": _("“%(op)s” takes a non-empty list of expressions"),
    "near_pair": _("“near” takes a list of two expressions"),
    "within": _("“within” is a number of sentences, 0 or more"),
    "unknown_list": _("there is no phrase list “%(name)s” in use at this site"),
    "no_phrase": _("an expression needs at least one phrase"),
    "phrases_list": _("“phrases” is a list of texts"),
    "unknown_speaker": _("“%(speaker)s” is not a speaker (agent or customer)"),
    "seconds": _("“%(name)s” is a number of seconds, more than 0"),
    "unknown_expression": _(
        "an expression with the keys %(keys)s is none the rules know "
        "(phrases, list, all, any, not, near)"
    ),
    "unknown_kind": _("“%(kind)s” is not a kind of rule"),
    "threshold": _("a rule of this kind needs a threshold above 0"),
    "no_expression": _("a rule of this kind needs an expression"),
}


def rule_error_message(exc: RuleError, *, name_rule: bool = False) -> str:
    """What is wrong, where in the expression, and (``name_rule``) in which rule."""
    template = RULE_ERRORS.get(exc.code)
    problem = str(template % exc.params) if template is not None else str(exc)
    if exc.path:
        problem = gettext("%(problem)s (at %(path)s)") % {"problem": problem, "path": exc.path}
    if name_rule and exc.rule:
        problem = gettext("Rule “%(rule)s”: %(problem)s") % {"rule": exc.rule, "problem": problem}
    return gettext("%(problem)s.") % {"problem": problem[:1].upper() + problem[1:]}


class TranscriptRuleForm(VersionedFormMixin, forms.ModelForm):
    expression_text = forms.CharField(
        label=_("Expression (JSON)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 8, "class": "form-control font-monospace", "spellcheck": "false"}
        ),
        help_text=_(
            'Required and forbidden rules: e.g. {"phrases": ["您好"], "speaker": "agent", '
            '"first": 15}; combine with all / any / not / near; a phrase list by {"list": "name"}. '
            "See docs/quality.md."
        ),
    )

    class Meta:
        model = TranscriptRule
        fields = [
            "site",
            "key",
            "name",
            "kind",
            "threshold",
            "speaker",
            "criterion_key",
            "suggested_answer",
            "targets_sampling",
            "active",
        ]

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["site"]  # a rule stays at its site
        else:
            self.fields["site"].queryset = self.fields["site"].queryset.filter(
                pk__in=[s.pk for s in sites]
            )
            self.fields["site"].label = _("Site")
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in KINDS]
        self.fields["speaker"] = forms.ChoiceField(
            label=_("Speaker after the silence"), choices=SPEAKER_CHOICES, required=False
        )
        self.fields["threshold"].help_text = _(
            "Silence and talking over: seconds; speech rate: characters a minute."
        )
        self.fields["criterion_key"].help_text = _(
            "A hit suggests this answer on this criterion (key); the inspector confirms it."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["expression_text"] = self.expression_as_text(self.instance.expression)
        style_widgets(self)

    @staticmethod
    def expression_as_text(expression) -> str:
        return "" if expression is None else json.dumps(expression, ensure_ascii=False, indent=2)

    def clean_expression_text(self):
        text = self.cleaned_data["expression_text"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _(
                    "The expression is not valid JSON at line %(line)d, column %(column)d: %(detail)s."
                ),
                params={"line": exc.lineno, "column": exc.colno, "detail": exc.msg},
            ) from exc

    def clean(self):
        data = super().clean()
        site = data.get("site") if "site" in self.fields else self.instance.site
        key = data.get("key")
        if (
            site is not None
            and key
            and TranscriptRule.objects.filter(site=site, key=key)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("key", _("This site already has a rule with this key."))
        return data

    def apply(self) -> TranscriptRule:
        """The instance with the cleaned values (not saved: ``services.save_rule`` saves it)."""
        rule = self.instance
        for name, value in self.cleaned_data.items():
            if name not in ("version", "expression_text"):
                setattr(rule, name, value)
        rule.expression = self.cleaned_data.get("expression_text")
        return rule

    def add_rule_error(self, exc: RuleError) -> None:
        field = (
            "threshold"
            if exc.code == "threshold"
            else "kind"
            if exc.code == "unknown_kind"
            else "expression_text"
        )
        self.add_error(field, rule_error_message(exc))

    def stored_values(self, stored: TranscriptRule) -> dict:
        values = {name: getattr(stored, name) for name in self.fields if hasattr(stored, name)}
        values["expression_text"] = stored.expression
        return values

    def changed_fields(self) -> list[str]:
        return [
            ("expression" if n == "expression_text" else n)
            for n in self.changed_data
            if n != "version"
        ]


class PhraseListForm(VersionedFormMixin, forms.ModelForm):
    phrases_text = forms.CharField(
        label=_("Phrases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "One phrase a line. Width, traditional characters, spaces and punctuation do not matter."
        ),
    )

    class Meta:
        model = PhraseList
        fields = ["site", "name", "active"]

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["site"]
        else:
            self.fields["site"].queryset = self.fields["site"].queryset.filter(
                pk__in=[s.pk for s in sites]
            )
            self.fields["site"].label = _("Site")
        self.fields["name"].help_text = _('Rules name the list by it: {"list": "name"}.')
        if self.instance.pk and not self.is_bound:
            self.initial["phrases_text"] = "\n".join(self.instance.phrases)
        style_widgets(self)

    def clean_phrases_text(self):
        seen: dict[str, None] = {}
        for line in self.cleaned_data["phrases_text"].splitlines():
            if line.strip():
                seen.setdefault(line.strip(), None)
        return list(seen)

    def clean(self):
        data = super().clean()
        site = data.get("site") if "site" in self.fields else self.instance.site
        name = data.get("name")
        if (
            site is not None
            and name
            and PhraseList.objects.filter(site=site, name=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("name", _("This site already has a phrase list with this name."))
        return data

    def apply(self) -> PhraseList:
        phrase_list = self.instance
        for name, value in self.cleaned_data.items():
            if name not in ("version", "phrases_text"):
                setattr(phrase_list, name, value)
        phrase_list.phrases = self.cleaned_data.get("phrases_text") or []
        return phrase_list

    def stored_values(self, stored: PhraseList) -> dict:
        values = {name: getattr(stored, name) for name in self.fields if hasattr(stored, name)}
        values["phrases_text"] = list(stored.phrases)
        return values

    def changed_fields(self) -> list[str]:
        return [
            ("phrases" if n == "phrases_text" else n) for n in self.changed_data if n != "version"
        ]
