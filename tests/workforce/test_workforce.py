"""Workforce app: the whole chain, ICS, optimistic locking, swaps, leave, adherence, scope."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from zhiren.people.models import BankEntry
from zhiren.workforce import selectors
from zhiren.workforce.calendar import services as calendar
from zhiren.workforce.dates import tz
from zhiren.workforce.drafts import services as drafts
from zhiren.workforce.floor.adherence import adherence, floor_line
from zhiren.workforce.models import (
    DraftShift,
    DraftStatus,
    PublishedShift,
    RosterDraft,
    ShiftNotice,
)
from zhiren.workforce.planning import services as planning
from zhiren.workforce.requests import selectors as requests_read
from zhiren.workforce.requests import services as requests
from zhiren.workforce.schedules import planned_shift

from .conftest import next_monday


def generate(world, on_commit, weeks=1):
    with on_commit(execute=True):
        draft = drafts.start_roster(world.user("manager"), world.site_a, [world.team_a1], next_monday(), weeks,
                                      time_limit_s=3)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.READY, draft.message
    return draft


def parse_ics(text: str) -> list[dict]:
    """A small RFC 5545 reader: unfold lines, collect VEVENT properties."""
    lines = []
    for raw in text.split("\r\n"):
        if raw.startswith(" ") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current[key] = value
    return events


def test_whole_chain_history_to_agent_calendar(wfm, world, client_for, django_capture_on_commit_callbacks):
    draft = generate(world, django_capture_on_commit_callbacks)
    assert draft.result["coverage"] > 0
    assert all(v == 0 for v in draft.result["checks"].values())
    assert draft.engine_seconds is not None
    version = drafts.publish_draft(world.user("manager"), draft, draft.version)
    assert version.number == 1
    start = next_monday()
    shifts = selectors.published_shifts([world.agent.pk], start, start + timedelta(days=6))
    assert shifts and all(s.start.tzinfo is not None for s in shifts)
    assert any(a.kind == "lunch" for a in shifts[0].activities)
    client = client_for(world.user("agent"))
    page = client.get(reverse("workforce:my_week") + f"?start={start}")
    assert page.status_code == 200 and shifts[0].start.astimezone(tz()).strftime("%H:%M") in page.content.decode()
    token = calendar.calendar_token(world.agent)
    client.logout()
    body = client.get(reverse("workforce:ics", kwargs={"token": token})).content.decode()
    events = parse_ics(body)
    assert len(events) == len(shifts)
    first = min(events, key=lambda e: e["DTSTART"])
    parsed = datetime.strptime(first["DTSTART"], "%Y%m%dT%H%M%SZ")
    assert parsed.strftime("%Y%m%d%H%M") == shifts[0].start.astimezone(tz()).astimezone(
        __import__("datetime").UTC).strftime("%Y%m%d%H%M")
    assert "DTEND" in first
    # reset: the old link stops working
    calendar.reset_calendar_token(world.agent)
    assert client.get(reverse("workforce:ics", kwargs={"token": token})).status_code == 404


def test_manual_edit_rechecks_and_stale_version_is_refused(wfm, world, django_capture_on_commit_callbacks):
    draft = generate(world, django_capture_on_commit_callbacks)
    manager = world.user("manager")
    loaded = draft.version
    day = draft.start
    drafts.edit_draft_shift(manager, draft, loaded, world.agent, day, "day", 9 * 60)
    assert DraftShift.objects.get(draft=draft, agent=world.agent, day=day).start_minute == 540
    with pytest.raises(drafts.StaleDraft) as caught:
        drafts.edit_draft_shift(manager, draft, loaded, world.agent, day, None)
    assert str(caught.value.draft.version) in str(caught.value)
    assert DraftShift.objects.filter(draft=draft, agent=world.agent, day=day).exists()  # nothing lost
    # a shift breaking the rest rule is reported by the independent checker
    draft.refresh_from_db()
    drafts.edit_draft_shift(manager, draft, draft.version, world.agent, day + timedelta(days=1), "day", 9 * 60)
    draft.refresh_from_db()
    assert "checks" in draft.result


def test_stale_form_keeps_the_users_input(wfm, world, client_for, django_capture_on_commit_callbacks):
    draft = generate(world, django_capture_on_commit_callbacks)
    client = client_for(world.user("manager"))
    url = reverse("workforce:draft_edit", kwargs={"pk": draft.pk})
    data = {"version": draft.version, "agent": world.agent.pk, "day": draft.start.isoformat(), "template": "day",
            "start": "10:00"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "start": "11:00"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "11:00" in html and 'data-testid="form-errors"' in html


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_one_wins(wfm, world):
    """Two planners save the same loaded version at once: exactly one wins, the other is told.

    On PostgreSQL the two saves really run at the same time (two threads, two connections);
    SQLite's in-memory test database is one connection, so there they run back to back.
    """
    draft = RosterDraft.objects.create(site=world.site_a, start=next_monday(), weeks=1, status="ready",
                                       result={"checks": {}}, demand={})
    draft.teams.set([world.team_a1])
    loaded = draft.version
    outcomes: list[str] = []
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(2 if concurrent else 1)

    def save(agent):
        try:
            barrier.wait(10)
            drafts.edit_draft_shift(world.user("manager"), RosterDraft.objects.get(pk=draft.pk), loaded, agent,
                                      draft.start, "day", 9 * 60)
            outcomes.append("saved")
        except drafts.StaleDraft:
            outcomes.append("stale")
        finally:
            if concurrent:
                connection.close()

    if concurrent:
        threads = [threading.Thread(target=save, args=(a,)) for a in (world.agent, world.peer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    else:
        save(world.agent)
        save(world.peer)
    assert sorted(outcomes) == ["saved", "stale"]
    draft.refresh_from_db()
    assert draft.version == loaded + 1
    assert DraftShift.objects.filter(draft=draft).count() == 1


def test_publish_change_notifies_agent(wfm, world):
    """Publishing a version that takes a shift away tells the agent, in the site's language."""
    from django.utils import translation

    day = next_monday() + timedelta(days=1)
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60), world.peer: (9 * 60, 17 * 60)})
    assert not ShiftNotice.objects.filter(agent=world.agent).exists()
    with translation.override("en"):
        _publish_simple(world, day, {world.peer: (9 * 60, 17 * 60)})  # the agent now has the day off
    notice = ShiftNotice.objects.get(agent=world.agent, day=day)
    assert "day off" in notice.text
    assert not ShiftNotice.objects.filter(agent=world.peer).exists()
    assert not PublishedShift.objects.filter(agent=world.agent, day=day, active=True).exists()
    assert PublishedShift.objects.filter(agent=world.peer, day=day, active=True).exists()


