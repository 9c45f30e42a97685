"""More rows of every kind on the shared world (``tests/world.py``), for query-count tests.

``add_rows(world, n)`` adds ``n`` rounds. Each round adds a team to each site, an agent to
every team, and for the world's agents and the new ones one row of each kind every page
lists (coaching records, moods, violations, leave, shifts, KPIs, wishes, …), plus a child
row under every existing parent a detail page shows (a check-in on every plan, a shift in
every roster draft, …). A page that makes one query per row makes more queries after it.
"""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta

from django.utils import timezone

from zhiren.org.models import Agent

from .factories import AgentFactory, TeamFactory

_rounds = itertools.count(1)


def add_rows(world, n: int) -> None:
    for _ in range(n):
        _add_round(world, next(_rounds))


def _add_round(world, k: int) -> None:
    today = timezone.localdate()
    teams = [world.team_a1, world.team_a2, world.team_b1]
    for site in (world.site_a, world.site_b):
        teams.append(TeamFactory(site=site, code=f"r{site.pk}-{k}", name=f"新组{site.pk}-{k}"))
    new = [AgentFactory(team=team, employee_no=f"R{team.pk}-{k}", name=f"新人{team.pk}-{k}") for team in teams]
    agents = [world.agent, world.peer, world.a2_agent, world.far, *new]
    for add in (_coaching, _discipline, _people, _wellbeing, _workforce, _placement, _performance, _imports,
                _privacy, _quality, _recruiting, _leadership):
        add(world, k, today, agents, new)


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _coaching(world, k, today, agents, new):
    from zhiren.coaching import models as m

    lead = world.user("lead")
    day = today - timedelta(days=k)
    for agent in agents:
        m.Feedback.objects.create(agent=agent, lead=lead, kind="bia", given_on=day, behavior="b", impact="i",
                                  appreciation="a", shared_on_wall=True, shared_at=timezone.now())
        m.Feedback.objects.create(agent=agent, lead=lead, kind="bid", given_on=day, behavior="b", impact="i",
                                  desired="d")
        session = m.GrowSession.objects.create(agent=agent, lead=lead, held_on=day, topic=f"t{k}")
        m.Interference.objects.create(agent=agent, lead=lead, session=session, kind="tools", description="x",
                                      raised_on=day)
        plan = m.ImprovementPlan.objects.create(agent=agent, lead=lead, started_on=day,
                                                review_on=day + timedelta(days=30), buddy=world.peer)
        m.PlanGoal.objects.create(plan=plan, kpi="csat", baseline=70, target=85)
        m.Delegation.objects.create(agent=agent, lead=lead, title=f"d{k}", assigned_on=day, state="unknown",
                                    what="w", why="y", good="g", check_on=day)
        m.StateRating.objects.create(agent=agent, rated_by=lead, rated_on=day, ability=3, motivation=3,
                                     confidence=3, commitment=3)
        m.StateRating.objects.create(agent=agent, rated_by=agent.user, rated_on=day, is_self=True, ability=4,
                                     motivation=4, confidence=4, commitment=4)
        m.SkillAssessment.objects.create(agent=agent, skill=f"skill{k}", score=3, assessed_on=day, assessed_by=lead)
        m.StateSnapshot.objects.create(agent=agent, on=day, ability=0.5, willingness=0.5, state="unknown")
    for session in m.GrowSession.objects.all():
        m.Commitment.objects.create(session=session, description=f"c{k}", due_on=today)
    for plan in m.ImprovementPlan.objects.all():
        m.PlanGoal.objects.create(plan=plan, kpi="aht", baseline=400, target=350)
        m.PlanCheckIn.objects.create(plan=plan, on=today, progress="on_track", note="n")
    m.GrowQuestion.objects.create(stage="goal", text_zh=f"目标{k}？", text_en=f"Goal {k}?", order=k)


