"""Group scale on several processes: two web processes, two RQ workers, PostgreSQL and Redis.

    .venv/bin/python benchmarks/bench_scale.py                 # bounded: ~4 min on 2 cores
    .venv/bin/python benchmarks/bench_scale.py --full          # issue 24's size (much longer)
    .venv/bin/python benchmarks/bench_scale.py --agents 2000 --sites 8 --users 50 --seconds 60

Everything runs on this machine over loopback:

1. a scratch PostgreSQL database (``BENCH_PG_URL``'s server), migrated; a Redis database of its
   own (``BENCH_REDIS``'s server, claimed like the tests' ones, its keys deleted at the end);
2. ``--agents`` agents in ``--sites`` sites (4 teams a site, a lead each, a manager a site), and
   a roster site of ``--roster-agents`` agents with shift templates and call history;
3. two ``zhiren worker`` processes (RQ) and, first with no web traffic, an import of
   ``--import-rows`` new agents and a roster draft of the roster site, run at the same time:
   the idle baseline of the background work;
4. two ``zhiren serve`` processes; ``--users`` simulated people (leads, managers, agents, 2:1:2)
   log in and walk the lead, agent-profile, dashboard and floor pages for ``--seconds``, each
   request sent to the two processes in turn (as a round-robin proxy would), while the same
   import and roster run again.

Printed: p50/p95 per page, errors (status >= 400, a lost session, a failed connection; goal 0),
throughput, and the import's and roster's time under load against idle (the slowdown), with the
load average. ``--full``: 20,000 agents in 40 sites, 200 users for 2 minutes, a 1M-row import and
a 500-agent roster (issue 24); it needs far more than this 2-core machine to be meaningful.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from database_children import ROOT, scratch_postgres  # noqa: E402
from reporting import goal, load_average  # noqa: E402

REDIS_SERVER = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
CLAIM_KEY = "zhiren:bench-run-claim"
PASSWORD = "bench-Pass-2026"  # noqa: S105 - the scratch database's users
TEAMS_PER_SITE = 4
FULL = {
    "agents": 20_000,
    "sites": 40,
    "users": 200,
    "seconds": 120,
    "import_rows": 1_000_000,
    "roster_agents": 500,
}


# --- the child: seeding and the background jobs, inside Django ---------------------------------


def child_seed(agents: int, sites: int, roster_agents: int) -> dict:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from zhiren.org.models import Agent, Center, Role, RoleAssignment, Scope, Site, Team
    from zhiren.performance.models import IntervalStat
    from zhiren.workforce.models import Queue, ShiftTemplate
    from zhiren.workforce.planning.services import ensure_site_setup

    users = get_user_model()
    password = make_password(PASSWORD)
    center = Center.objects.create(name="集团")
    site_list = Site.objects.bulk_create(
        [Site(center=center, code=f"s{n:02d}", name=f"站点{n}") for n in range(sites + 1)]
    )
    roster_site, sites_ = site_list[0], site_list[1:]
    teams = Team.objects.bulk_create(
        [
            Team(site=site, code=f"{site.code}-t{n}", name=f"{site.name}{n}组")
            for site in sites_
            for n in range(TEAMS_PER_SITE)
        ]
    )
    roster_teams = Team.objects.bulk_create(
        [
            Team(site=roster_site, code=f"r-t{n}", name=f"排班{n}组")
            for n in range(max(1, roster_agents // 25))
        ]
    )
    rows = [
        Agent(
            employee_no=f"G{n:07d}",
            name=f"坐席{n}",
            team=teams[n % len(teams)],
            channel_skills=["voice"],
            hire_date=dt.date(2023, 3, 1),
            birthday=dt.date(1995, 6, 15),
        )
        for n in range(agents)
    ] + [
        Agent(
            employee_no=f"R{n:07d}",
            name=f"排班坐席{n}",
            team=roster_teams[n % len(roster_teams)],
            channel_skills=["voice"],
            hire_date=dt.date(2023, 3, 1),
            birthday=dt.date(1995, 6, 15),
        )
        for n in range(roster_agents)
    ]
    Agent.objects.bulk_create(rows, batch_size=5000)
    first_agent = {a.team_id: a.pk for a in Agent.objects.order_by("-pk")}  # any agent of each team

    logins: list[dict] = []
    hr = users.objects.create(username="bench-hr", password=password)
    RoleAssignment.objects.create(user=hr, role=Role.HR, scope=Scope.ALL)
    for team in teams:
        lead = users.objects.create(username=f"lead-{team.code}", password=password)
        assignment = RoleAssignment.objects.create(
            user=lead, role=Role.TEAM_LEAD, scope=Scope.TEAMS
        )
        assignment.teams.set([team])
        logins.append(
            {
                "username": lead.username,
                "role": "lead",
                "pages": {
                    "lead home": "/",
                    "team": f"/org/teams/{team.pk}/",
                    "agent profile": f"/people/agents/{first_agent[team.pk]}/",
                    "floor": "/workforce/floor/",
                },
            }
        )
    for site in sites_:
        manager = users.objects.create(username=f"manager-{site.code}", password=password)
        RoleAssignment.objects.create(
            user=manager, role=Role.SITE_MANAGER, scope=Scope.SITE, site=site
        )
        team = next(t for t in teams if t.site_id == site.pk)
        logins.append(
            {
                "username": manager.username,
                "role": "manager",
                "pages": {
                    "dashboard": "/performance/overview/",
                    "team dashboard": f"/performance/teams/{team.pk}/",
                    "floor": "/workforce/floor/",
                },
            }
        )
    for agent in Agent.objects.filter(employee_no__startswith="G").order_by("pk")[
        : len(logins) * 2
    ]:
        user = users.objects.create(username=f"agent-{agent.employee_no}", password=password)
        RoleAssignment.objects.create(user=user, role=Role.AGENT, scope=Scope.OWN)
        Agent.objects.filter(pk=agent.pk).update(user=user)
        logins.append(
            {
                "username": user.username,
                "role": "agent",
                "pages": {
                    "agent home": "/",
                    "my profile": "/people/me/",
                },
            }
        )

    ensure_site_setup(roster_site)
    ShiftTemplate.objects.filter(site=roster_site).delete()
    ShiftTemplate.objects.create(
        site=roster_site,
        name="day",
        earliest_start=8 * 60,
        latest_start=13 * 60,
        length_minutes=8 * 60,
        start_step=60,
        breaks=[{"kind": "lunch", "length": 30, "earliest_after": 180, "latest_after": 300}],
    )
    Queue.objects.create(
        site=roster_site, code="after", name="售后热线", history_name="售后热线", channel="voice"
    )
    rng = random.Random(7)
    end = dt.date.today() - dt.timedelta(days=1)
    per_slot = roster_agents * 0.25
    IntervalStat.objects.bulk_create(
        [
            IntervalStat(
                day=end - dt.timedelta(days=d),
                slot=slot,
                team=roster_teams[0],
                queue="售后热线",
                channel="voice",
                offered=max(0, int(rng.gauss(per_slot, per_slot / 5))),
                answered=0,
                handle_sum=0,
            )
            for d in range(28)
            for slot in range(36, 84)
        ],
        batch_size=5000,
    )
    return {"logins": logins, "teams": [t.code for t in teams]}


def child_jobs(tag: str, rows: int, team_codes: list[str]) -> dict:
    """An import of ``rows`` new agents and a roster draft, handed to the workers at once."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhiren.imports.models import ImportStatus
    from zhiren.imports.services import commit_job, start_job
    from zhiren.org.models import Site
    from zhiren.workforce.drafts.services import start_roster
    from zhiren.workforce.models import DraftStatus, RosterDraft

    hr = get_user_model().objects.get(username="bench-hr")
    lines = "".join(
        f"{tag}{n:07d},导入{n},{team_codes[n % len(team_codes)]},2024-03-01,1995-06-15\n"
        for n in range(rows)
    )
    job = start_job(
        "agents",
        SimpleUploadedFile(f"{tag}.csv", ("工号,姓名,班组,入职日期,生日\n" + lines).encode()),
        user=hr,
    )
    while job.status != ImportStatus.PREVIEW:  # a large file is checked by a worker first
        if job.status == ImportStatus.FAILED:
            return {"error": f"import check failed: {job.errors[:2]}"}
        time.sleep(0.5)
        job.refresh_from_db()
    site = Site.objects.get(code="s00")
    today = dt.date.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    started = time.perf_counter()
    commit_job(job, user=hr)
    draft = start_roster(hr, site, list(site.teams.all()), monday, 1, time_limit_s=30)
    import_s = roster_s = None
    while import_s is None or roster_s is None:
        time.sleep(0.2)
        elapsed = time.perf_counter() - started
        job.refresh_from_db()
        if import_s is None and job.is_finished:
            import_s = elapsed
        status = RosterDraft.objects.filter(pk=draft.pk).values_list("status", flat=True).get()
        if roster_s is None and status in (DraftStatus.READY, DraftStatus.FAILED):
            roster_s = elapsed
        if elapsed > 3600:
            return {"error": "jobs still running after an hour"}
    draft.refresh_from_db()
    return {
        "import_s": import_s,
        "import": job.status,
        "rows": job.created_count,
        "roster_s": roster_s,
        "roster": draft.status,
        "engine_s": draft.engine_seconds,
        "message": draft.message[:200],
    }