def _publish_simple(world, day, agents_minutes, extra=()):
    """Publish a one-week draft from ``day``: {agent: (start, end)} on ``day``, plus (agent, day, start, end)."""
    draft = RosterDraft.objects.create(site=world.site_a, start=min([day] + [e[1] for e in extra]), weeks=1,
                                       status="ready", result={})
    draft.teams.set([world.team_a1])
    items = [(a, day, s, e) for a, (s, e) in agents_minutes.items()] + list(extra)
    for agent, when, start, end in items:
        DraftShift.objects.create(draft=draft, agent=agent, day=when, template="day", start_minute=start,
                                  end_minute=end, breaks=[["lunch", start + 240, start + 270]],
                                  queues=["after"] * ((end - start) // 15))
    drafts.publish_draft(world.user("manager"), draft, draft.version)


def test_swap_checks_rest_rule_and_lead_approval(wfm, world):
    day = next_monday() + timedelta(days=2)
    # the peer works until 23:00 the evening before: taking a 09:00 shift breaks the 11-hour rest
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)},
                    extra=[(world.peer, day - timedelta(days=1), 15 * 60, 23 * 60)])
    from django.utils import translation

    with translation.override("en"):
        swap = requests.request_swap(None, world.agent, day, world.peer)
        texts = requests.check_messages(swap.checks)
    assert any("would rest only 10 h before" in c for c in texts), texts
    with pytest.raises(Exception):  # noqa: B017 - refused with the checks
        requests.decide_swap(world.user("lead"), swap, True)
    # without the late shift the swap passes, the lead approves, both see the change
    PublishedShift.objects.filter(agent=world.peer, day=day - timedelta(days=1)).update(active=False)
    swap.status = "pending"
    swap.save()
    swap.checks = requests.swap_checks(swap)
    assert swap.checks == []
    requests.decide_swap(world.user("lead"), swap, True)
    assert selectors.published_shifts([world.peer.pk], day, day)[0].start.hour == 9
    assert selectors.published_shifts([world.agent.pk], day, day) == []
    assert ShiftNotice.objects.filter(agent=world.agent, day=day).exists()


