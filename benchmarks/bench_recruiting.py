"""The channel-quality report through the app: 5,000 candidates, 1,500 hires over two years.

    .venv/bin/python benchmarks/bench_recruiting.py

Builds a throw-away SQLite database with one site, 5,000 candidates across the seven
channels who applied over the last two years, 1,500 of them hired (agents on one team),
about a third of those gone (privacy's departure rows), a typing score for 4,000, four
released QA evaluations in each hire's first 60 days, twenty days of handled contacts in
each hire's days 30–89 (the AHT windows), a cost per channel and month, and 300 interviews
with two scorecards each. Then the site manager loads ``/recruiting/report/`` for the two years
(warm-up, then ``BENCH_RUNS`` (30) requests): median and p95. Goal: p95 ≤ 300 ms.
The machine's load average and the page's number of queries are printed beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from reporting import goal, load_average  # noqa: E402

CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", "5000"))
HIRES = int(os.environ.get("BENCH_HIRES", "1500"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
GOAL_MS = 300


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="bench-recruiting-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiren.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    from zhiren.org.models import (
        Agent,
        AgentStatus,
        Center,
        Role,
        RoleAssignment,
        Scope,
        Site,
        Team,
    )
    from zhiren.performance.models import DailyStat, Interaction
    from zhiren.placement.models import RoleProfile
    from zhiren.privacy.models import Departure
    from zhiren.quality.models import Evaluation, Scorecard, ScorecardVersion
    from zhiren.recruiting import catalogue
    from zhiren.recruiting.models import (
        AssessmentResult,
        Candidate,
        ChannelCost,
        Interview,
        InterviewKit,
        InterviewScorecard,
        Offer,
        Source,
    )

    call_command("migrate", verbosity=0)
    rng = random.Random(21)
    today = timezone.localdate()
    start = today - dt.timedelta(days=730)
    users = get_user_model()
    t0 = time.perf_counter()
    with transaction.atomic():
        site = Site.objects.create(
            center=Center.objects.create(name="中心"), code="hz", name="杭州"
        )
        team = Team.objects.create(site=site, code="hz-new", name="新人组")
        manager = users.objects.create_user("manager")
        RoleAssignment.objects.create(
            user=manager, role=Role.SITE_MANAGER, scope=Scope.SITE, site=site
        )
        qa = users.objects.create_user("qa")
        role, _created = RoleProfile.objects.get_or_create(
            code="aftersales", defaults={"name": "售后"}
        )
        kit = InterviewKit.objects.create(
            role=role, name="面试", competencies=catalogue.DEFAULT_KIT
        )
        card = Scorecard.objects.create(site=site, name="电话", channel="voice")
        version = ScorecardVersion.objects.create(
            scorecard=card, number=1, definition={"sections": []}
        )
        sources = list(Source.values)
        hired_ix = set(rng.sample(range(CANDIDATES), HIRES))
        candidates = []
        for i in range(CANDIDATES):
            applied = start + dt.timedelta(days=rng.randint(0, 720))
            candidates.append(
                Candidate(
                    site=site,
                    name=f"候选人{i}",
                    phone=f"139{i:08d}",
                    source=rng.choice(sources),
                    applied_on=applied,
                    stage="onboarded" if i in hired_ix else "rejected",
                    reason="" if i in hired_ix else "fit",
                    stage_changed_at=timezone.now(),
                )
            )
        Candidate.objects.bulk_create(candidates, batch_size=1000)
        candidates = list(Candidate.objects.order_by("pk"))
        agents = [
            Agent(
                employee_no=f"N{i:05d}",
                name=c.name,
                team=team,
                hire_date=min(today, c.applied_on + dt.timedelta(days=14)),
                status=AgentStatus.LEFT if rng.random() < 0.35 else AgentStatus.ACTIVE,
            )
            for i, c in enumerate(candidates)
            if c.stage == "onboarded"
        ]
        Agent.objects.bulk_create(agents, batch_size=1000)
        agents = list(Agent.objects.filter(team=team).order_by("pk"))
        hires = [c for c in candidates if c.stage == "onboarded"]
        for c, agent in zip(hires, agents, strict=True):
            c.agent, c.hired_on = agent, agent.hire_date
        Candidate.objects.bulk_update(hires, ["agent", "hired_on"], batch_size=1000)
        now = timezone.now()
        Offer.objects.bulk_create(
            [
                Offer(candidate=c, team=team, start_date=c.hired_on, status="accepted", made_at=now)
                for c in hires
            ],
            batch_size=1000,
        )
        Departure.objects.bulk_create(
            [
                Departure(
                    agent=a,
                    noticed_on=min(today, a.hire_date + dt.timedelta(days=rng.randint(1, 400))),
                )
                for a in agents
                if a.status == AgentStatus.LEFT
            ],
            batch_size=1000,
        )
        AssessmentResult.objects.bulk_create(
            [
                AssessmentResult(
                    candidate=c,
                    kind="typing",
                    issued_at=now,
                    submitted_at=now,
                    score=round(rng.gauss(50, 12), 1),
                )
                for c in candidates[:4000]
            ],
            batch_size=1000,
        )
        contacts, evaluations = [], []
        for agent in agents:
            for k in range(4):
                day = agent.hire_date + dt.timedelta(days=5 + 13 * k)
                if day > today:
                    break
                contact = Interaction(
                    external_id=f"B-{agent.pk}-{k}",
                    agent=agent,
                    team=team,
                    offered_at=now,
                    answered_at=now,
                    day=day,
                    slot=40,
                )
                contacts.append(contact)
                evaluations.append((contact, agent, day))
        Interaction.objects.bulk_create(contacts, batch_size=1000)
        Evaluation.objects.bulk_create(
            [
                Evaluation(
                    interaction=c,
                    agent=a,
                    team=team,
                    version=version,
                    inspector=qa,
                    answers={},
                    score=Decimal(str(round(rng.gauss(80, 8), 2))),
                    day=d,
                    submitted_at=now,
                    released_at=now,
                    status="released",
                )
                for c, a, d in evaluations
            ],
            batch_size=1000,
        )
        DailyStat.objects.bulk_create(
            [
                DailyStat(
                    day=agent.hire_date + dt.timedelta(days=offset),
                    agent=agent,
                    team=team,
                    channel="voice",
                    answered=20,
                    handle_sum=20 * rng.randint(240, 420),
                )
                for agent in agents
                for offset in range(30, 90, 3)
                if agent.hire_date + dt.timedelta(days=offset) <= today
            ],
            batch_size=2000,
        )
        month = start.replace(day=1)
        costs = []
        while month <= today:
            costs += [
                ChannelCost(site=site, source=source, month=month, amount=rng.randint(500, 5000))
                for source in sources
            ]
            month = (month + dt.timedelta(days=32)).replace(day=1)
        ChannelCost.objects.bulk_create(costs)
        panel = [users.objects.create_user(f"i{n}") for n in range(6)]
        for c in candidates[:300]:
            interview = Interview.objects.create(
                candidate=c, kit=kit, scheduled_at=now, planned_minutes=40
            )
            InterviewScorecard.objects.bulk_create(
                [
                    InterviewScorecard(
                        interview=interview,
                        interviewer=person,
                        submitted_at=now,
                        ratings={k["key"]: rng.randint(2, 5) for k in catalogue.DEFAULT_KIT},
                    )
                    for person in rng.sample(panel, 2)
                ]
            )
    print(
        f"data: {CANDIDATES} candidates, {len(hires)} hires, {len(evaluations)} QA evaluations "
        f"({time.perf_counter() - t0:.1f} s to build)"
    )
    from zhiren.recruiting import figures, selectors

    t = time.perf_counter()
    stored = figures.refresh()  # the periodic job, after the bulk loads above
    print(f"periodic job hire_figures: {stored} hires in {(time.perf_counter() - t) * 1000:.0f} ms")

    client = Client()
    client.force_login(manager)
    url = reverse("recruiting:report") + f"?from={start.isoformat()}&to={today.isoformat()}"
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(client.get, url)
        pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 40)
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - t)
    median, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    print(
        f"channel report, {CANDIDATES} candidates / {len(hires)} hires: median {median:.0f} ms, "
        f"p95 {p95:.0f} ms (N={RUNS}); {len(queries)} queries; {load_average()}; "
        f"{goal(f'p95 <= {GOAL_MS} ms', p95 <= GOAL_MS)}"
    )
    # Baseline in the same run: the report's data with each hire's figures aggregated from
    # evaluations, daily rows and enrolments on every call (live=True, as before HireFigures)
    # against the stored figures, alternating so both see the same load.
    sites = Site.objects.filter(pk=site.pk)
    runs: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(RUNS):
        for live in (True, False):
            t = time.perf_counter()
            selectors.channel_report(sites, start, today, today, live=live)
            runs[live].append(time.perf_counter() - t)
    assert selectors.channel_report(sites, start, today, today) == selectors.channel_report(
        sites, start, today, today, live=True
    ), "stored figures differ from the live ones"
    live_p95, stored_p95 = (percentile(runs[k], 0.95) * 1000 for k in (True, False))
    live_med, stored_med = (statistics.median(runs[k]) * 1000 for k in (True, False))
    print(
        f"report data (selectors.channel_report, N={RUNS} each, alternating): "
        f"live aggregation median {live_med:.0f} ms, p95 {live_p95:.0f} ms; "
        f"stored figures median {stored_med:.0f} ms, p95 {stored_p95:.0f} ms; "
        f"ratio p95 {stored_p95 / live_p95:.2f}; same numbers; {load_average()}"
    )


if __name__ == "__main__":
    main()
