"""One marked record of each kind an app holds about an agent, for the privacy tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def add_records(world, agent, mark: str, day: date | None = None) -> None:
    """A row in every module about ``agent``, each carrying ``mark`` in a text field."""
    from zhiren.coaching.models import Feedback
    from zhiren.discipline.models import AttendanceDay, Rule, Violation
    from zhiren.people.models import AgentProfile, LifeStage, Talk, TalkParticipant
    from zhiren.performance.models import Goal
    from zhiren.placement.models import AgentTraits, RoleProfile, RoleWish
    from zhiren.wellbeing.models import MoodEntry
    from zhiren.workforce.models import AgentPreference, LeaveRequest

    day = day or timezone.localdate()
    lead = world.user("lead")
    AgentProfile.objects.update_or_create(agent=agent, defaults={"likes": f"{mark}-likes"})
    LifeStage.objects.update_or_create(agent=agent, defaults={"family_situation": f"{mark}-family",
                                                              "consent_given_at": timezone.now()})
    talk = Talk.objects.create(lead=lead, team=agent.team, held_on=day, setting="tea", summary=f"{mark}-summary")
    TalkParticipant.objects.create(talk=talk, agent=agent, private_note=f"{mark}-talk-note")
    MoodEntry.objects.create(agent=agent, day=day, source="self", score=2, note=f"{mark}-mood")
    Feedback.objects.create(agent=agent, lead=lead, kind="bid", given_on=day, behavior=f"{mark}-feedback",
                            impact="i", desired="d")
    rule, _ = Rule.objects.get_or_create(title="准时", site=agent.team.site,
                                         defaults={"text": "t", "ladder": ["reminder"]})
    Violation.objects.create(agent=agent, rule=rule, team=agent.team, day=day, kind="manual", source="manual",
                             note=f"{mark}-violation")
    start = timezone.make_aware(datetime.combine(day, time(9)))
    AttendanceDay.objects.create(agent=agent, day=day, shift_start=start, shift_end=start + timedelta(hours=9))
    Goal.objects.create(title=f"{mark}-goal", level="agent", agent=agent, kpi="aht", target=300, start=day,
                        end=day + timedelta(days=30), owner=world.user("admin"), rationale="r")
    role, _ = RoleProfile.objects.get_or_create(code="qa")
    RoleWish.objects.create(agent=agent, role=role, stance="wants", note=f"{mark}-wish")
    AgentTraits.objects.update_or_create(agent=agent, defaults={"traits": ["curious"]})
    AgentPreference.objects.update_or_create(agent=agent, defaults={"note": f"{mark}-preference"})
    LeaveRequest.objects.create(agent=agent, start=day, end=day, reason=f"{mark}-leave")
    from zhiren.recruiting.models import Candidate, Interview, InterviewKit, InterviewScorecard

    hired = Candidate.objects.create(site=agent.team.site, name=agent.name, phone=f"138{agent.pk:08d}",
                                     id_number=f"11010119900101{agent.pk % 10000:04d}", source="referral",
                                     source_detail=f"{mark}-application", applied_on=day, agent=agent, hired_on=day,
                                     stage="onboarded")
    kit = InterviewKit.objects.create(role=role, name="面试", competencies=[])
    interview = Interview.objects.create(candidate=hired, kit=kit, scheduled_at=timezone.now())
    InterviewScorecard.objects.create(interview=interview, interviewer=lead, notes=f"{mark}-interview",
                                      recommendation="yes", submitted_at=timezone.now())
    from zhiren.engagement.models import Offboarding

    Offboarding.objects.create(agent=agent, team=agent.team, last_day=day, main_reason="schedule",
                               conversation_notes=f"{mark}-exit-notes")
    from zhiren.leadership.models import Attendance, CardState, Huddle

    huddle, _ = Huddle.objects.get_or_create(team=agent.team, shift_start=start,
                                             defaults={"generated_at": timezone.now()})
    Attendance.objects.create(huddle=huddle, agent=agent, present=True)
    CardState.objects.create(owner=lead, key=f"task:{agent.pk}", status="delegated", delegated_to=agent,
                             decided_on=day, note=f"{mark}-delegated")
    from zhiren.engagement.models import FundGrant

    FundGrant.objects.create(site=agent.team.site, day=day, amount=500, beneficiary=agent, reason=f"{mark}-grant")
