from __future__ import annotations

import os
import subprocess
import sys

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


def test_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        load_demo_centre()
    assert not Agent.objects.exists()


def test_demo_command_refuses_without_debug(tmp_path):
    env = {**os.environ, "DEBUG": "0", "ZHIREN_VAR_DIR": str(tmp_path), "SECURE_SSL_REDIRECT": "0"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "zhiren.cli", "demo", "--no-serve"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_demo_command_loads_with_debug(tmp_path):
    env = {**os.environ, "DEBUG": "1", "ZHIREN_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "zhiren.cli", "demo", "--no-serve"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for login in DEMO_LOGINS:
        assert f"  {login}" in result.stdout
    assert (tmp_path / "zhiren.sqlite3").exists()
