"""Attrition risk from the database: the signals read, the scores with reasons, who sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory
from zhiren.audit.models import AuditEvent
from zhiren.engagement.attrition.history import SIGNALS
from zhiren.engagement.models import ModelSource, RiskModel
from zhiren.engagement.risk import services
from zhiren.engagement.risk.signals import build_history, read_signals

from .helpers import answer, crowd, launch, plant_trouble, survey

pytestmark = pytest.mark.django_db


def test_a_drifting_agent_ranks_first_with_reasons_and_a_suggestion(world):
    today = timezone.localdate()
    plant_trouble(world.peer, today)
    stored = services.current_model(today)
    assert stored.source == ModelSource.SYNTHETIC  # the world has no leavers to learn from
    rows = services.score_team(world.team_a1, today, stored)
    assert [r.agent for r in rows][0] == world.peer
    top = rows[0]
    assert top.probability > rows[-1].probability
    assert {"mood_level", "absences", "schedule_changes"} & {r.feature for r in top.reasons}
    assert top.action in (services.TALK, services.SCHEDULE)


def test_survey_answers_cannot_reach_the_score(world):
    """Anonymous and identified answers, however extreme, change no one's score."""
    today = timezone.localdate()
    stored = services.current_model(today)
    before = {r.agent.pk: r.probability for r in services.score_team(world.team_a1, today, stored)}
    users = crowd(world.team_a1, 4) + [world.user("agent")]
    wave = launch(survey(world.site_a))
    for user in users:
        answer(wave, user, score=1, enps=0, comment="我想离职")
    exit_wave = launch(survey(world.site_a, kind="exit", title="离职调查"))
    answer(exit_wave, world.user("agent"), score=1, enps=0)
    after = {r.agent.pk: r.probability for r in services.score_team(world.team_a1, today, stored)}
    # The crowd joined the team, so the second scoring is one matrix of more rows: numpy may
    # sum in another order and move the last bit. A survey reaching the score moves far more.
    assert {pk: after[pk] for pk in before} == pytest.approx(before, rel=1e-12, abs=0)
    assert set(read_signals([world.agent.pk], today - dt.timedelta(days=90), today)) <= set(SIGNALS)


def test_one_query_per_signal_for_a_whole_team(world):
    today = timezone.localdate()
    start = today - dt.timedelta(days=190)
    few = [(world.agent.pk, None, None)]
    many = few + [
        (AgentFactory(team=world.team_a1).pk, dt.date(2025, 1, 1), None) for _ in range(6)
    ]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        build_history(few, start, today)
    with CaptureQueriesContext(connection) as seven:
        build_history(many, start, today)
    assert len(one) == len(seven) <= 14


def test_the_lead_sees_scores_and_every_read_is_recorded(world, client):
    today = timezone.localdate()
    plant_trouble(world.peer, today)
    client.force_login(world.user("lead"))
    page = client.get(reverse("engagement:risk"))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.peer.name in text and "absences in 90 days" in text
    assert "never a decision" in text
    reads = AuditEvent.objects.filter(object_type="engagement.attrition_risk", action="read")
    assert set(reads.values_list("subject_agent_id", flat=True)) == {world.agent.pk, world.peer.pk}
    assert reads.first().actor == world.user("lead")
    # the agent cannot see their peers' (or their own) score; the lead sees no other team
    client.force_login(world.user("agent"))
    assert client.get(reverse("engagement:risk")).status_code == 404
    client.force_login(world.user("lead"))
    assert client.get(reverse("engagement:risk"), {"team": "b1"}).status_code == 404


def test_reads_never_refit_the_background_job_does_monthly(world):
    from zhiren.core.registries import periodic_jobs
    from zhiren.engagement.tasks import refit_attrition_model

    today = timezone.localdate()
    first = services.current_model(today)  # a fresh install: fitted once
    much_later = today + dt.timedelta(days=3 * services.REFIT_DAYS)
    assert services.current_model(much_later) == first  # a read never refits, however old
    assert RiskModel.objects.count() == 1
    # the worker's daily job: nothing to do within the month, a new fit after it
    job = next(e.value for e in periodic_jobs.entries() if e.name == "attrition_refit")
    assert job.every() == dt.timedelta(days=1)
    soon = today + dt.timedelta(days=services.REFIT_DAYS - 1)
    assert refit_attrition_model.enqueue(soon.isoformat()).return_value == {
        "day": soon.isoformat(),
        "refitted": False,
    }
    due = today + dt.timedelta(days=services.REFIT_DAYS)
    result = refit_attrition_model.enqueue(due.isoformat()).return_value
    assert result["refitted"] and result["source"] == ModelSource.SYNTHETIC
    newest = services.current_model(due)
    assert newest != first and newest.trained_on == due and RiskModel.objects.count() == 2
    assert refit_attrition_model.enqueue(due.isoformat()).return_value["refitted"] is False
    job.start()  # what the worker calls: enqueues the task (inline in tests), today's date
    assert RiskModel.objects.count() == 2


def test_the_model_learns_from_the_centres_own_history_once_it_has_enough_leavers(world):
    """45 leavers over two years, each with low moods in the weeks before leaving."""
    from zhiren.org.models import AgentStatus
    from zhiren.privacy.models import Departure
    from zhiren.wellbeing.models import MoodEntry

    today = timezone.localdate()
    hired = today - dt.timedelta(days=900)
    agents = [
        AgentFactory(team=world.team_a1, hire_date=hired) for _ in range(services.MIN_LEAVERS + 25)
    ]
    leavers = agents[: services.MIN_LEAVERS + 5]
    moods, departures = [], []
    for n, agent in enumerate(leavers):
        left = today - dt.timedelta(days=20 + n * 15)
        departures.append(Departure(agent=agent, noticed_on=left))
        moods += [
            MoodEntry(agent=agent, day=left - dt.timedelta(days=d), source="self", score=1)
            for d in range(2, 60, 5)
        ]
    Departure.objects.bulk_create(departures)
    MoodEntry.objects.bulk_create(moods)
    from zhiren.org.models import Agent

    Agent.objects.filter(pk__in=[a.pk for a in leavers]).update(status=AgentStatus.LEFT)
    stored = services.refit_if_due(today)
    assert stored is not None
    assert stored.source == ModelSource.HISTORY and stored.leavers == len(leavers)
    coef = dict(zip(stored.params["features"], stored.params["coef"], strict=True))
    assert coef["mood_level"] < 0  # low mood before leaving was learnt
    assert stored.report["model"]["auc"] > stored.report["baseline"]["auc"]
