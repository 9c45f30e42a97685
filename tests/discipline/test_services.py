"""Attendance evaluation in the database, rule life cycle, ladder, exceptions, corrections, appraisal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhiren.audit.models import AuditEvent
from zhiren.discipline import selectors, services
from zhiren.discipline.models import (
    AttendanceDay,
    AttendancePolicy,
    ClockEvent,
    Violation,
)

from .conftest import local, planned

pytestmark = pytest.mark.django_db

MON = date(2025, 3, 3)


def punch(agent, day, hour, minute=0, kind="punch"):
    services.record_punches([(agent.pk, local(day, hour, minute), kind)])


def evaluate(agents, shifts, start=MON, end=MON + timedelta(days=27)):
    return services.evaluate_attendance(start, end, [a.pk for a in agents],
                                        shifts=services.shifts_from_schedule(shifts))


def test_late_early_absence_missing_and_night_shift_are_stored(world):
    a = world.agent
    shifts = [planned(a, MON), planned(a, MON + timedelta(days=1)), planned(a, MON + timedelta(days=2)),
              planned(a, MON + timedelta(days=3), 22, 7), planned(a, MON + timedelta(days=5))]
    punch(a, MON, 9, 12, "in")
    punch(a, MON, 18, 0, "out")
    punch(a, MON + timedelta(days=1), 8, 55)
    punch(a, MON + timedelta(days=1), 17, 20)
    # day 3: nothing → absence
    punch(a, MON + timedelta(days=3), 21, 58)
    punch(a, MON + timedelta(days=4), 7, 3)  # the night shift's clock-out, next morning
    punch(a, MON + timedelta(days=5), 8, 59, "in")  # no clock-out
    summary = evaluate([a], shifts)
    days = {d.day: d for d in AttendanceDay.objects.filter(agent=a)}
    assert summary.shifts == 5
    assert days[MON].late_minutes == 12
    assert days[MON + timedelta(days=1)].early_minutes == 40
    assert days[MON + timedelta(days=2)].absent
    night = days[MON + timedelta(days=3)]
    assert night.clean_day and night.left == local(MON + timedelta(days=4), 7, 3)
    assert days[MON + timedelta(days=5)].missing_out


def test_grace_minutes_per_site(world):
    AttendancePolicy.objects.create(site=world.site_a, late_grace=10)
    punch(world.agent, MON, 9, 8, "in")
    punch(world.agent, MON, 18, 0, "out")
    punch(world.far, MON, 9, 8, "in")
    punch(world.far, MON, 18, 0, "out")
    evaluate([world.agent, world.far], [planned(world.agent, MON), planned(world.far, MON)], MON, MON)
    assert AttendanceDay.objects.get(agent=world.agent).late_minutes == 0  # site A: 10 minutes of grace
    assert AttendanceDay.objects.get(agent=world.far).late_minutes == 8  # site B: the default 5


def test_a_rule_in_grace_records_warnings_then_consequences(world, make_rule):
    rule = make_rule(announced_on=MON, grace_days=7)
    a = world.agent
    days = [MON + timedelta(days=d) for d in (1, 2, 8, 9, 10)]
    for day in days:
        punch(a, day, 9, 30, "in")
        punch(a, day, 18, 0, "out")
    evaluate([a], [planned(a, d) for d in days])
    got = list(Violation.objects.filter(agent=a, rule=rule).order_by("day").values_list("consequence", flat=True))
    assert got == ["warning", "warning", "reminder", "talk", "written_warning"]
    # Running again changes nothing (idempotent).
    evaluate([a], [planned(a, d) for d in days])
    assert Violation.objects.filter(agent=a).count() == 5


def test_draft_and_retired_rules_record_nothing(world, make_rule):
    make_rule(announced_on=None)
    make_rule(announced_on=MON - timedelta(days=60), grace_days=0, retired_on=MON, title="旧规定")
    punch(world.agent, MON, 9, 30, "in")
    evaluate([world.agent], [planned(world.agent, MON)], MON, MON)
    assert not Violation.objects.exists()
    assert AttendanceDay.objects.get().late_minutes == 30


def test_first_n_free_and_lates_as_absence_through_the_service(world, make_rule):
    rule = make_rule(announced_on=MON - timedelta(days=30), grace_days=0, kinds=("late", "absence"),
                     lates_per_absence=3, free_per_window=1)
    a = world.agent
    days = [MON + timedelta(days=d) for d in range(7)]
    for day in days[:6]:
        punch(a, day, 9, 20, "in")
        punch(a, day, 18, 0, "out")
    evaluate([a], [planned(a, d) for d in days])  # six lates then an absence
    got = list(Violation.objects.filter(rule=rule).order_by("day").values_list("consequence", flat=True))
    assert got == ["tally", "tally", "free", "tally", "tally", "reminder", "talk"]


def test_identical_histories_identical_consequences_unless_excused(world, make_rule):
    rule = make_rule(announced_on=MON - timedelta(days=30), grace_days=0)
    days = [MON + timedelta(days=d) for d in range(4)]
    for agent in (world.agent, world.peer):
        for day in days:
            punch(agent, day, 9, 15, "in")
            punch(agent, day, 18, 0, "out")
    evaluate([world.agent, world.peer], [planned(x, d) for x in (world.agent, world.peer) for d in days])

    def ladder_of(agent):
        return list(Violation.objects.filter(agent=agent, rule=rule).order_by("day").values_list("consequence",
                                                                                                 flat=True))

    assert ladder_of(world.agent) == ladder_of(world.peer) == ["reminder", "talk", "written_warning", "escalation"]
    second = Violation.objects.filter(agent=world.peer).order_by("day")[1]
    with pytest.raises(ValidationError):
        services.grant_exception(world.user("lead"), second, reason="熟人")  # too short: no real reason
    services.grant_exception(world.user("lead"), second, reason="地铁停运，有官方通报截图")
    assert ladder_of(world.peer) == ["reminder", "excused", "talk", "written_warning"]
    assert ladder_of(world.agent) == ["reminder", "talk", "written_warning", "escalation"]
    # Visible one level up: the site manager sees the exception with its reason.
    seen = list(selectors.exceptions(world.user("manager"), MON, MON + timedelta(days=30)))
    assert [e.reason for e in seen] == ["地铁停运，有官方通报截图"]
    assert not list(selectors.exceptions(world.user("qa"), MON, MON + timedelta(days=30)))


def test_manual_violation_uses_the_same_ladder(world, make_rule):
    rule = make_rule(category="conduct", announced_on=MON - timedelta(days=30), grace_days=0,
                     title="按标准流程核实订单")
    lead = world.user("lead")
    first = services.record_violation(lead, agent=world.agent, rule=rule, day=MON, note="未核实订单号就承诺退款")
    second = services.record_violation(lead, agent=world.agent, rule=rule, day=MON + timedelta(days=1),
                                       note="再次跳过核实")
    assert (first.consequence, second.consequence) == ("reminder", "talk")
    with pytest.raises(PermissionDenied):
        services.record_violation(lead, agent=world.far, rule=rule, day=MON, note="x")
    with pytest.raises(ValidationError):
        services.record_violation(lead, agent=world.agent, rule=rule, day=MON - timedelta(days=60), note="x")


def test_announcing_while_another_rule_is_in_grace_asks_first(world, make_rule):
    lead = world.user("lead")
    make_rule(announced_on=MON, grace_days=7, team=world.team_a1, title="准时上班")
    new = make_rule(announced_on=None, team=world.team_a1, category="conduct", title="不得私自居家办公")
    with pytest.raises(ValidationError) as info:
        services.announce_rule(lead, new, on=MON + timedelta(days=2), grace_days=7)
    assert "准时上班" in str(info.value)
    services.announce_rule(lead, new, on=MON + timedelta(days=2), grace_days=7, acknowledge_overlap=True)
    new.refresh_from_db()
    assert new.announced_on == MON + timedelta(days=2) and new.enforced_from == MON + timedelta(days=9)
    # After the first rule's grace period no nudge.
    third = make_rule(announced_on=None, team=world.team_a1, category="conduct", title="第三条")
    services.announce_rule(lead, third, on=MON + timedelta(days=30), grace_days=7)


def test_an_announced_rule_cannot_change(world, make_rule):
    rule = make_rule(announced_on=MON)
    with pytest.raises(ValidationError):
        services.save_rule(world.user("lead"), rule=rule, site=world.site_a, teams=[world.team_a1], grace_days=1)


def test_lead_may_only_write_rules_for_own_teams(world):
    lead = world.user("lead")
    values = {"title": "x", "text": "y", "category": "conduct", "ladder": ["reminder"], "window": "month", "window_days": 30,
                  "free_per_window": 0, "lates_per_absence": 0, "grace_days": 7, "kinds": []}
    rule = services.save_rule(lead, site=world.site_a, teams=[world.team_a1], **values)
    assert list(rule.teams.all()) == [world.team_a1]
    with pytest.raises(PermissionDenied):
        services.save_rule(lead, site=world.site_a, teams=[], **values)  # the whole site: not only A1


def test_correction_approval_trail_and_reevaluation(world, make_rule):
    rule = make_rule(announced_on=MON - timedelta(days=30), grace_days=0, kinds=("missing_punch", "late"))
    a = world.agent
    punch(a, MON, 8, 58, "in")  # clock-out forgotten
    services.evaluate_attendance(MON, MON, [a.pk], shifts=services.shifts_from_schedule([planned(a, MON)]))
    assert Violation.objects.get(rule=rule).kind == "missing_punch"
    correction = services.request_correction(world.user("agent"), agent=a, action="add", at=local(MON, 18, 2),
                                             kind="out", reason="下班时打卡机断网，18:02离开")
    with pytest.raises(PermissionDenied):
        services.decide_correction(world.user("agent"), correction, approve=True)
    with pytest.raises(ValidationError):
        services.decide_correction(world.user("lead"), correction, approve=False)  # a rejection needs a note

    # The schedule comes from workforce; here the evaluation is re-run with the same shift by hand.
    services.decide_correction(world.user("lead"), correction, approve=True)
    services.evaluate_attendance(MON, MON, [a.pk], shifts=services.shifts_from_schedule([planned(a, MON)]))
    correction.refresh_from_db()
    assert correction.status == "approved" and correction.decided_by == world.user("lead")
    assert ClockEvent.objects.get(pk=correction.created_event_id).source == "correction"
    assert not Violation.objects.exists()
    assert AuditEvent.objects.filter(object_type="discipline.clockcorrection").count() == 2


def test_respond_and_the_consistency_report(world, make_rule):
    """A constructed history: A1 answers late and excuses one agent often; A2 leaves a window broken."""
    from django.utils import timezone

    rule = make_rule(category="conduct", announced_on=MON - timedelta(days=60), grace_days=0)
    lead, manager = world.user("lead"), world.user("manager")
    v = [services.record_violation(lead, agent=world.agent, rule=rule, day=MON + timedelta(days=d), note="x")
         for d in range(3)]
    p = services.record_violation(lead, agent=world.peer, rule=rule, day=MON, note="x")
    services.grant_exception(lead, v[0], reason="家里有急事，提前报备了")
    services.grant_exception(lead, v[1], reason="身体不适，有医院证明")
    services.respond(lead, p, note="当面提醒，约定设闹钟")
    old = services.record_violation(manager, agent=world.a2_agent, rule=rule, day=MON, note="x")
    Violation.objects.filter(pk=old.pk).update(recorded_at=timezone.now() - timedelta(days=10))
    reports = {t.team.code: t for t in selectors.consistency_report(manager, MON - timedelta(days=5),
                                                                    MON + timedelta(days=5))}
    a1, a2 = reports["a1"].report, reports["a2"].report
    assert a2.broken_windows == [old.pk]
    assert a1.broken_window_count == 0 and a1.pending == 1  # v[2] is open but not yet due
    assert a1.exceptions == 2 and a1.responded == 1
    (agent_row,) = [x for x in a1.leniency if x.agent_id == world.agent.pk]
    assert agent_row.flagged and agent_row.exceptions == 2
    # The lead of A1 sees only A1; QA sees nothing.
    assert [t.team.code for t in selectors.consistency_report(lead, MON, MON)] == ["a1"]
    assert selectors.consistency_report(world.user("qa"), MON, MON) == []


def test_standing_says_what_comes_next(world, make_rule):
    rule = make_rule(category="conduct", announced_on=date.today() - timedelta(days=60), grace_days=0,
                     ladder=("reminder", "talk"))
    services.record_violation(world.user("lead"), agent=world.agent, rule=rule, day=date.today(), note="x")
    (s,) = selectors.standing(world.agent, date.today())
    assert s.units == 1 and s.next_consequence == "talk"


def test_fill_appraisal_attendance(world):
    from zhiren.performance.models import Appraisal, AppraisalCycle, AppraisalTemplate

    template = AppraisalTemplate.objects.create(name="季度考核")
    cycle = AppraisalCycle.objects.create(name="Q1", template=template, start=MON, end=MON + timedelta(days=6))
    Appraisal.objects.create(cycle=cycle, agent=world.agent, team=world.team_a1)
    Appraisal.objects.create(cycle=cycle, agent=world.peer, team=world.team_a1)
    days = [MON + timedelta(days=d) for d in range(4)]
    for day in days:
        punch(world.agent, day, 8, 55, "in")
        punch(world.agent, day, 18, 1, "out")
    punch(world.agent, MON, 8, 55, "in")
    services.record_punches([(world.agent.pk, local(days[3], 9, 40), "in")])
    evaluate([world.agent], [planned(world.agent, d) for d in days], MON, MON + timedelta(days=6))
    assert services.fill_appraisal_attendance(cycle) == 1
    got = dict(Appraisal.objects.values_list("agent_id", "inputs"))
    assert got[world.agent.pk] == {"attendance": 100.0}  # the 09:40 in-punch comes after an earlier one
    assert got[world.peer.pk] == {}
    assert services.fill_open_appraisals(MON + timedelta(days=10)) == 1  # the nightly refresh of open cycles


def test_standing_reads_are_audited_and_private(world, client_for):
    from django.urls import reverse

    url = reverse("discipline:agent_standing", args=[world.agent.pk])
    assert client_for(world.user("manager")).get(url).status_code == 200
    assert client_for(world.user("qa")).get(url).status_code == 404
    assert client_for(world.user("admin")).get(url).status_code == 404
    events = AuditEvent.objects.filter(subject_agent_id=world.agent.pk, action="read")
    assert [e.actor.username for e in events] == ["manager"]
    assert client_for(world.user("agent")).get(url).status_code == 200
    assert AuditEvent.objects.filter(subject_agent_id=world.agent.pk, action="read").count() == 1  # own: no log
    assert selectors.may_see_discipline(world.user("manager"), world.agent)
    assert not selectors.may_see_discipline(world.user("manager"), world.far)
    assert not selectors.may_see_discipline(world.user("trainer"), world.agent)


def test_nightly_task_runs_inline(world):
    from zhiren.discipline.tasks import evaluate_recent_attendance

    result = evaluate_recent_attendance.enqueue(days=2, day="2025-03-04")
    assert result.return_value == {"end": "2025-03-04", "shifts": 0, "punches": 0, "findings": 0, "violations": 0,
                                   "appraisals": 0}


def test_lead_home_panel_counts(world, make_rule):
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import timezone

    rule = make_rule(category="conduct", announced_on=MON - timedelta(days=60), grace_days=0)
    make_rule(category="conduct", announced_on=date.today(), grace_days=7, title="新规定")
    v = services.record_violation(world.user("lead"), agent=world.agent, rule=rule, day=MON, note="x")
    Violation.objects.filter(pk=v.pk).update(recorded_at=timezone.now() - timedelta(days=5))
    panel = selectors.lead_panel(world.user("lead"), date.today())
    assert (panel["open"], panel["broken"], [r.title for r in panel["in_grace"]]) == (1, 1, ["新规定"])
    assert selectors.lead_panel(world.user("qa"), date.today()) == {"visible": False}
    request = RequestFactory().get("/")
    request.user = world.user("lead")
    from zhiren.discipline.home import lead_card

    html = render_to_string("discipline/_lead_home_panel.html", lead_card(request))
    assert "lead-discipline-panel" in html


def test_punches_from_login_states(world):
    from zhiren.workforce.models import StateEvent

    a = world.agent
    for hour, minute, state in ((9, 7, "logged_in"), (9, 8, "available"), (12, 0, "offline"), (13, 0, "available"),
                                (18, 2, "offline")):
        StateEvent.objects.create(agent=a, state=state, at=local(MON, hour, minute))
    assert services.punches_from_login_states(MON, MON) == 4
    assert services.punches_from_login_states(MON, MON) == 0  # idempotent
    evaluate([a], [planned(a, MON)], MON, MON)
    day = AttendanceDay.objects.get(agent=a)
    assert (day.arrived, day.left, day.late_minutes) == (local(MON, 9, 7), local(MON, 18, 2), 7)
    assert set(ClockEvent.objects.values_list("source", flat=True)) == {"login"}


def test_reads_the_published_schedule_from_workforce(world, make_rule):
    """End to end with workforce's models: a night shift 22:00–07:00 (end minute 1860) and a day shift."""
    from zhiren.workforce.models import PublishedShift, ScheduleVersion

    version = ScheduleVersion.objects.create(site=world.site_a, number=1, start=MON, end=MON + timedelta(days=6))
    a = world.agent
    PublishedShift.objects.create(version=version, agent=a, day=MON, template="N", start_minute=22 * 60,
                                  end_minute=31 * 60, activities=[["work", 22 * 60, 31 * 60]])
    PublishedShift.objects.create(version=version, agent=a, day=MON + timedelta(days=1), template="D",
                                  start_minute=15 * 60, end_minute=24 * 60, activities=[["work", 900, 1440]])
    make_rule(announced_on=MON - timedelta(days=30), grace_days=0, kinds=("late", "early_leave"))
    punch(a, MON, 22, 9)
    punch(a, MON + timedelta(days=1), 6, 41)  # 19 minutes early
    punch(a, MON + timedelta(days=1), 14, 58)
    punch(a, MON + timedelta(days=2), 0, 3)
    summary = services.evaluate_attendance(MON, MON + timedelta(days=1), [a.pk])
    assert summary.shifts == 2
    got = sorted(Violation.objects.values_list("day", "kind", "minutes"))
    assert got == [(MON, "early_leave", 19), (MON, "late", 9)]


