"""``zhiren purge``: each data class goes at the age its retention period says, and not before.

The clock is moved with ``time_machine``; purge reads it (``timezone.now()``) like in production.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command

from zhiren.audit.models import AuditAction, AuditEvent
from zhiren.audit.services import record
from zhiren.coaching.models import Feedback
from zhiren.core.periodic import run_due
from zhiren.core.registries import periodic_jobs, retention_rules
from zhiren.discipline.models import AttendanceDay, Rule, Violation
from zhiren.org.models import AgentStatus
from zhiren.people.models import AgentProfile, LifeStage, Talk, TalkParticipant
from zhiren.performance.models import Goal
from zhiren.placement.models import AgentTraits, RoleWish
from zhiren.privacy.models import CorrectionRequest, Departure
from zhiren.privacy.retention import purge
from zhiren.privacy.services import ask_correction, decide
from zhiren.wellbeing.models import MoodAlert, MoodEntry
from zhiren.workforce.models import AgentPreference, LeaveRequest

from .records import add_records

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hm: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=SHANGHAI)


def purge_at(moment: datetime, **kwargs):
    with time_machine.travel(moment, tick=False):
        return {r.key: r.count for r in purge(**kwargs)}


@pytest.fixture
def kept(settings):
    def set_days(**days):
        settings.RETENTION_DAYS = {**django_settings.RETENTION_DAYS, **days}

    return set_days


def test_every_class_has_a_period_in_the_settings():
    names = {entry.name for entry in retention_rules.entries()}
    assert names == set(django_settings.RETENTION_DEFAULT_DAYS) | {"import_uploads"}
    for entry in retention_rules.entries():
        assert entry.value.kept() > timedelta(0), entry.name


def test_moods_and_alerts_go_the_day_after_their_period(world, kept):
    kept(moods=30)
    with time_machine.travel(at("2026-03-11"), tick=False):
        MoodEntry.objects.create(agent=world.agent, day=at("2026-03-11").date(), source="self", score=2, note="n")
        MoodEntry.objects.create(agent=world.agent, day=at("2026-03-12").date(), source="self", score=3)
        MoodAlert.objects.create(agent=world.agent, kind="sustained_low", day=at("2026-03-11").date(),
                                 raised_on=at("2026-03-11").date())
    assert purge_at(at("2026-04-10", "23:59"))["moods"] == 0
    assert MoodEntry.objects.count() == 2 and MoodAlert.objects.count() == 1
    assert purge_at(at("2026-04-11", "00:01"))["moods"] == 2
    assert list(MoodEntry.objects.values_list("day", flat=True)) == [at("2026-03-12").date()]
    assert not MoodAlert.objects.exists()


def test_talk_notes_are_blanked_after_their_period_and_the_talk_stays(world, kept):
    kept(talk_notes=100)
    talk = Talk.objects.create(lead=world.user("lead"), team=world.team_a1, held_on=at("2026-03-11").date(),
                               setting="tea", summary="shared")
    TalkParticipant.objects.create(talk=talk, agent=world.agent, private_note="private")
    assert purge_at(at("2026-06-19", "23:00"))["talk_notes"] == 0  # 100 days later: still kept
    assert TalkParticipant.objects.get().private_note == "private"
    assert purge_at(at("2026-06-20", "01:00"))["talk_notes"] == 1
    assert TalkParticipant.objects.get().private_note == "" and Talk.objects.get().summary == "shared"


def _violation(world, rule, day):
    return Violation.objects.create(agent=world.agent, rule=rule, team=world.team_a1, day=day, kind="manual",
                                    source="manual", note="late again")


def test_violations_go_a_period_after_their_window_closes(world, kept):
    kept(discipline=10)
    monthly = Rule.objects.create(title="月", text="t", site=world.site_a, ladder=["reminder"], window="month")
    rolling = Rule.objects.create(title="滚动", text="t", site=world.site_a, ladder=["reminder"], window="rolling",
                                  window_days=7)
    in_month = _violation(world, monthly, at("2026-03-11").date())
    in_rolling = _violation(world, rolling, at("2026-03-11").date())
    # A rolling window of 7 days: it counts until 03-17 (03-18 no longer sees it); ten days later it
    # may go, unless a later violation within its window still counts it.
    assert purge_at(at("2026-03-27", "23:00"))["discipline"] == 0
    assert purge_at(at("2026-03-28", "00:30"))["discipline"] == 1
    assert list(Violation.objects.all()) == [in_month]
    # The month closes on 2026-04-01; ten days later the violation may go.
    assert purge_at(at("2026-04-10", "23:00"))["discipline"] == 0
    assert purge_at(at("2026-04-11", "00:30"))["discipline"] == 1
    assert not Violation.objects.exists() and in_rolling.pk


def test_the_audit_log_and_decided_requests_go_after_their_period(world, kept):
    kept(audit_log=1000, correction_requests=200)
    with time_machine.travel(at("2026-03-11"), tick=False):
        record(actor=world.user("hr"), action=AuditAction.READ, obj=world.agent, fields=["birthday"],
               subject_agent_id=world.agent.pk)
        decided = ask_correction(world.user("agent"), world.agent, "org.record", "team", "A2")
        decide(world.user("hr"), decided, approve=False, note="no")
        pending = ask_correction(world.user("agent"), world.agent, "org.record", "position", "QA")
    reads = AuditEvent.objects.filter(action="read")
    assert purge_at(at("2026-09-27", "09:00"))["correction_requests"] == 0  # 200 days later
    assert purge_at(at("2026-09-27", "11:00"))["correction_requests"] == 1
    assert list(CorrectionRequest.objects.all()) == [pending]  # waiting requests are never purged
    assert reads.count() == 1
    assert purge_at(at("2028-12-05", "09:00"))["audit_log"] == 0  # 1000 days later
    assert purge_at(at("2028-12-05", "11:00"))["audit_log"] >= 1
    assert not reads.exists()


def test_a_leavers_sensitive_data_is_erased_after_the_period(world, kept):
    kept(leavers=30)
    add_records(world, world.agent, "GONE")
    add_records(world, world.peer, "STAYS")
    world.agent.status = AgentStatus.LEFT
    world.agent.save()
    purge_at(at("2026-03-11", "12:00"))  # the purge notices the departure
    assert Departure.objects.get().noticed_on == at("2026-03-11").date()
    assert purge_at(at("2026-04-10", "23:00"))["leavers"] == 0
    assert MoodEntry.objects.filter(agent=world.agent).exists()

    erased = purge_at(at("2026-04-11", "00:30"))["leavers"]

    assert erased >= 10
    agent = world.agent
    for model in (MoodEntry, Feedback, Violation, LifeStage, AgentProfile, RoleWish, AgentTraits, AgentPreference):
        assert not model.objects.filter(agent=agent).exists(), model.__name__
        assert model.objects.filter(agent=world.peer).exists(), model.__name__
    assert TalkParticipant.objects.get(agent=agent).private_note == ""
    assert LeaveRequest.objects.get(agent=agent).reason == ""
    from zhiren.recruiting.models import Candidate, InterviewScorecard

    assert InterviewScorecard.objects.get(interview__candidate__agent=agent).notes == ""
    assert Candidate.objects.get(agent=agent).id_number == ""
    assert InterviewScorecard.objects.get(interview__candidate__agent=world.peer).notes == "STAYS-interview"
    from zhiren.engagement.models import Offboarding

    gone = Offboarding.objects.get(agent=agent)
    assert gone.conversation_notes == "" and gone.main_reason == "schedule"  # the report keeps reasons
    assert Offboarding.objects.get(agent=world.peer).conversation_notes == "STAYS-exit-notes"
    from zhiren.engagement.models import FundGrant

    assert FundGrant.objects.filter(beneficiary=None, reason="", amount=500).count() == 1  # the books keep the sum
    assert FundGrant.objects.get(beneficiary=world.peer).reason == "STAYS-grant"
    # Working-time and employment records stay, and so does the agent.
    assert AttendanceDay.objects.filter(agent=agent).exists() and Goal.objects.filter(agent=agent).exists()
    assert Talk.objects.filter(participants__agent=agent, summary="GONE-summary").exists()
    agent.refresh_from_db()
    assert agent.name == "张三" and Departure.objects.get().erased_at is not None
    assert AuditEvent.objects.filter(action="delete", subject_agent_id=agent.pk,
                                     purpose__startswith="left").count() == 1
    assert purge_at(at("2026-04-12"))["leavers"] == 0  # done once


def test_an_agent_who_comes_back_starts_anew(world, kept):
    kept(leavers=30)
    add_records(world, world.agent, "BACK")
    world.agent.status = AgentStatus.LEFT
    world.agent.save()
    purge_at(at("2026-03-11", "12:00"))
    world.agent.status = AgentStatus.ACTIVE
    world.agent.save()
    purge_at(at("2026-03-20"))
    assert not Departure.objects.exists()
    assert purge_at(at("2026-05-01"))["leavers"] == 0
    assert MoodEntry.objects.filter(agent=world.agent).exists()


def test_dry_run_counts_what_the_purge_then_removes(world, kept, capsys):
    """Counts per class. (A row in two classes, say a leaver's old mood, a dry run counts in both.)"""
    kept(moods=50, leavers=30)
    add_records(world, world.agent, "OLD")
    MoodEntry.objects.create(agent=world.peer, day=at("2026-02-20").date(), source="self", score=4)
    world.agent.status = AgentStatus.LEFT
    world.agent.save()
    purge_at(at("2026-03-11", "12:00"))
    before = MoodEntry.objects.count(), LifeStage.objects.count()

    with time_machine.travel(at("2026-04-20"), tick=False):
        call_command("purge", "--dry-run")
    out = capsys.readouterr().out
    assert (MoodEntry.objects.count(), LifeStage.objects.count()) == before
    counted = dict(line.split()[:2] for line in out.splitlines() if line and not line.startswith("Dry run"))
    assert "Dry run" in out and int(counted["moods"]) == 1 and int(counted["leavers"]) >= 10
    done = purge_at(at("2026-04-20"))
    assert {key: str(value) for key, value in done.items()} == counted


def test_a_rolling_chain_goes_only_once_its_last_violation_stopped_counting(world, kept):
    kept(discipline=10)
    rolling = Rule.objects.create(title="滚动", text="t", site=world.site_a, ladder=["reminder"], window="rolling",
                                  window_days=7)
    first = _violation(world, rolling, at("2026-03-01").date())
    second = _violation(world, rolling, at("2026-03-06").date())  # counts the first in its window
    assert purge_at(at("2026-03-20"))["discipline"] == 0  # the first alone would have gone on 03-18
    assert purge_at(at("2026-03-22", "23:00"))["discipline"] == 0
    assert set(Violation.objects.all()) == {first, second}
    assert purge_at(at("2026-03-23", "00:30"))["discipline"] == 2  # 03-06 + 7 days + 10 days


def test_the_purge_is_a_periodic_job_that_purges(world, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "moods": 30}
    settings.PURGE_EVERY_HOURS = 24
    MoodEntry.objects.create(agent=world.agent, day=at("2026-01-30").date(), source="self", score=3)
    job = {entry.name: entry.value for entry in periodic_jobs.entries()}["purge"]  # registered by privacy
    assert job.every() == timedelta(hours=24)
    with periodic_jobs.replaced([("purge", job)]), time_machine.travel(at("2026-03-11", "03:00"), tick=False):
        assert run_due() == ["purge"]  # tests run tasks inline: the purge ran
    assert not MoodEntry.objects.exists()
