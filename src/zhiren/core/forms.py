"""Form behaviour shared by every app: Tabler's CSS classes on Django's widgets, version checks."""

from __future__ import annotations

import json

from django import forms
from django.db import models
from django.utils.translation import gettext as _

from .versioning import StaleEdit, displayed


def style_widgets(form: forms.BaseForm) -> None:
    """Give every widget of ``form`` its Tabler class, unless it already has one.

    Call it again after adding fields in a form's ``__init__``.
    """
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class TablerFormMixin:
    """Mix into a ``Form`` or ``ModelForm`` (before it) to style its widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class VersionedFormMixin:
    """Mix into a form that edits a :class:`~zhiren.core.versioning.Versioned` record.

    Adds a hidden ``version`` (the instance's, or ``initial["version"]`` for a plain form). When the
    service raises ``StaleEdit``, call :meth:`reject_stale`: the form gets an error listing the
    fields whose saved value differs from what the user entered, keeps the user's entries, and
    now carries the stored version, so the next save overwrites knowingly.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        opened = self.initial.get("version", getattr(instance, "version", None))
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=opened)

    @property
    def opened_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def reject_stale(self, exc: StaleEdit, *, values: dict | None = None) -> None:
        """``values``: the stored record's values by form field name, when they are not its attributes."""
        stored = exc.stored
        changes = []
        for name, field in self.fields.items():
            if name == "version" or name not in self.cleaned_data:
                continue
            if values is not None:
                if name not in values:
                    continue
                saved = values[name]
            elif hasattr(stored, name):
                saved = getattr(stored, name)
            else:
                continue
            mine = self.cleaned_data[name]
            if _comparable(saved) != _comparable(mine):
                changes.append(_("%(field)s: saved “%(saved)s”, yours “%(yours)s”") % {
                    "field": field.label or name, "saved": displayed(field, saved), "yours": displayed(field, mine)})
        who = getattr(stored, "updated_by", None)
        message = (_("%(who)s saved this after you opened it.") % {"who": who} if who
                   else _("Someone else saved this after you opened it."))
        if changes:
            message = " ".join([message, _("Where the saved record differs from your entries:"), "; ".join(changes) + "."])
        message = " ".join([message, _("Your entries are kept below; save again to replace the saved version.")])
        self.add_error(None, message)
        data = self.data.copy()
        data[self.add_prefix("version")] = stored.version
        self.data = data


def _comparable(value):
    """A value in a form that compares equal however it was read: model or pk, queryset or list of pks."""
    if isinstance(value, models.Model):
        return value.pk
    rows = isinstance(value, list | tuple) and value and all(isinstance(v, models.Model) for v in value)
    if isinstance(value, set | frozenset) or hasattr(value, "values_list") or rows:  # unordered: a choice of rows
        return sorted((_comparable(v) for v in value), key=repr)
    if isinstance(value, list | tuple):  # ordered: ranks, steps, a template's breaks
        return [_comparable(v) for v in value]
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    if value is None:
        return ""
    return value