def _discipline(world, k, today, agents, new):
    from zhiren.discipline import models as m

    rules = {}
    for site in (world.site_a, world.site_b):
        rule = m.Rule.objects.create(
            title=f"准时上班{k}", text="按排班准时打卡上班。", category="attendance", kinds=["late"], site=site,
            ladder=["reminder", "talk"], grace_days=7, announced_on=today - timedelta(days=60),
        )
        rule.teams.set(list(site.teams.all()))
        rules[site.pk] = rule
    day = today - timedelta(days=k)
    for agent in agents:
        attendance = m.AttendanceDay.objects.create(
            agent=agent, day=day, shift_start=_at(day, 9), shift_end=_at(day, 18), arrived=_at(day, 10),
            late_minutes=60,
        )
        violation = m.Violation.objects.create(
            agent=agent, rule=rules[agent.team.site_id], team=agent.team, day=day, kind="late",
            source="attendance", consequence="reminder", unit=1, attendance_day=attendance,
        )
        if agent in new:
            m.Exemption.objects.create(violation=violation, reason="家中急事，已报备", granted_by=world.user("lead"))
        event = m.ClockEvent.objects.create(agent=agent, at=_at(day, 10), kind="in",
                                            fingerprint=f"rows-{agent.pk}-{k}")
        m.ClockCorrection.objects.create(agent=agent, action="void", event=event, reason="打错了",
                                         requested_by=agent.user)
        m.ClockCorrection.objects.create(agent=agent, action="add", at=_at(day, 9), kind="in", reason="忘打卡",
                                         requested_by=agent.user)


def _people(world, k, today, agents, new):
    from zhiren.people import models as m

    lead = world.user("lead")
    for agent in new:
        m.AgentProfile.objects.create(agent=agent, updated_by=lead)
        m.LifeStage.objects.create(agent=agent)
    for agent in agents:
        m.ImportantDate.objects.create(agent=agent, label=f"纪念日{k}", date=today + timedelta(days=k))
        m.BankEntry.objects.create(lead=lead, agent=agent, kind="praise", occurred_on=today - timedelta(days=k),
                                   amount=2)
        m.BankEntry.objects.create(lead=lead, agent=agent, kind="criticism", occurred_on=today - timedelta(days=k),
                                   amount=-1)
        m.ConsentEvent.objects.create(agent=agent, action="given", actor=agent.user)
        talk = m.Talk.objects.create(lead=lead, team=agent.team, held_on=today - timedelta(days=k), setting="tea")
        m.TalkParticipant.objects.create(talk=talk, agent=agent, private_note="note")
    for talk in m.Talk.objects.all():
        m.FollowUp.objects.create(talk=talk, description=f"跟进{k}", due_on=today + timedelta(days=1),
                                  owner_agent=talk.participants.first().agent if talk.participants.exists() else None)
        for agent in new:
            if agent.team_id == talk.team_id:
                m.TalkParticipant.objects.get_or_create(talk=talk, agent=agent)


def _wellbeing(world, k, today, agents, new):
    from zhiren.wellbeing import models as m

    for agent in agents:
        for back in range(3):
            day = today - timedelta(days=back + 3 * (k - 1))
            m.MoodEntry.objects.create(agent=agent, day=day, source="self", score=2 + (back + k) % 3, causes=["workload"])
        m.MoodAlert.objects.create(
            agent=agent, kind="sustained_low", day=today - timedelta(days=k), raised_on=today - timedelta(days=k),
            evidence={"days": [], "scores": [2, 2, 1], "streak": 3}, suggested=["one_to_one", "buddy"],
        )
        m.MoodCycle.objects.create(agent=agent, kind="weekday", key=k % 7, n_in=10, n_out=40, mean_in=2.0,
                                   mean_out=3.5, effect=-1.5, p_value=0.01, strength="strong", computed_on=today)
    for agent in new:
        m.BuddyPair.objects.create(helper=world.peer if agent.team_id != world.peer.team_id else world.agent,
                                   buddy=agent, started_on=today - timedelta(days=k))
        m.BoardMessage.objects.create(team=agent.team, body=f"加油{k}")
    for team in (world.team_a1, world.team_a2, world.team_b1):
        m.BoardMessage.objects.create(team=team, author=world.user("lead"), body=f"辛苦了{k}")


