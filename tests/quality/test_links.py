"""QA scores reach the floor: coaching's ability map ("质检分"), appraisals, feedback drafts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from zhiren.core.registries import ability_inputs
from zhiren.quality import services
from zhiren.quality.providers import qa_inputs
from zhiren.quality.views import coaching_offers

from .helpers import evaluation

pytestmark = pytest.mark.django_db


def test_qa_provider_is_registered_and_gives_the_released_average(world):
    assert qa_inputs in ability_inputs.values()
    today = timezone.localdate()
    first = evaluation(world, ext="E-1")
    first.day = today
    first.save()
    second = evaluation(world, ext="E-2", released=False)
    second.day = today
    second.save()  # not released: left out
    found = qa_inputs([world.agent, world.peer], today)
    assert set(found) == {world.agent.pk}
    (item,) = found[world.agent.pk]
    assert (item.source, item.score) == ("qa", 90.0)
    assert "(!)" in item.detail  # one sample: not reliable yet


def test_coaching_map_reads_the_qa_input(world):
    from zhiren.coaching.providers import external_inputs

    item = evaluation(world)
    item.day = timezone.localdate()
    item.save()
    merged = external_inputs([world.agent], timezone.localdate())
    assert any(i.source == "qa" and i.score == 90.0 for i in merged[world.agent.pk])


def test_release_and_changes_fill_the_appraisal_qa_component(world, django_capture_on_commit_callbacks):
    from zhiren.performance.models import Appraisal, AppraisalCycle, AppraisalTemplate

    template = AppraisalTemplate.objects.create(name="t")
    item = evaluation(world, released=False)
    cycle = AppraisalCycle.objects.create(name="Q1", template=template, start=item.day - dt.timedelta(days=5),
                                          end=item.day + dt.timedelta(days=5))
    appraisal = Appraisal.objects.create(cycle=cycle, agent=world.agent, team=world.team_a1)
    with django_capture_on_commit_callbacks(execute=True):
        services.release(item, user=world.user("qa"))
    appraisal.refresh_from_db()
    assert appraisal.inputs == {"qa": 90.0}
    with django_capture_on_commit_callbacks(execute=True):
        services.change_answers(item, {"accuracy": 50}, user=world.user("qa"), reason="更正")
    appraisal.refresh_from_db()
    assert appraisal.inputs == {"qa": 100.0}


def test_feedback_drafts_offered_on_low_critical_and_top_scores(world, client_for):
    item = evaluation(world)
    assert coaching_offers(item) == {}  # 90: neither
    item.score = Decimal("60")
    assert "kind=bid" in coaching_offers(item)["bid"]
    item.score, item.critical_failed = Decimal("92"), "total"
    item.answers = {**item.answers, "verify": {"answer": "no"}}
    offer = coaching_offers(item)["bid"]
    page = client_for(world.user("lead")).get(offer)
    form = page.context["form"]
    assert form.initial["kind"] == "bid" and form.initial["interaction_ref"] == item.interaction.external_id
    assert "身份核实" in form.initial["behavior"] and "92" in form.initial["behavior"]
    item.score, item.critical_failed = Decimal("96"), ""
    offer = coaching_offers(item)["bia"]
    assert offer.startswith(f"/coaching/agents/{world.agent.pk}/feedback/new/") and "kind=bia" in offer


def test_performance_ranking_and_agent_page_show_the_qa_score(world, client_for):
    from zhiren.core.registries import agent_scores

    from .helpers import DAY

    assert "qa" in [e.name for e in agent_scores.entries()]
    evaluation(world)
    evaluation(world, released=False)  # not released: not counted
    query = f"?from={DAY}&to={DAY}"
    team_page = client_for(world.user("lead")).get(f"/performance/teams/{world.team_a1.pk}/{query}")
    lines = {line.agent.pk: line.extra for line in team_page.context["lines"]}
    (score,) = lines[world.agent.pk]
    assert (score.value, score.count, score.reliable) == (90.0, 1, False)
    assert lines[world.peer.pk] == [None]
    assert "too few samples" in team_page.content.decode()
    own = client_for(world.user("agent")).get(f"/performance/me/{query}")
    ((label, mine),) = own.context["extra_scores"]
    assert str(label) == "QA score" and mine.value == 90.0
