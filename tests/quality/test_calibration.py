"""Calibration results on the database, against values computed by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from zhiren.quality.calibration import results
from zhiren.quality.models import CalibrationSession, Evaluation

from .helpers import contact, scorecard

pytestmark = pytest.mark.django_db

DEFINITION = {"sections": [{"key": "s", "criteria": [
    {"key": "greet", "points": 10, "scale": "yes_no"},
    {"key": "tone", "points": 10, "scale": "one_to_five"},
]}]}


def test_calibration_agreement_icc_and_alignment(world):
    version = scorecard(world.site_a, DEFINITION).current()
    bench, other = world.user("qa"), UserFactory(username="qa2")
    session = CalibrationSession.objects.create(site=world.site_a, name="三月校准", version=version, benchmark=bench,
                                                held_on=dt.date(2026, 3, 5))
    contacts = [contact(world.agent) for _ in range(3)]
    # benchmark: greet yes,yes,no; tone 5,3,1 -> totals 100, 75, 0
    # other:     greet yes,no,no;  tone 4,3,1 -> totals 87.5, 25, 0
    plan = {bench: [("yes", 5, "100"), ("yes", 3, "75"), ("no", 1, "0")],
            other: [("yes", 4, "87.5"), ("no", 3, "25"), ("no", 1, "0")]}
    for user, answers in plan.items():
        for interaction, (greet, tone, total) in zip(contacts, answers, strict=True):
            Evaluation.objects.create(interaction=interaction, agent=world.agent, team=world.team_a1, version=version,
                                      inspector=user, calibration=session, kind="calibration", day=interaction.day,
                                      answers={"greet": {"answer": greet}, "tone": {"answer": tone}},
                                      score=Decimal(total), submitted_at=timezone.now())
    found = results(session)
    by_key = {row["key"]: row for row in found["criteria"]}
    assert by_key["greet"]["agreement"] == pytest.approx(2 / 3)
    assert by_key["tone"]["agreement"] == pytest.approx(2 / 3)
    # greet nominal: values 1,1,0 / 1,0,0 -> o11 = 2, o00 = 2, o10 = o01 = 1; n1 = n0 = 3, n = 6
    # Do = 2/6, De = 2 x 3 x 3 / 30 = 0.6 -> alpha = 1 - (1/3)/0.6 = 4/9
    assert by_key["greet"]["alpha"] == pytest.approx(4 / 9)
    assert by_key["tone"]["level"] == "ordinal"
    # alignment of qa2 against the benchmark, per contact (weights 10 and 10):
    # c1: greet 1, tone 1 - 1/4 -> 0.875; c2: greet 0, tone 1 -> 0.5; c3: 1, 1 -> 1; mean 2.375 / 3
    (row,) = found["alignment"]
    assert row["name"] == "qa2" and row["alignment"] == pytest.approx(2.375 / 3)
    # totals (100, 87.5), (75, 25), (0, 0): MSR = 4401.04, MSC = 651.04, MSE = 338.52
    # ICC(2,1) = (4401.04 - 338.52) / (4401.04 + 338.52 + 2 (651.04 - 338.52) / 3) = 0.8211
    assert found["icc"] == pytest.approx(0.8211, abs=1e-4)
    assert found["criteria"][0]["key"] == "greet"  # least agreement first (ties by key)


def test_inspectors_see_their_own_alignment_once_the_session_closes(world, client_for):
    version = scorecard(world.site_a, DEFINITION).current()
    inspector = UserFactory(username="qa3")
    session = CalibrationSession.objects.create(site=world.site_a, name="盲评", version=version,
                                                benchmark=world.user("qa"), held_on=dt.date(2026, 3, 5))
    session.inspectors.add(inspector)
    url = f"/quality/calibration/{session.pk}/"
    assert client_for(inspector).get(url).status_code == 404  # blind while open
    session.closed = True
    session.save()
    assert client_for(inspector).get(url).status_code == 200
    assert client_for(world.user("manager")).get(url).status_code == 200


def test_alignment_history_over_sessions(world):
    from zhiren.quality.calibration import alignment_history

    version = scorecard(world.site_a, DEFINITION).current()
    bench, other = world.user("qa"), UserFactory(username="qa4")
    interaction = contact(world.agent)
    sessions = []
    for n, tone in enumerate((3, 5)):  # first session: tone 3 vs 5 -> 1 - 2/4 on half the weight
        session = CalibrationSession.objects.create(site=world.site_a, name=f"s{n}", version=version,
                                                    benchmark=bench, held_on=dt.date(2026, 2, 1 + n), closed=True)
        for user, answer in ((bench, 5), (other, tone)):
            Evaluation.objects.create(interaction=interaction, agent=world.agent, team=world.team_a1, version=version,
                                      inspector=user, calibration=session, kind="calibration", day=interaction.day,
                                      answers={"greet": {"answer": "yes"}, "tone": {"answer": answer}},
                                      score=Decimal("90"), submitted_at=timezone.now())
        sessions.append(session)
    history = alignment_history(other, sessions)
    assert [round(h["alignment"], 3) for h in history] == [0.75, 1.0]
    assert alignment_history(bench, sessions) == []  # the benchmark is not graded against itself