def child(argv: list[str]) -> None:
    import django

    django.setup()
    mode, params = argv[0], json.loads(argv[1])
    result = child_seed(**params) if mode == "seed" else child_jobs(**params)
    print(json.dumps(result))


# --- the parent: processes, simulated people, the report ---------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
        if ordered
        else float("nan")
    )


class Redis:
    """A Redis database number of this run's own: claimed, and only its keys deleted at the end."""

    def __enter__(self) -> str:
        import redis

        self.token = secrets.token_hex(8)
        for number in range(1, 15):
            client = redis.Redis.from_url(f"{REDIS_SERVER}/{number}")
            if client.set(CLAIM_KEY, self.token, nx=True, ex=7200):
                self.client = client
                return f"{REDIS_SERVER}/{number}"
        raise SystemExit("bench_scale: no free Redis database")

    def __exit__(self, *exc) -> None:
        for pattern in ("rq:*", "zhiren-bench:*"):
            keys = list(self.client.scan_iter(pattern, count=1000))
            if keys:
                self.client.delete(*keys)
        self.client.delete(CLAIM_KEY)


class Run:
    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.processes = env, logs, []

    def zhiren(self, *args: str, name: str) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "zhiren.cli", *args],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def child(self, mode: str, **params) -> dict:
        answer = subprocess.run(
            [sys.executable, __file__, "--child", mode, json.dumps(params)],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=7200,
        )
        if answer.returncode != 0:
            raise SystemExit(f"bench_scale: {mode} failed\n{answer.stderr[-3000:]}")
        return json.loads(answer.stdout.strip().splitlines()[-1])

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def page(self, name: str, seconds: float) -> None:
        with self.lock:
            self.pages[name].append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def person(bases: list[str], login: dict, stop_at: float, rec: Recorder, seed: int) -> None:
    """Log in on one web process, then alternate between both for every page."""
    import requests

    rng = random.Random(seed)
    session = requests.Session()
    turn = seed % len(bases)
    try:
        session.get(f"{bases[turn]}/accounts/login/", timeout=60)
        answer = session.post(
            f"{bases[turn]}/accounts/login/",
            allow_redirects=False,
            timeout=120,
            data={
                "username": login["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
            },
        )
        if answer.status_code != 302:
            rec.error(f"login {login['username']}: {answer.status_code}")
            return
    except requests.RequestException as exc:
        rec.error(f"login: {exc.__class__.__name__}")
        return
    pages = list(login["pages"].items())
    while time.monotonic() < stop_at:
        turn += 1
        name, path = rng.choice(pages)
        started = time.perf_counter()
        try:
            response = session.get(
                bases[turn % len(bases)] + path, allow_redirects=False, timeout=120
            )
            if response.status_code != 200:  # a redirect to the login page: the session was lost
                rec.error(f"{name}: {response.status_code}")
            else:
                rec.page(name, time.perf_counter() - started)
        except requests.RequestException as exc:
            rec.error(f"{name}: {exc.__class__.__name__}")
        time.sleep(rng.uniform(0.5, 1.5))


def wait_for(base: str) -> None:
    import requests

    for _ in range(600):
        try:
            if requests.get(f"{base}/healthz", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"bench_scale: {base} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--roster-agents", type=int, default=40)
    parser.add_argument("--full", action="store_true", help="issue 24's size: " + json.dumps(FULL))
    options = parser.parse_args()
    if options.full:
        for key, value in FULL.items():
            setattr(options, key, value)
    try:
        import redis  # noqa: F401
        import requests  # noqa: F401
    except ImportError as exc:
        raise SystemExit(
            f"bench_scale: {exc.name} missing (pip install -e '.[dev,redis]')"
        ) from exc

    with scratch_postgres("zhiren_scale") as url, Redis() as redis_url:
        if url is None:
            print("bench_scale: needs PostgreSQL (BENCH_PG_URL)")
            return
        var = Path(tempfile.mkdtemp(prefix="bench-scale-"))
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="zhiren.settings",
            DATABASE_URL=url,
            ZHIREN_VAR_DIR=str(var),
            TASK_BACKEND="rq",
            REDIS_URL=redis_url,
            CACHE_URL=redis_url,
            CACHE_KEY_PREFIX="zhiren-bench",
            SECRET_KEY="bench-" + "s" * 50,
            SECURE_COOKIES="0",
            DEBUG="0",
            LOG_LEVEL="ERROR",
            PASSWORD_PBKDF2_ITERATIONS="1000",  # noqa: S106 - logins are bench_load.py's subject, not this one's
            IMPORT_BACKGROUND_ROWS="100",
            WELLBEING_NIGHTLY_AT="",
            DIGESTS_AT="",
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
            ),
        )
        run = Run(env, var)
        try:
            began = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "zhiren.cli", "migrate", "-v0"],
                env=env,
                cwd=ROOT,
                check=True,
            )
            seeded = run.child(
                "seed",
                agents=options.agents,
                sites=options.sites,
                roster_agents=options.roster_agents,
            )
            print(
                f"set up in {time.perf_counter() - began:.0f} s: {options.agents} agents in {options.sites} "
                f"sites, a roster site of {options.roster_agents}, {len(seeded['logins'])} logins"
            )
            workers = [run.zhiren("worker", "--no-periodic", name=f"worker{n}") for n in range(2)]
            idle = run.child("jobs", tag="I", rows=options.import_rows, team_codes=seeded["teams"])
            if "error" in idle:
                raise SystemExit(f"bench_scale: {idle['error']}")
            ports = [free_port(), free_port()]
            for n, port in enumerate(ports):
                run.zhiren("serve", "--port", str(port), "--threads", "8", name=f"web{n}")
                wait_for(f"http://127.0.0.1:{port}")
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            rec = Recorder()
            pools: dict[str, list[dict]] = defaultdict(list)
            for login in seeded["logins"]:
                pools[login["role"]].append(login)
            mix = ["lead", "agent", "manager", "lead", "agent"]  # 2 : 1 : 2
            chosen = [
                pools[mix[i % len(mix)]][(i // len(mix)) % len(pools[mix[i % len(mix)]])]
                for i in range(options.users)
            ]
            ramp = min(10.0, options.seconds / 4)
            stop_at = time.monotonic() + ramp + options.seconds
            people = [
                threading.Thread(target=person, args=(bases, login, stop_at, rec, i), daemon=True)
                for i, login in enumerate(chosen)
            ]
            for thread in people:
                thread.start()
                time.sleep(ramp / max(1, len(people)))
            loaded_holder: dict = {}
            jobs = threading.Thread(
                target=lambda: loaded_holder.update(
                    run.child("jobs", tag="L", rows=options.import_rows, team_codes=seeded["teams"])
                )
            )
            jobs.start()
            for thread in people:
                thread.join(timeout=ramp + options.seconds + 300)
            jobs.join()
            report(options, rec, idle, loaded_holder, ramp, workers)
        finally:
            run.stop()


def report(options, rec: Recorder, idle: dict, loaded: dict, ramp: float, workers) -> None:
    ms = lambda s: f"{s * 1000:6.0f} ms"  # noqa: E731
    print(
        f"{options.users} users over two web processes for {options.seconds:.0f} s (ramp {ramp:.0f} s), "
        f"two RQ workers; {load_average()}"
    )
    every = []
    for name, times in sorted(rec.pages.items()):
        every += times
        print(
            f"  {name:15s} n={len(times):5d}  p50 {ms(statistics.median(times))}  p95 {ms(percentile(times, 0.95))}"
        )
    if every:
        print(
            f"  {'all pages':15s} n={len(every):5d}  p50 {ms(statistics.median(every))}  "
            f"p95 {ms(percentile(every, 0.95))}  throughput {len(every) / (options.seconds + ramp):.1f} pages/s"
        )
    print(
        f"errors: {len(rec.errors)}" + (f" (first: {rec.errors[:5]})" if rec.errors else ""),
        "·",
        goal("0 errors", not rec.errors),
    )
    for job, key in (("import", "import_s"), ("roster", "roster_s")):
        if loaded.get(key) and idle.get(key):
            print(
                f"{job:7s} idle {idle[key]:6.1f} s ({idle[job]})  under load {loaded[key]:6.1f} s "
                f"({loaded[job]})  slowdown {loaded[key] / idle[key]:.2f}×"
            )
        else:
            print(f"{job}: idle {idle}, under load {loaded}")
    print(
        f"  import rows {options.import_rows:,} ({idle.get('rows')} created idle); roster engine "
        f"{idle.get('engine_s')} s idle, {loaded.get('engine_s')} s under load"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