def _workforce(world, k, today, agents, new):
    from zhiren.workforce import models as m

    lead = world.user("lead")
    for site in (world.site_a, world.site_b):
        queue = m.Queue.objects.create(site=site, code=f"rq{k}", name=f"热线{k}", history_name=f"热线{k}")
        for agent in agents:
            if agent.team.site_id == site.pk:
                m.AgentSkill.objects.create(agent=agent, queue=queue)
        m.ShiftTemplate.objects.create(site=site, name=f"班次{k}", earliest_start=8 * 60, latest_start=10 * 60,
                                       length_minutes=8 * 60)
        m.ForecastEvent.objects.create(site=site, name=f"大促{k}", start=today + timedelta(days=k),
                                       end=today + timedelta(days=k + 1))
        draft = m.RosterDraft.objects.create(site=site, start=today, weeks=1, status="ready", result={})
        draft.teams.set(list(site.teams.all()))
        version = m.ScheduleVersion.objects.create(site=site, number=1000 + k, start=today,
                                                   end=today + timedelta(days=6), published_by=lead)
        for agent in agents:
            if agent.team.site_id != site.pk:
                continue
            for offset in range(7):
                m.PublishedShift.objects.create(
                    version=version, agent=agent, day=today + timedelta(days=offset), template=f"班次{k}",
                    start_minute=9 * 60, end_minute=18 * 60, activities=[["work", 9 * 60, 18 * 60]],
                )
    m.HolidayDay.objects.create(date=today + timedelta(days=200 + k), kind="holiday", name=f"节日{k}")
    for draft in m.RosterDraft.objects.all():
        for agent in Agent.objects.filter(team__site=draft.site_id):
            m.DraftShift.objects.get_or_create(draft=draft, agent=agent, day=draft.start, defaults={
                "template": "day", "start_minute": 9 * 60, "end_minute": 18 * 60,
            })
    for queue in m.Queue.objects.all():
        number = queue.forecasts.count() + 1
        m.ForecastVersion.objects.create(
            queue=queue, number=number, start=today, end=today,
            data={today.isoformat(): {"volume": [1.0] * 96, "aht": [300] * 96}}, created_by=lead,
        )
    for agent in agents:
        partner = world.peer if agent != world.peer else world.agent
        m.LeaveRequest.objects.create(agent=agent, start=today + timedelta(days=k), end=today + timedelta(days=k))
        m.SwapRequest.objects.create(requester=agent, partner=partner, day=today + timedelta(days=k),
                                     status="pending")
        m.ShiftNotice.objects.create(agent=agent, day=today, text=f"排班变动{k}")
        m.StateEvent.objects.create(agent=agent, state="available", at=timezone.now())
    for agent in new:
        m.CurrentState.objects.create(agent=agent, state="available", since=timezone.now(),
                                      received_at=timezone.now())
        m.AgentPreference.objects.create(agent=agent)


def _placement(world, k, today, agents, new):
    from zhiren.placement import models as m
    from zhiren.placement.services import ensure_catalogue

    ensure_catalogue()
    roles = list(m.RoleProfile.objects.order_by("pk"))
    role = roles[k % len(roles)]
    for agent in new:
        m.AgentTraits.objects.create(agent=agent, traits=["curious"], updated_by=world.user("lead"))
    for agent in agents:
        m.RoleWish.objects.get_or_create(agent=agent, role=role, defaults={"stance": "wants"})
    for site in (world.site_a, world.site_b):
        position = m.OpenPosition.objects.create(site=site, role=role, capacity=1, team=site.teams.first())
        m.AssignmentRun.objects.create(site=site)
        for agent in new:
            if agent.team.site_id == site.pk:
                m.Pick.objects.create(picked_by=world.user("manager"), agent=agent, role=role, position=position,
                                      site=site, rank=1, candidates=3)
    for run in m.AssignmentRun.objects.all():
        position = m.OpenPosition.objects.filter(site=run.site_id).first() or m.OpenPosition.objects.create(
            site_id=run.site_id, role=role, capacity=1)
        for agent in new:
            if agent.team.site_id == run.site_id:
                m.Move.objects.create(run=run, agent=agent, position=position, fit_score=0.8, rank=1, candidates=3)
    m.KnowHow.objects.create(role=role, author=world.peer, title=f"诀窍{k}", body="先肯定，再追问。",
                             recorded_by=world.user("lead"))


