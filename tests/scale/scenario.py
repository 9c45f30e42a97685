"""A small centre with work for every background task, and what the tasks should leave behind.

Used by the RQ tests: the same work, run by one worker or by several, must leave the same
outcome (``outcome``); each task path is started the way the app starts it (a service that
enqueues on commit, or the task's ``enqueue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from zhiren.imports.models import ImportJob
from zhiren.imports.services import commit_job, start_job
from zhiren.org.models import Agent
from zhiren.people.models import DigestDelivery
from zhiren.people.tasks import send_daily_digests
from zhiren.privacy.tasks import purge_personal_data
from zhiren.wellbeing.models import EvaluationRun, MoodEntry
from zhiren.wellbeing.tasks import nightly_evaluation
from zhiren.workforce.drafts.services import start_roster
from zhiren.workforce.models import DraftShift, Queue, RosterDraft, ShiftTemplate
from zhiren.workforce.planning.services import ensure_site_setup

from ..workforce.conftest import add_history, next_monday
from ..world import World, build_world

# Explicit days: the workers run on the real clock, this process on the test's.
NIGHT = date(2026, 3, 10)
ANCIENT = date(2020, 1, 6)  # past every retention period, whatever the clock says
IMPORT_HEADER = "工号,姓名,班组,入职日期,生日\n"


@dataclass
class Scenario:
    world: World

    @property
    def hr(self):
        return self.world.user("hr")


def seed() -> Scenario:
    """The world of ``tests/world.py``, a lead with an email, moods, and both sites planned."""
    world = build_world()
    lead = world.user("lead")
    lead.email = "lead@example.com"
    lead.save()
    agents = [world.agent, world.peer, world.a2_agent, world.far]
    moods = [
        MoodEntry(agent=agent, day=NIGHT - timedelta(days=n), source="self", score=2 + (n + i) % 3)
        for i, agent in enumerate(agents)
        for n in range(10)
    ]
    moods.append(MoodEntry(agent=world.agent, day=ANCIENT, source="self", score=3))
    MoodEntry.objects.bulk_create(moods)
    for site, team in ((world.site_a, world.team_a1), (world.site_b, world.team_b1)):
        ensure_site_setup(site)
        ShiftTemplate.objects.filter(site=site).delete()
        ShiftTemplate.objects.create(
            site=site,
            name="day",
            earliest_start=9 * 60,
            latest_start=13 * 60,
            length_minutes=8 * 60,
            start_step=60,
            breaks=[{"kind": "lunch", "length": 30, "earliest_after": 180, "latest_after": 300}],
        )
        Queue.objects.create(
            site=site,
            code=f"after-{site.code}",
            name=f"售后-{site.code}",
            history_name=f"售后-{site.code}",
            channel="voice",
        )
        add_history(team, f"售后-{site.code}", NIGHT, days=21, per_slot=3.0)
    return Scenario(world)


def import_file(prefix: str, team_code: str, rows: int) -> SimpleUploadedFile:
    lines = "".join(
        f"{prefix}{n:06d},员工{prefix}{n},{team_code},2024-03-01,1995-06-15\n" for n in range(rows)
    )
    return SimpleUploadedFile(f"{prefix}.csv", (IMPORT_HEADER + lines).encode())


def queue_import(scenario: Scenario, prefix: str, team_code: str, rows: int) -> ImportJob:
    """Preview in this process, then commit: large enough to be handed to the task worker."""
    job = start_job("agents", import_file(prefix, team_code, rows), user=scenario.hr)
    assert job.error_count == 0, job.errors[:3]
    return commit_job(job, user=scenario.hr)  # enqueued when its transaction commits


def queue_roster(scenario: Scenario, site, teams) -> RosterDraft:
    return start_roster(
        scenario.world.user("admin"), site, teams, next_monday(NIGHT), 1, time_limit_s=2
    )


def queue_everything(scenario: Scenario, *, imports: int, digest_days: int) -> None:
    """Every task path: imports, roster drafts of both sites, digests, the nightly run, the purge."""
    world = scenario.world
    for n in range(imports):
        queue_import(scenario, f"K{n}", ("a1", "a2", "b1")[n % 3], 30)
    queue_roster(scenario, world.site_a, [world.team_a1])
    queue_roster(scenario, world.site_b, [world.team_b1])
    for n in range(digest_days):
        send_daily_digests.enqueue((NIGHT - timedelta(days=n)).isoformat())
    nightly_evaluation.enqueue(NIGHT.isoformat())
    purge_personal_data.enqueue()


def outcome() -> dict:
    """What the tasks left, in plain values (equal for one worker and several)."""
    drafts = RosterDraft.objects.select_related("site").order_by("site__code")
    return {
        "imports": sorted(
            ImportJob.objects.values_list("original_name", "status", "created_count")
        ),
        "agents": sorted(_agents_per_team().items()),
        "drafts": [
            (d.site.code, d.status, DraftShift.objects.filter(draft=d).exists()) for d in drafts
        ],
        "digests": sorted(
            DigestDelivery.objects.filter(sent_at__isnull=False).values_list("day", "channel")
        ),
        "nightly": list(EvaluationRun.objects.values_list("day", "agents")),
        "ancient_moods": MoodEntry.objects.filter(day=ANCIENT).count(),
    }


def _agents_per_team() -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in Agent.objects.values_list("team__code", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts
