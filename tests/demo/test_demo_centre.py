from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from zhiren.demo.org_data import DEMO_PASSWORD
from zhiren.demo.services import load_demo_centre
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role, Site, Team

DEMO_LOGINS = ("admin", "manager", "lead", "qa", "trainer", "hr", "agent")


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    return load_demo_centre()


def test_demo_centre_shape_logins_and_home_pages(demo, client):
    """One load of the whole demo (every module's data) checked from several sides."""
    assert Site.objects.count() == 2
    assert Team.objects.count() >= 6
    assert Agent.objects.count() >= 80
    names = list(Agent.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    assert all(2 <= len(n) <= 3 for n in names)
    assert not Agent.objects.filter(birthday__isnull=True).exists()
    assert not Agent.objects.filter(hire_date__isnull=True).exists()
    team_names = set(Team.objects.values_list("name", flat=True))
    assert any("售前" in n for n in team_names) and any("投诉" in n for n in team_names)
    assert any("质检" in n for n in team_names) and any("售后" in n for n in team_names)

    users = demo.users
    for login in DEMO_LOGINS:
        assert users[login].check_password(DEMO_PASSWORD)
    lead_teams = load_access(users["lead"]).teams(Role.TEAM_LEAD).team_ids
    assert users["agent"].agent.team_id in lead_teams

    for login in DEMO_LOGINS:
        client.logout()
        assert client.get(reverse("accounts:login")).status_code == 200
        response = client.post(
            reverse("accounts:login"), {"username": login, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, login
        home = client.get(reverse("core:home"))
        assert home.status_code == 200, login
        expected = {
            "lead": "core/home_lead.html",
            "agent": "core/home_agent.html",
        }.get(login, "core/home_overview.html")
        assert expected in [t.name for t in home.templates], login


def test_demo_is_deterministic_and_rerunnable(demo, settings):
    first = list(Agent.objects.order_by("employee_no").values_list("employee_no", "name", "team__code"))
    load_demo_centre()
    again = list(Agent.objects.order_by("employee_no").values_list("employee_no", "name", "team__code"))
    assert again == first
    assert Agent.objects.filter(user__username="agent").count() == 1


def test_demo_refuses_outside_demo_mode(db, settings):
    settings.DEBUG = settings.DEMO = False
    with pytest.raises(ImproperlyConfigured):
        load_demo_centre()
    assert not Agent.objects.exists()


def test_demo_command_refuses_outside_demo_mode(tmp_path):
    env = {**os.environ, "DEBUG": "0", "ZHIREN_VAR_DIR": str(tmp_path), "SECURE_SSL_REDIRECT": "0"}
    env.pop("ZHIREN_DEMO", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "zhiren.cli", "demo", "--no-serve"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "ZHIREN_DEMO=1" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return status != "Z"


def test_demo_command_loads_serves_and_stops_with_its_worker_on_sigterm(tmp_path):
    """``zhiren demo`` loads, serves with a worker beside it, and SIGTERM stops both."""
    env = {**os.environ, "ZHIREN_DEMO": "1", "DEBUG": "0", "ZHIREN_VAR_DIR": str(tmp_path),
           "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "zhiren.cli", "demo", "--addrport", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output, worker_pid = [], None
    try:
        deadline = time.monotonic() + 600
        while worker_pid is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            match = re.search(r"Task worker started \(pid (\d+)\)", line)
            worker_pid = int(match.group(1)) if match else None
        assert worker_pid is not None, "".join(output)
        for login in DEMO_LOGINS:
            assert any(line.startswith(f"  {login}") for line in output), login
        assert (tmp_path / "zhiren.sqlite3").exists()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the demo did not answer on its port")
        # DEBUG is off in demo mode: a missing page is the product's own 404, not Django's URL list,
        # and the static files are still served.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
        body = missing.value.read().decode()
        assert missing.value.code == 404 and 'data-testid="not-found"' in body and "URLconf" not in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/zhiren/behaviours.js", timeout=5) as r:
            assert r.status == 200
        assert _alive(worker_pid)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    deadline = time.monotonic() + 15
    while _alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    orphaned = _alive(worker_pid)
    if orphaned:
        os.kill(worker_pid, signal.SIGKILL)
    assert not orphaned, "the task worker outlived the demo"
