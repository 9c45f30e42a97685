"""Plain pages for training plans with their quarterly goals, and for sessions (the Django
admin held them before): list, create, edit, within the sites the user's role covers."""

import pytest
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.training.models import PlanGoal, Session, TrainingPlan

from . import helpers
from .test_editing import _milestones as _rows

pytestmark = pytest.mark.django_db

EMPTY = {"year": "", "quarter": "", "title": "", "tier": "new_hire", "status": "planned", "note": ""}


def _plan_data(site, rows, initial=0, **fields):
    base = {"site": site.pk, "name": "三年培训规划", "aim": "先做案例库", "first_year": 2026,
            "last_year": 2028}
    return base | fields | _rows(rows, prefix="g", initial=initial)


def test_a_trainer_writes_a_plan_with_its_quarterly_goals(world, client_for):
    client = client_for(world.user("trainer"))
    url = reverse("training:plan_new")
    assert 'name="g-TOTAL_FORMS"' in client.get(url).content.decode()
    goal = {"year": 2026, "quarter": 2, "title": "角色扮演工作坊", "tier": "tenured",
            "status": "planned", "note": ""}
    bad = client.post(url, _plan_data(world.site_a, [goal | {"year": 2030, "quarter": 5}, EMPTY]))
    assert bad.status_code == 200 and not TrainingPlan.objects.exists()
    row = bad.context["goals"].forms[0]
    assert row.errors["quarter"] and row.errors["year"]  # outside 1–4 and outside 2026–2028
    assert not bad.context["goals"].forms[1].errors  # the untouched row is ignored
    backwards = client.post(url, _plan_data(world.site_a, [goal], last_year=2025))
    assert backwards.context["form"].errors["last_year"]
    ok = client.post(url, _plan_data(world.site_a, [goal, EMPTY]))
    plan = TrainingPlan.objects.get()
    assert ok.status_code == 302 and ok.url == reverse("training:plan", args=[plan.pk])
    assert list(plan.goals.values_list("year", "quarter", "title", "tier")) == [
        (2026, 2, "角色扮演工作坊", "tenured")
    ]
    assert AuditEvent.objects.filter(object_type__icontains="trainingplan").exists()


def test_editing_marks_goals_done_adds_and_deletes(world, client_for):
    plan = helpers.plan(world.site_a)  # 2025–2027, three goals
    goals = list(plan.goals.order_by("pk"))
    client = client_for(world.user("manager"))
    url = reverse("training:plan_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "案例库建成" in page and "角色扮演工作坊" in page
    rows = [
        {"id": goals[0].pk, "year": 2025, "quarter": 4, "title": "案例库建成", "tier": "new_hire",
         "status": "done", "note": ""},
        {"id": goals[1].pk, "year": 2025, "quarter": 4, "title": "带教师认证", "tier": "new_hire",
         "status": "dropped", "note": "", "DELETE": "on"},
        {"id": goals[2].pk, "year": 2026, "quarter": 1, "title": "角色扮演工作坊",
         "tier": "new_hire", "status": "done", "note": "三场"},
        {"year": 2026, "quarter": 3, "title": "互动游戏题库", "tier": "tenured",
         "status": "planned", "note": ""},
    ]
    data = _plan_data(world.site_a, rows, initial=3, first_year=2025, last_year=2027)
    assert client.post(url, data).status_code == 302
    left = {g.title: g for g in PlanGoal.objects.filter(plan=plan)}
    assert set(left) == {"案例库建成", "角色扮演工作坊", "互动游戏题库"}
    assert left["角色扮演工作坊"].status == "done" and left["角色扮演工作坊"].updated_at
    assert left["案例库建成"].updated_at is None  # its status did not change
    listing = client.get(reverse("training:plans")).content.decode()
    assert "三年培训规划" in listing and reverse("training:plan_edit", args=[plan.pk]) in listing


def test_plans_and_sessions_of_another_site_are_not_found(world, client_for):
    plan_b = helpers.plan(world.site_b)
    session_b = helpers.session(helpers.programme(world.site_b))
    client = client_for(world.user("manager"))  # site A only
    assert client.get(reverse("training:plan_edit", args=[plan_b.pk])).status_code == 404
    assert client.get(reverse("training:session_edit", args=[session_b.pk])).status_code == 404
    assert "三年培训规划" not in client.get(reverse("training:plans")).content.decode()
    # nor can a plan be moved to a site outside the role
    plan_a = helpers.plan(world.site_a)
    moved = client.post(
        reverse("training:plan_edit", args=[plan_a.pk]),
        _plan_data(world.site_b, [], first_year=2025, last_year=2027),
    )
    assert moved.status_code == 200 and moved.context["form"].errors["site"]


def test_a_trainer_records_and_edits_a_session(world, client_for):
    prog = helpers.programme(world.site_a)
    other = helpers.programme(world.site_a, name="质检标准", with_queue=False)
    milestone = prog.milestones.first()
    client = client_for(world.user("trainer"))
    url = reverse("training:session_new")
    assert client.get(url, {"programme": prog.pk}).context["form"]["programme"].value() == prog.pk
    data = {"programme": prog.pk, "milestone": other.milestones.first().pk,
            "held_on": "2026-03-10", "format": "role_play", "trainer": world.user("trainer").pk}
    wrong = client.post(url, data)
    assert wrong.status_code == 200 and wrong.context["form"].errors["milestone"]
    ok = client.post(url, data | {"milestone": milestone.pk})
    session = Session.objects.get()
    assert ok.url == reverse("training:session", args=[session.pk])  # then the attendance
    assert (session.milestone, session.format) == (milestone, "role_play")
    edit = reverse("training:session_edit", args=[session.pk])
    assert client.post(edit, data | {"milestone": milestone.pk, "format": "game"}).status_code == 302
    session.refresh_from_db()
    assert session.format == "game"
    listing = client.get(reverse("training:sessions"), {"programme": other.pk}).content.decode()
    assert edit not in listing  # filtered to the other programme
    assert edit in client.get(reverse("training:sessions")).content.decode()