def test_swap_lacking_skill_is_flagged(wfm, world):
    from zhiren.workforce.models import AgentSkill, Queue

    other = Queue.objects.create(site=world.site_a, code="vip", name="VIP")
    AgentSkill.objects.create(agent=world.peer, queue=other)
    day = next_monday()
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)})
    swap = requests.request_swap(None, world.agent, day, world.peer)
    assert any(world.peer.name in c for c in requests.check_messages(swap.checks))


def test_leave_impact_and_refusal_writes_bank_withdrawal(wfm, world):
    day = next_monday()
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60)})
    leave = requests.request_leave(None, world.agent, "annual", day, day, "家里有事")
    impact = requests_read.leave_impact(leave)
    assert impact[0]["shift"] is not None and impact[0]["short_after_h"] >= impact[0]["short_before_h"]
    requests.decide_leave(world.user("lead"), leave, False, "大促期间")
    entry = BankEntry.objects.get(source="workforce", source_ref=f"leave:{leave.pk}")
    assert entry.amount < 0 and entry.agent_id == world.agent.pk
    # approved leave removes the shift and blocks rostering
    leave2 = requests.request_leave(None, world.peer, "annual", day, day)
    requests.decide_leave(world.user("lead"), leave2, True)
    from zhiren.workforce.drafts.roster import roster_input

    data = roster_input(world.site_a.pk, [world.team_a1.pk], day, 1, demand={})
    peer = next(a for a in data.problem.agents if a.id == str(world.peer.pk))
    assert 0 in peer.leave_days


def test_adherence_from_a_constructed_stream():
    zone = tz()
    day = date(2025, 3, 3)
    shift = planned_shift(7, day, 9 * 60, 13 * 60, [("work", 540, 660), ("break", 660, 675), ("work", 675, 780)], zone)
    at = lambda h, m: datetime(2025, 3, 3, h, m, tzinfo=zone)  # noqa: E731
    events = [(at(9, 5), "available"), (at(11, 0), "break"), (at(11, 25), "available"), (at(12, 30), "offline")]
    result = adherence([shift], events, at(0, 0), at(23, 59), grace_minutes=3)
    # scheduled 240 min; out: 09:00-09:05 (offline), 11:15-11:25 (break overstayed), 12:30-13:00 (offline)
    assert result.scheduled_minutes == 240
    assert result.in_adherence_minutes == 240 - 5 - 10 - 30
    assert round(result.adherence, 4) == round(195 / 240, 4)
    assert result.work_minutes == 225 and result.worked_minutes == 115 + 65
    assert [round(e.minutes) for e in result.exceptions] == [5, 10, 30]
    line = floor_line(7, shift, "break", at(11, 0), at(11, 20), grace_minutes=3)
    assert line.alert and line.planned == "work" and round(line.out_minutes) == 5


def test_state_push_updates_the_floor(wfm, world, client_for):
    _publish_simple(world, date.today(), {world.agent: (0, 23 * 60 + 45)})
    client = client_for(world.user("lead"))
    response = client.post(reverse("workforce:state_events"),
                           data=[{"agent": "A1001", "state": "break", "at": "2020-01-01T08:00:00+08:00"},
                                 {"agent": "A1001", "state": "available"}], content_type="application/json")
    assert response.status_code == 200 and response.json() == {"received": 2}
    panel = client.get(reverse("workforce:floor_panel")).content.decode()
    assert "available" in panel
    bad = client.post(reverse("workforce:state_events"), data=[{"agent": "B1001", "state": "available"}],
                      content_type="application/json")
    assert bad.status_code == 400  # an agent outside the lead's teams