def _performance(world, k, today, agents, new):
    from zhiren.performance import models as m

    owner = world.user("admin")
    for day in (today - timedelta(days=k), today - timedelta(days=k + 7)):
        for agent in agents:
            m.DailyStat.objects.create(
                day=day, agent=agent, team=agent.team, channel="voice", queue="q", offered=100, answered=95,
                handle_sum=300 * 95, csat_count=50, csat_top2=45, fcr_base=50, fcr_hits=40,
                resolution_known=90, resolved=80,
            )
            m.Interaction.objects.create(
                external_id=f"rows-{agent.pk}-{day.isoformat()}", agent=agent, team=agent.team,
                offered_at=_at(day, 10), answered_at=_at(day, 10), ended_at=_at(day, 10), day=day, slot=40,
                talk_seconds=200, csat=5, resolved=True,
            )
        for team in {agent.team for agent in agents}:
            m.IntervalStat.objects.create(day=day, slot=40, team=team, queue="q", channel="voice", offered=10,
                                          answered=10, handle_sum=3000)
    for agent in agents:
        m.Goal.objects.create(title=f"个人目标{k}", level="agent", agent=agent, team=agent.team, kpi="aht",
                              target=300, start=today - timedelta(days=5), end=today + timedelta(days=5),
                              owner=owner, rationale="r")
    for team in {agent.team for agent in agents}:
        m.Goal.objects.create(title=f"团队目标{k}", level="team", team=team, kpi="csat", target=85,
                              start=today - timedelta(days=5), end=today + timedelta(days=5), owner=owner,
                              rationale="r")
    for team in {agent.team for agent in new}:
        m.KpiTarget.objects.get_or_create(kpi="csat", team=team, defaults={"value": 85})
    template = m.AppraisalTemplate.objects.create(name=f"模板{k}")
    m.AppraisalComponent.objects.create(template=template, kind="kpi", label="CSAT", weight=100)
    cycle = m.AppraisalCycle.objects.create(name=f"考核{k}", template=template, start=today - timedelta(days=30),
                                            end=today + timedelta(days=30))
    for existing in m.AppraisalCycle.objects.all():
        for agent in agents if existing == cycle else new:
            m.Appraisal.objects.get_or_create(cycle=existing, agent=agent, defaults={"team": agent.team})


def _imports(world, k, today, agents, new):
    from zhiren.audit.models import AuditAction
    from zhiren.audit.services import record
    from zhiren.imports.models import ImportJob, ImportStatus

    for user in (world.user("hr"), world.user("manager"), world.user("admin")):
        ImportJob.objects.create(kind="agents", created_by=user, original_name=f"roster{k}.csv",
                                 stored_name="missing.csv", file_format="csv", status=ImportStatus.DONE)
    for agent in agents:
        record(actor=world.user("hr"), action=AuditAction.READ, obj=agent, fields=["birthday"],
               subject_agent_id=agent.pk)


