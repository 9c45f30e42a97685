"""Editing pages of training: programmes with their milestones, nesting cohorts with their
queue exposure, and quizzes. Every bad value is reported on its field, and every bad line of
the exposure stages or row of the milestones on its own, so a trainer sees what to fix."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zhiren.accounts.naming import display_name
from zhiren.core.forms import TablerFormMixin
from zhiren.org.models import Role
from zhiren.workforce.models import Queue

from . import exposure
from .models import (
    Cohort,
    Item,
    Milestone,
    PlanGoal,
    Programme,
    Quiz,
    Session,
    TrainingPlan,
)


def _trainers():
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.TRAINER)
        .distinct()
        .order_by("username")
    )


def _between(form: forms.Form, field: str, low: float, high: float):
    value = form.cleaned_data.get(field)
    if value is not None and not low <= value <= high:
        raise forms.ValidationError(
            _("Enter a value from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return value


class ProgrammeForm(TablerFormMixin, forms.ModelForm):
    criteria = forms.CharField(
        label=_lazy("QA criteria targeted"),
        required=False,
        help_text=_lazy("Criterion keys, separated by commas."),
    )

    class Meta:
        model = Programme
        fields = [
            "site",
            "name",
            "tier",
            "role_code",
            "queue",
            "trainers",
            "certification_quiz",
            "certification_months",
            "active",
        ]
        widgets = {"trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["queue"].queryset = Queue.objects.filter(site__in=sites).order_by("code")
        self.fields["trainers"].queryset = _trainers()
        self.fields["trainers"].label_from_instance = display_name
        self.fields["certification_quiz"].queryset = Quiz.objects.filter(site__in=sites)
        self.fields["criteria"].initial = ", ".join(self.instance.targeted_criteria or [])

    def clean_certification_months(self):
        return _between(self, "certification_months", 1, 60)

    def clean_criteria(self):
        text = self.cleaned_data.get("criteria", "").replace("，", ",")
        return [key.strip() for key in text.split(",") if key.strip()]

    def clean(self):
        data = super().clean()
        site = data.get("site")
        if site and data.get("queue") and data["queue"].site_id != site.pk:
            self.add_error("queue", _("This queue belongs to another site."))
        quiz = data.get("certification_quiz")
        if site and quiz and quiz.site_id != site.pk:
            self.add_error("certification_quiz", _("This quiz belongs to another site."))
        self.instance.targeted_criteria = data.get("criteria", [])
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["order", "title", "topic", "format", "hours", "materials"]
        widgets = {"materials": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css + " form-control-sm")

    def clean_hours(self):
        return _between(self, "hours", 0.5, 200)


class BaseMilestones(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("A programme needs at least one milestone."))


MilestoneFormSet = forms.inlineformset_factory(
    Programme, Milestone, form=MilestoneForm, formset=BaseMilestones, extra=2, can_delete=True
)


class CohortForm(TablerFormMixin, forms.ModelForm):
    stages = forms.CharField(
        label=_lazy("Queue exposure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-testid": "stages"}),
        help_text=_lazy(
            "One stage per line: the weeks, a colon, then the queue codes allowed "
            "(e.g. “2: faq, orders”). A stage without queues keeps the agents in the classroom. "
            "After the last stage comes the full mix."
        ),
    )

    class Meta:
        model = Cohort
        fields = [
            "programme",
            "name",
            "starts_on",
            "weeks",
            "trainer",
            "min_evaluations",
            "min_qa_score",
            "aht_tolerance_pct",
            "quiz_pass_mark",
        ]
        widgets = {"starts_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label = _lazy("training programme")
        self.fields["trainer"].queryset = _trainers()
        self.fields["trainer"].label_from_instance = display_name
        if self.instance.pk:
            self.fields["stages"].initial = exposure.as_lines(self.instance.exposure)

    def clean_weeks(self):
        return _between(self, "weeks", 1, exposure.MAX_STAGE_WEEKS)

    def clean_min_qa_score(self):
        return _between(self, "min_qa_score", 0, 100)

    def clean_aht_tolerance_pct(self):
        return _between(self, "aht_tolerance_pct", 0, 200)

    def clean_quiz_pass_mark(self):
        return _between(self, "quiz_pass_mark", 0, 100)

    def clean(self):
        data = super().clean()
        programme = data.get("programme")
        if programme is None or "stages" not in data:
            return data
        known = Queue.objects.filter(site_id=programme.site_id).values_list("code", flat=True)
        stages, errors = exposure.parse_lines(
            data["stages"], known, self.instance.exposure if self.instance.pk else ()
        )
        for error in errors:
            if error.problem == "weeks":
                message = _(
                    "Line %(row)s: “%(text)s” is not a number of weeks from 1 to %(max)s."
                ) % {"row": error.row, "text": error.text, "max": exposure.MAX_STAGE_WEEKS}
            else:
                message = _("Line %(row)s: this site has no queue “%(text)s”.") % {
                    "row": error.row,
                    "text": error.text,
                }
            self.add_error("stages", message)
        total = sum(s["weeks"] for s in stages)
        if not errors and data.get("weeks") and total > data["weeks"]:
            self.add_error(
                "stages",
                _("The stages take %(stages)s weeks; the nesting lasts %(weeks)s.")
                % {"stages": total, "weeks": data["weeks"]},
            )
        if not errors:
            self.instance.exposure = stages
        return data


class QuizForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Quiz
        fields = ["site", "programme", "title", "pass_mark", "items"]
        widgets = {"items": forms.CheckboxSelectMultiple}

    def __init__(self, *args, sites, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label = _lazy("training programme")
        self.fields["items"].queryset = Item.objects.filter(site__in=sites, active=True)
        self.fields["items"].label_from_instance = lambda item: f"{item.code or item.pk} · {item}"

    def clean_pass_mark(self):
        return _between(self, "pass_mark", 0, 100)

    def clean(self):
        data = super().clean()
        site = data.get("site")
        if site and data.get("programme") and data["programme"].site_id != site.pk:
            self.add_error("programme", _("This programme belongs to another site."))
        others = [item for item in data.get("items", []) if site and item.site_id != site.pk]
        if others:
            self.add_error(
                "items",
                _("Questions from another site: %(items)s.")
                % {"items": ", ".join(str(item.code or item.pk) for item in others)},
            )
        return data


# --- plans with their quarterly goals, and sessions ---------------------------------------------

MAX_PLAN_YEARS = 10


class PlanForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingPlan
        fields = ["site", "name", "aim", "first_year", "last_year"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites

    def clean_first_year(self):
        return _between(self, "first_year", 2000, 2100)

    def clean_last_year(self):
        return _between(self, "last_year", 2000, 2100)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("The plan cannot end before it starts."))
        elif first and last and last - first >= MAX_PLAN_YEARS:
            self.add_error(
                "last_year",
                _("A plan covers at most %(years)s years.") % {"years": MAX_PLAN_YEARS},
            )
        return data


class GoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["year", "quarter", "title", "tier", "status", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css + " form-control-sm")
            field.widget.attrs.setdefault("aria-label", str(field.label))
        self.fields["year"].widget.attrs.setdefault("style", "width: 6rem")

    def clean_quarter(self):
        return _between(self, "quarter", 1, 4)


class BaseGoals(forms.BaseInlineFormSet):
    """Each goal's year must fall within the plan's years (checked against the plan form's
    values, passed in as ``years``)."""

    def __init__(self, *args, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years

    def clean(self):
        super().clean()
        if not self.years:
            return
        first, last = self.years
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            year = data.get("year")
            if data.get("DELETE") or year is None:
                continue
            if not first <= year <= last:
                form.add_error(
                    "year",
                    _("Outside the plan's years (%(first)s–%(last)s).")
                    % {"first": first, "last": last},
                )


GoalFormSet = forms.inlineformset_factory(
    TrainingPlan, PlanGoal, form=GoalForm, formset=BaseGoals, extra=3, can_delete=True
)


class SessionForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["programme", "milestone", "held_on", "format", "trainer"]
        widgets = {"held_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label = _lazy("training programme")
        self.fields["milestone"].queryset = Milestone.objects.filter(
            programme__in=programmes
        ).select_related("programme")
        self.fields["milestone"].label = _lazy("milestone")
        self.fields["milestone"].label_from_instance = lambda m: f"{m.programme.name} · {m.title}"
        self.fields["trainer"].queryset = _trainers()
        self.fields["trainer"].label_from_instance = display_name

    def clean(self):
        data = super().clean()
        programme, milestone = data.get("programme"), data.get("milestone")
        if programme and milestone and milestone.programme_id != programme.pk:
            self.add_error("milestone", _("This milestone belongs to another programme."))
        return data