def test_site_policy_is_set_by_the_site_manager(world):
    manager = world.user("manager")
    services.save_policy(manager, world.site_a, late_grace=8, response_due_days=2)
    assert AttendancePolicy.objects.get(site=world.site_a).late_grace == 8
    with pytest.raises(PermissionDenied):
        services.save_policy(manager, world.site_b, late_grace=8)
    with pytest.raises(PermissionDenied):
        services.save_policy(world.user("lead"), world.site_a, late_grace=0)
    assert AuditEvent.objects.filter(object_type="discipline.attendancepolicy").count() == 1


def test_only_drafts_are_deleted(world, make_rule):
    from zhiren.discipline.models import Rule

    draft = make_rule(announced_on=None, team=world.team_a1)
    announced = make_rule(announced_on=MON, team=world.team_a1, title="已发布")
    with pytest.raises(ValidationError):
        services.delete_draft(world.user("lead"), announced)
    services.delete_draft(world.user("lead"), draft)
    assert list(Rule.objects.values_list("title", flat=True)) == ["已发布"]


def test_an_agent_exports_only_their_own_history(world, client_for, make_rule):
    from django.urls import reverse

    rule = make_rule(category="conduct", announced_on=date(2025, 1, 1), grace_days=0)
    services.record_violation(world.user("lead"), agent=world.agent, rule=rule, day=MON, note="x")
    services.record_violation(world.user("lead"), agent=world.peer, rule=rule, day=MON, note="x")
    response = client_for(world.user("agent")).get(reverse("imports:export", args=["violations", "csv"]))
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8-sig")
    assert "A1001" in body and "A1002" not in body
