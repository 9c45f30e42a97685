"""Editing pages: programmes with milestones, cohorts with their exposure, quizzes; every bad
value reported on its field, line or row."""

import pytest
from django.urls import reverse

from zhiren.training import exposure
from zhiren.training.models import Cohort, Programme, Quiz

from . import helpers


def test_exposure_lines_parse_and_report_every_bad_line():
    known = {"faq", "orders", "refunds"}
    stages, errors = exposure.parse_lines("2: faq\n\n2：faq，orders、faq\n1", known)
    assert errors == []
    assert stages == [
        {"key": "simple", "weeks": 2, "queues": ["faq"]},
        {"key": "moderate", "weeks": 2, "queues": ["faq", "orders"]},
        {"key": "stage3", "weeks": 1, "queues": []},  # the classroom
    ]
    assert exposure.as_lines(stages) == "2: faq\n2: faq, orders\n1:"
    stages, errors = exposure.parse_lines("x: faq\n2 faq bills\n0: orders", known)
    assert errors == [
        exposure.LineError(1, "weeks", "x"),
        exposure.LineError(2, "queue", "bills"),
        exposure.LineError(3, "weeks", "0"),
    ]
    kept, _ = exposure.parse_lines("3 faq", known, [{"key": "intro", "weeks": 1, "queues": []}])
    assert kept[0]["key"] == "intro"
    assert exposure.parse_lines("27: faq", known)[1] == [exposure.LineError(1, "weeks", "27")]


pytestmark_db = pytest.mark.django_db


def _cohort_data(group, stages, **extra):
    return {
        "programme": group.programme_id,
        "name": group.name,
        "starts_on": group.starts_on.isoformat(),
        "weeks": group.weeks,
        "trainer": "",
        "min_evaluations": 5,
        "min_qa_score": 80,
        "aht_tolerance_pct": 20,
        "quiz_pass_mark": 80,
        "stages": stages,
        **extra,
    }


@pytestmark_db
def test_a_trainer_edits_a_cohorts_exposure(world, client_for):
    prog = helpers.programme(world.site_a)
    for code in ("orders", "refunds"):
        helpers.queue(world.site_a, code)
    group = helpers.cohort(prog)
    client = client_for(world.user("trainer"))
    url = reverse("training:cohort_edit", args=[group.pk])
    assert "2: faq, orders" in client.get(url).content.decode()
    bad = client.post(url, _cohort_data(group, "1: faq\nthree: orders\n2: faq, bills"))
    assert bad.status_code == 200
    errors = bad.context["form"].errors["stages"]
    assert len(errors) == 2 and "2" in errors[0] and "bills" in errors[1]
    too_long = client.post(url, _cohort_data(group, "4: faq\n4: orders", weeks=6))
    assert "8" in too_long.context["form"].errors["stages"][0]
    group.refresh_from_db()
    assert group.exposure[0]["queues"] == ["faq"] and group.exposure[1]["weeks"] == 2  # unchanged
    assert client.post(url, _cohort_data(group, "1: faq\n3: faq, refunds")).status_code == 302
    group.refresh_from_db()
    assert group.exposure == [
        {"key": "simple", "weeks": 1, "queues": ["faq"]},
        {"key": "moderate", "weeks": 3, "queues": ["faq", "refunds"]},
    ]
    # bounds on the gate's thresholds are field errors too
    bad = client.post(url, _cohort_data(group, "", min_qa_score=120))
    assert bad.context["form"].errors["min_qa_score"]
    assert Cohort.objects.get(pk=group.pk).min_qa_score == 80


def _milestones(rows, prefix="m", initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for n, row in enumerate(rows):
        data |= {f"{prefix}-{n}-{k}": v for k, v in row.items()}
    return data


@pytestmark_db
def test_a_new_programme_with_its_milestones(world, client_for):
    client = client_for(world.user("trainer"))
    url = reverse("training:programme_new")
    base = {
        "site": world.site_a.pk,
        "name": "投诉处理进阶",
        "tier": "tenured",
        "role_code": "",
        "certification_months": 12,
        "active": "on",
        "criteria": "empathy， ownership",
    }
    row = {"order": 1, "title": "案例复盘", "topic": "soft_skills", "format": "case_study"}
    blank = {"order": 1, "title": "", "topic": "product", "format": "case_study", "hours": "2"}
    bad = client.post(url, base | _milestones([row | {"hours": "0"}, blank]))
    assert bad.status_code == 200 and not Programme.objects.exists()
    assert bad.context["milestones"].forms[0].errors["hours"]
    assert "hours" not in bad.context["milestones"].forms[1].errors  # the untouched row is ignored
    empty = client.post(url, base | _milestones([blank]))
    assert empty.context["milestones"].non_form_errors()
    ok = client.post(url, base | _milestones([row | {"hours": "2"}, blank]))
    assert ok.status_code == 302
    saved = Programme.objects.get()
    assert saved.targeted_criteria == ["empathy", "ownership"]
    assert list(saved.milestones.values_list("title", flat=True)) == ["案例复盘"]


@pytestmark_db
def test_a_quiz_takes_only_its_sites_questions(world, client_for):
    mine = helpers.make_quiz(world.site_a, n=2)
    theirs = helpers.make_quiz(world.site_b, n=1, title="B")
    client = client_for(world.user("trainer"))
    data = {
        "site": world.site_a.pk,
        "title": "复训",
        "pass_mark": 70,
        "items": [i.pk for i in mine.items.all()] + [theirs.items.get().pk],
    }
    bad = client.post(reverse("training:quiz_new"), data)
    assert bad.status_code == 200 and bad.context["form"].errors["items"]
    data["items"] = [i.pk for i in mine.items.all()]
    assert client.post(reverse("training:quiz_new"), data | {"pass_mark": 101}).status_code == 200
    assert client.post(reverse("training:quiz_new"), data).status_code == 302
    assert Quiz.objects.get(title="复训").items.count() == 2