def test_scope_agent_sees_own_schedule_and_own_team_grid_only(wfm, world, client_for):
    day = next_monday()
    _publish_simple(world, day, {world.agent: (9 * 60, 17 * 60), world.peer: (10 * 60, 18 * 60)})
    client = client_for(world.user("agent"))
    grid = client.get(reverse("workforce:team_grid", kwargs={"pk": world.team_a1.pk}) + f"?start={day}")
    assert grid.status_code == 200 and world.peer.name in grid.content.decode()
    assert client.get(reverse("workforce:team_grid", kwargs={"pk": world.team_a2.pk})).status_code == 404
    assert client.get(reverse("workforce:team_grid", kwargs={"pk": world.team_b1.pk})).status_code == 404
    assert client.get(reverse("workforce:floor")).status_code == 404
    week = client.get(reverse("workforce:my_week") + f"?start={day}").content.decode()
    assert "09:00" in week and "10:00" not in week


def test_forecast_version_and_adjustment(wfm, world):
    version = planning.create_forecast(world.user("manager"), wfm, next_monday(), 1)
    assert len(version.data) == 7
    first = next_monday()
    adjusted = planning.adjust_forecast(world.user("manager"), version, first, first, 40, 47, 2.0, "直播带货")
    assert adjusted.parent_id == version.pk and adjusted.number == version.number + 1
    before = version.data[first.isoformat()]["volume"][40]
    assert adjusted.data[first.isoformat()]["volume"][40] == pytest.approx(before * 2, rel=1e-3)
    with pytest.raises(Exception):  # noqa: B017 - a reason is required
        planning.adjust_forecast(world.user("manager"), version, first, first, 40, 47, 2.0, " ")


def test_hard_queue_provider_reads_the_schedule(wfm, world):
    from zhiren.workforce.models import Queue

    Queue.objects.filter(pk=wfm.pk).update(code="complaints")
    day = next_monday()
    draft = RosterDraft.objects.create(site=world.site_a, start=day, weeks=1, status="ready", result={})
    draft.teams.set([world.team_a1])
    DraftShift.objects.create(draft=draft, agent=world.agent, day=day, template="day", start_minute=540,
                              end_minute=600, breaks=[], queues=["complaints"] * 4)
    drafts.publish_draft(world.user("manager"), draft, draft.version)
    assert selectors.hard_queue_provider([world.agent.pk, world.peer.pk], [day]) == {(world.agent.pk, day)}


def test_hard_queue_provider_falls_back_to_positions_where_nothing_is_published(wfm, world):
    """Before a roster is published, complaints-positioned agents still count as on a hard queue."""
    from zhiren.org.models import Position

    world.far.position = Position.COMPLAINTS
    world.far.save()
    day = next_monday()
    assert selectors.hard_queue_provider([world.far.pk, world.agent.pk], [day]) == {(world.far.pk, day)}
    # Once team A1 has a published schedule that day, its agents follow the schedule only.
    world.agent.position = Position.COMPLAINTS
    world.agent.save()
    _publish_simple(world, day, {world.peer: (9 * 60, 17 * 60)})
    assert selectors.hard_queue_provider([world.agent.pk], [day]) == set()


@pytest.mark.parametrize("event", [
    {"agent": "999999999999999999999999999999", "state": "available"},  # an id no database holds
    {"agent": "²", "state": "available"},  # a digit that is not 0-9
    {"agent": "A1\x00001", "state": "available"},  # a NUL PostgreSQL refuses
    {"agent": "A1001", "state": "available", "at": "0001-01-01T00:30:00+05:00"},  # before year 1 in UTC
    {"agent": "A1001", "state": "available", "at": "2026-02-30T10:00:00"},  # no such day
])
def test_a_malformed_state_event_is_a_400_naming_it_not_a_500(world, client_for, event):
    response = client_for(world.user("lead")).post(reverse("workforce:state_events"), data=[event],
                                                   content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("Event 1:")