def _quality(world, k, today, agents, new):
    from zhiren.quality import models as q

    qa = world.user("qa")
    for site in (world.site_a, world.site_b):
        card = q.Scorecard.objects.create(site=site, name=f"质检表{k}", channel="voice")
        version = q.ScorecardVersion.objects.create(scorecard=card, number=1, definition={"sections": [
            {"key": "s", "criteria": [{"key": "greet", "points": 10, "scale": "yes_no"}]}]})
        for team in {a.team for a in agents if a.team.site_id == site.pk}:
            plan = q.SamplingPlan.objects.create(team=team, name=f"抽检{k}", scorecard=card, per_agent=2)
            plan.inspectors.add(qa)
        q.PhraseList.objects.create(site=site, name=f"list-{k}", phrases=["不知道"], updated_by=qa)
        q.TranscriptRule.objects.create(site=site, key=f"rule-{k}", name=f"禁语{k}", kind="forbidden",
                                        expression={"list": f"list-{k}"}, updated_by=qa)
        for agent in [a for a in agents if a.team.site_id == site.pk]:
            for n, status in enumerate(("released", "submitted")):
                contact = agent.interactions.model.objects.create(
                    external_id=f"qrows-{agent.pk}-{k}-{n}", agent=agent, team=agent.team, offered_at=_at(today, 10),
                    day=today, slot=40)
                q.Sample.objects.create(plan=q.SamplingPlan.objects.filter(team=agent.team).first(),
                                        interaction=contact, agent=agent, period_start=today, reason="random")
                evaluation = q.Evaluation.objects.create(
                    interaction=contact, agent=agent, team=agent.team, version=version, inspector=qa,
                    answers={"greet": {"answer": "yes"}}, score=100, day=today, submitted_at=_at(today, 11),
                    status=status, released_at=_at(today, 12) if status == "released" else None)
                q.ScoreChange.objects.create(evaluation=evaluation, old_score=90, new_score=100, reason="r",
                                             changed_by=qa, changed_at=_at(today, 13))
                q.Dispute.objects.create(evaluation=evaluation, agent=agent, raised_by=qa, raised_at=_at(today, 14),
                                         comment="c")
    for evaluation in q.Evaluation.objects.all():
        q.ScoreChange.objects.create(evaluation=evaluation, old_score=100, new_score=100, reason="again",
                                     changed_by=qa, changed_at=_at(today, 15))


def _privacy(world, k, today, agents, new):
    from zhiren.privacy.models import CorrectionRequest

    for agent in agents:
        CorrectionRequest.objects.create(agent=agent, topic="workforce.schedule", topic_label=f"排班{k}",
                                         approver="lead", wrong="w", correct="c", requested_by=agent.user)
        CorrectionRequest.objects.create(agent=agent, topic="org.birthday", topic_label=f"生日{k}", approver="hr",
                                         wrong="w", correct="c", status="declined", decided_at=timezone.now(),
                                         decided_by=world.user("hr"), decision_note="不对")


def _recruiting(world, k, today, agents, new):
    from zhiren.recruiting import models as m
    from zhiren.recruiting import services

    from .recruiting.helpers import candidate, kit, requisition

    hr, lead = world.user("hr"), world.user("lead")
    interview_kit = kit()
    for site in (world.site_a, world.site_b):
        requisition(site, hr)
        fresh = candidate(site, hr, stage="screened")
        services.issue_typing(fresh)
        services.submit_sjt(fresh, {"angry": "a"})
    open_ones = m.Candidate.objects.exclude(stage__in=("onboarded", "rejected", "withdrawn"))
    for existing in open_ones:  # a day each: within the interviewers' daily budgets
        when = timezone.now() - timezone.timedelta(days=m.Interview.objects.count())
        interview = services.schedule_interview(existing, interview_kit, when, [lead, hr], user=None)
        interview.scorecards.filter(interviewer=hr).update(ratings={"service": 3}, recommendation="yes",
                                                           submitted_at=timezone.now())


def _leadership(world, k, today, agents, new):
    """Points on every huddle of the world's teams, attendance, and a task of the lead's."""
    from zhiren.leadership.models import AgendaItem, Attendance, Huddle, Request, RequestReply, Task

    for huddle in Huddle.objects.all():
        AgendaItem.objects.create(huddle=huddle, section="topics", kind="topic", text=f"议题{k}", own=True,
                                  position=k)
        for agent in agents:
            if agent.team_id == huddle.team_id:
                Attendance.objects.get_or_create(huddle=huddle, agent=agent)
    Task.objects.create(owner=world.user("lead"), title=f"任务{k}", due=today + timedelta(days=k), important="kpi")
    Request.objects.create(author=world.user("lead"), team=world.team_a1, subject=f"请示{k}",
                           background="…", options=["甲", "乙"], created_at=timezone.now())
    for item in Request.objects.all():
        RequestReply.objects.create(request=item, author=world.user("manager"), kind="comment", text=f"批示{k}",
                                    at=timezone.now())
