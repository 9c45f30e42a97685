"""The lead's workspace: every team's 晨会 agenda generated from all the registered sources.

    .venv/bin/python benchmarks/bench_leadership.py

Builds a throw-away SQLite database (migrated) with 200 teams of 10 agents, yesterday's KPIs
per agent, yesterday's mood check-ins, today's published shifts, leave, a rule in its grace
period and shared praise, then times generating one huddle per team (every source of
``core.registries.huddle_sources``, one transaction each) and a lead's board (every
``board_feeds`` entry). Goal (issue #23): all 200 agendas ≤ 5 s. The lead's home page p95 with
a year of data for 2,000 agents is not measured here yet.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time

from reporting import load_average

TEAMS = int(os.environ.get("BENCH_TEAMS", "200"))
PER_TEAM = 10


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="bench-leadership-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiren.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from zhiren.coaching.models import Feedback
    from zhiren.discipline.models import Rule
    from zhiren.leadership import selectors, services
    from zhiren.leadership.models import AgendaItem
    from zhiren.org.models import Agent, Center, Role, RoleAssignment, Scope, Site, Team
    from zhiren.performance.models import DailyStat
    from zhiren.wellbeing.models import MoodEntry
    from zhiren.workforce.models import LeaveRequest, PublishedShift, ScheduleVersion

    call_command("migrate", verbosity=0)
    rng = random.Random(23)
    now = timezone.now()
    today = timezone.localdate(now)
    yesterday = today - dt.timedelta(days=1)
    with transaction.atomic():
        site = Site.objects.create(center=Center.objects.create(name="c"), code="s", name="s")
        teams = [Team.objects.create(site=site, code=f"t{i}", name=f"t{i}") for i in range(TEAMS)]
        lead = get_user_model().objects.create(username="lead")
        ra = RoleAssignment.objects.create(user=lead, role=Role.TEAM_LEAD, scope=Scope.TEAMS)
        ra.teams.set(teams[:1])
        Agent.objects.bulk_create([
            Agent(employee_no=f"E{t}-{i}", name=f"a{t}-{i}", team=team,
                  hire_date=today - dt.timedelta(days=rng.randint(30, 2000)),
                  birthday=dt.date(1995, rng.randint(1, 12), rng.randint(1, 28)))
            for t, team in enumerate(teams) for i in range(PER_TEAM)
        ])
        agents = list(Agent.objects.all())
        DailyStat.objects.bulk_create([
            DailyStat(day=yesterday, agent=a, team_id=a.team_id, channel="voice", offered=60, answered=58,
                      answered_in_sl=rng.randint(35, 58), handle_sum=58 * rng.randint(250, 400),
                      csat_count=10, csat_top2=rng.randint(6, 10), fcr_base=20, fcr_hits=rng.randint(12, 20))
            for a in agents
        ])
        MoodEntry.objects.bulk_create([
            MoodEntry(agent=a, day=yesterday, source="self", score=rng.randint(1, 5)) for a in agents
        ])
        version = ScheduleVersion.objects.create(site=site, number=1, start=today, end=today)
        PublishedShift.objects.bulk_create([
            PublishedShift(version=version, agent=a, day=today, template="D", start_minute=rng.choice((480, 540)),
                           end_minute=1080)
            for a in agents
        ])
        LeaveRequest.objects.bulk_create([
            LeaveRequest(agent=a, start=today, end=today, status="approved") for a in agents[::17]
        ])
        Rule.objects.create(site=site, title="工牌", text="…", ladder=["warning"],
                            announced_on=today - dt.timedelta(days=2), grace_days=7)
        Feedback.objects.bulk_create([
            Feedback(agent=a, lead=lead, kind="bia", given_on=yesterday, behavior="耐心", impact="好评",
                     appreciation="谢谢", shared_on_wall=True)
            for a in agents[::7]
        ])

    start = now + dt.timedelta(hours=1)
    began = time.perf_counter()
    for team in teams:
        services.plan_huddle(team, start)
    huddles = time.perf_counter() - began
    items = AgendaItem.objects.count()
    began = time.perf_counter()
    board = selectors.board(lead, today)
    board_s = time.perf_counter() - began
    print(f"load average: {load_average()}")
    print(f"{TEAMS} huddle agendas ({items} points): {huddles:.2f} s "
          f"({'ok' if huddles <= 5 else 'OVER'} the 5 s goal)")
    print(f"a lead's board ({board['open_count']} cards): {board_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
