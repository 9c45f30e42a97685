"""Demo moods: 12 weeks of check-ins on the days each agent works, with planted cycles and warnings.

Agents check in on the days the demo rota (``zhiren.demo.rotation``) puts them on the
floor, weekends included.

Planted so that the first run shows something real:
- on the lead's team (hz-aftersales): one agent low on Mondays, one low around month-end,
  a sustained-low streak, a sharp drop today, and a mild Monday dip for the whole team;
- the demo agent login has checked in for a year and lifts on the last days before each
  public holiday (节前), so her own page and her lead's show a cycle;
- on the complaints team: a low mood on the complaint queue today;
- on cd-online: the whole team is lower on Mondays (a team pattern);
- buddy pairs (one finished), an acted-on alert from last month, board messages.
The demo agent login has no check-in today, so the home card invites one.
"""

from __future__ import annotations

import calendar
from datetime import timedelta

import numpy as np
from django.db import transaction

from zhiren.core.registries import DemoContext
from zhiren.demo import rotation
from zhiren.org.models import Agent, AgentStatus, Position, Team

from . import cycles
from .models import (
    AlertKind,
    AlertStatus,
    BoardMessage,
    BuddyPair,
    Cause,
    MoodAlert,
    MoodEntry,
    Source,
)
from .queues import public_holidays

WEEKS = 12
YEAR_WEEKS = 52  # the demo agent's history: long enough to hold several holidays
NOTES = {
    Cause.WORKLOAD: "今天排队一直满线,午饭都没顾上吃",
    Cause.CUSTOMER: "连着两个客户骂人,心里堵得慌",
    Cause.PERSONAL: "家里有点事,最近睡得不好",
    Cause.NOT_VALUED: "方案提了两次都没人回应",
    Cause.DIFFICULTY: "新上的退换货流程还不熟,总怕答错",
    Cause.UNFAIR_COMPARISON: "月底排名又被拿出来比",
    Cause.HEALTH: "有点感冒,嗓子哑了",
}
BOARD = {
    "hz-aftersales": [
        ("丽华", "昨天大家顶住了晚高峰,辛苦了!今天一起加油 💪"),
        ("", "谢谢小伙伴帮我接了那个难缠的电话,暖心!"),
        ("", "周一别怕,晨会上有零食"),
        ("建国", "本月满意度创新高,为售后一组点赞!"),
    ],
    "hz-complaints": [("", "投诉组的大家最辛苦,受了委屈随时找组长聊")],
    "cd-online": [("", "周一的消息量最大,互相照应,累了就起来走走")],
}


def _score(rng, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.75))))


@transaction.atomic
def load(context: DemoContext) -> None:
    from .services import run_nightly

    rng = context.rng
    today = context.today
    start = today - timedelta(weeks=WEEKS)
    days = cycles.date_range(start + timedelta(days=1), today)
    year_start = today - timedelta(weeks=YEAR_WEEKS)
    year = cycles.date_range(year_start + timedelta(days=1), today)
    agents = list(
        Agent.objects.filter(status=AgentStatus.ACTIVE).select_related("team", "user")
        .order_by("team__code", "employee_no")
    )
    if not agents:
        return
    rest = rotation.rest_days(agents)

    def works(agent, day) -> bool:
        return rotation.works(rest[agent.pk], day)

    teams = {t.code: t for t in Team.objects.all()}
    lead_team = [a for a in agents if a.team.code == "hz-aftersales"]
    demo_agent_id = context.users["agent"].agent.pk if "agent" in context.users else None
    candidates = [a for a in lead_team if a.pk != demo_agent_id and a.position != Position.LEAD_RESERVE]
    # The pre-holiday lift: the demo agent when there is one, on the lead's team.
    holiday_lift = next((a for a in lead_team if a.pk == demo_agent_id), None)
    holidays = sorted(public_holidays(year[0], today + timedelta(days=14)))
    eves = {d for d, before in zip(year, cycles.before_holiday_mask(
        np.array([d.toordinal() for d in year]), holidays, cycles.DEFAULTS.before_holiday_days),
        strict=True) if before}
    # The planted patterns need their days on the rota: Mondays for the Monday dip,
    # today for today's sharp drop.
    monday_low = next(a for a in candidates if 0 not in rest[a.pk])
    month_end_low = next(a for a in candidates if a is not monday_low)
    drop = next(a for a in candidates if a not in (monday_low, month_end_low) and works(a, today))
    streak = next(a for a in candidates if a not in (monday_low, month_end_low, drop))
    chosen = (monday_low, month_end_low, streak, drop)
    complaints = [a for a in agents if a.team.code == "hz-complaints"
                  and a.position == Position.COMPLAINTS and works(a, today)]
    complaint_low = complaints[0] if complaints else None

    MoodEntry.objects.filter(agent__in=agents, day__gt=year_start - timedelta(days=7)).delete()
    lead_user = context.users.get("lead")
    entries = []
    causes_all = list(NOTES)
    for agent in agents:
        base = rng.uniform(3.3, 4.3)
        lifts = holiday_lift is not None and agent.pk == holiday_lift.pk
        if lifts:
            base = 3.4
        for day in year if lifts else days:
            if not works(agent, day):
                continue  # a rest day on the rota
            if day == today and (agent.pk == demo_agent_id or rng.random() < 0.3):
                continue  # not everyone has checked in yet this morning
            if day != today and rng.random() < 0.1 and agent.pk != month_end_low.pk:
                continue  # forgotten check-ins
            mean = base
            if agent.team.code == "hz-aftersales" and day.weekday() == 0:
                mean -= 0.6
            if agent.team.code == "cd-online" and day.weekday() == 0:
                mean -= 0.8
            if agent.pk == monday_low.pk and day.weekday() == 0:
                mean -= 1.6
            if agent.pk == month_end_low.pk and _days_to_month_end(day) < 7:
                mean -= 1.7
            if lifts and day in eves:
                mean += 1.4
            score = _score(rng, mean)
            causes, note = [], ""
            if score <= 2 and rng.random() < 0.7:
                causes = [rng.choice(causes_all)]
                if rng.random() < 0.5:
                    note = NOTES[causes[0]]
            entries.append(MoodEntry(agent=agent, day=day, source=Source.SELF, score=score,
                                     causes=causes, note=note, recorded_by=agent.user))
    streak_days = [d for d in days if works(streak, d)][-3:]
    drop_days = [d for d in days if works(drop, d)]
    _plant(entries, streak, streak_days, [2, 2, 1], Cause.PERSONAL, "家里老人住院了,这几天心里很乱")
    _plant(entries, drop, drop_days[-1:], [1], Cause.CUSTOMER, "被客户投诉到经理那里,很委屈")
    _flatten(entries, drop, drop_days[-30:-1], rng)
    if complaint_low:
        _plant(entries, complaint_low, days[-1:], [2], Cause.CUSTOMER, "")
    # The lead's morning-meeting observations for the last two weeks.
    own_scores = {(e.agent_id, e.day): e.score for e in entries}
    for day in days[-10:]:
        for agent in lead_team:
            if works(agent, day) and rng.random() < 0.8:
                own = own_scores.get((agent.pk, day), 4)
                entries.append(MoodEntry(agent=agent, day=day, source=Source.OBSERVED,
                                         score=max(1, min(5, own + rng.choice((-1, 0, 0, 0, 1)))),
                                         recorded_by=lead_user))
    MoodEntry.objects.bulk_create(entries, batch_size=2000)

    # An alert from last month that the lead acted on, and buddy pairs with history.
    past = today - timedelta(days=30)
    old, _ = MoodAlert.objects.update_or_create(
        agent=month_end_low, kind=AlertKind.SUSTAINED_LOW, day=past,
        defaults={
            "raised_on": past, "status": AlertStatus.ACTED, "action": "one_to_one",
            "evidence": {"days": [(past - timedelta(days=2)).isoformat(), past.isoformat()],
                         "scores": [2, 2], "streak": 3},
            "suggested": ["one_to_one", "buddy"], "acted_by": lead_user,
            "action_note": "月底考核前一起过了一遍目标,约好每周一对一聊一次",
            "acted_at": _evening(past),
        },
    )
    BuddyPair.objects.filter(buddy__in=lead_team).delete()
    helpers = [a for a in lead_team if a.position == Position.LEAD_RESERVE] + [
        a for a in candidates if a not in chosen
    ]
    BuddyPair.objects.create(helper=helpers[0], buddy=month_end_low, started_on=past,
                             reason="月底考核压力大", alert=old, created_by=lead_user)
    BuddyPair.objects.create(helper=helpers[1], buddy=streak, started_on=today - timedelta(days=70),
                             ended_on=today - timedelta(days=40), reason="新人入职第一个月",
                             outcome="已能独立处理退换货", created_by=lead_user)
    for code, messages in BOARD.items():
        team = teams.get(code)
        if team is None:
            continue
        for name, body in messages:
            BoardMessage.objects.get_or_create(team=team, body=body, defaults={"author_name": name})
    run_nightly(today)


def _days_to_month_end(day) -> int:
    return calendar.monthrange(day.year, day.month)[1] - day.day


def _evening(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(18, 0)))


def _plant(entries, agent, days, scores, cause, note) -> None:
    for day, score in zip(days, scores, strict=True):
        for e in entries:
            if e.agent_id == agent.pk and e.day == day and e.source == Source.SELF:
                e.score, e.causes, e.note = score, [cause], note
                break
        else:
            entries.append(MoodEntry(agent=agent, day=day, source=Source.SELF, score=score,
                                     causes=[cause], note=note, recorded_by=agent.user))


def _flatten(entries, agent, days, rng) -> None:
    """A steady good baseline before the sharp drop."""
    wanted = set(days)
    for e in entries:
        if e.agent_id == agent.pk and e.day in wanted and e.source == Source.SELF:
            e.score, e.causes, e.note = rng.choice((4, 4, 5)), [], ""
