"""The results page's running sums: the same numbers as from the answers, and no answer read."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhiren.engagement import selectors, tallies, tally
from zhiren.engagement.items import factors_of
from zhiren.engagement.models import Response, Tally
from zhiren.engagement.reliability import answer_matrix, enps, matrix_scores

from .helpers import wave_with_answers


def test_tally_sums_give_the_scores_and_alpha_of_the_answers():
    rng = random.Random(3)
    items = ["clarity_1", "clarity_2", "clarity_3", "tools_1", "tools_2", "stay_1"]
    sheets = [
        {k: (None if rng.random() < 0.15 else rng.randint(1, 5)) for k in items} for _ in range(40)
    ]
    scores_0_10 = [rng.choice([None, *range(11)]) for _ in sheets]
    factors = factors_of(items)
    shape = tally.Layout.of(items, factors)
    total = tally.empty(shape)
    for sheet, score in zip(sheets, scores_0_10, strict=True):
        total = tally.add(total, tally.of_sheet(shape, sheet, score))
    columns = {f: [items.index(k) for k in keys] for f, keys in factors.items()}
    expected = matrix_scores(answer_matrix(sheets, items), range(len(sheets)), columns)
    got = tally.scores(shape, total)
    assert set(got) == set(expected)
    for factor, numbers in expected.items():
        assert got[factor]["mean"] == pytest.approx(numbers["mean"])
        assert got[factor]["favourable"] == pytest.approx(numbers["favourable"])
        if numbers["alpha"] is None:
            assert got[factor]["alpha"] is None
        else:
            assert got[factor]["alpha"] == pytest.approx(numbers["alpha"])
    assert tally.enps(total) == pytest.approx(enps(scores_0_10))


def test_alpha_from_sums_matches_the_hand_computed_case():
    # items (1,2,3) and (2,3,3): alpha = 6/7 (tests/engagement/test_reliability.py)
    shape = tally.Layout.of(["a", "b"], {"f": ["a", "b"]})
    total = tally.empty(shape)
    for a, b in ((1, 2), (2, 3), (3, 3)):
        total = tally.add(total, tally.of_sheet(shape, {"a": a, "b": b}, None))
    assert tally.scores(shape, total)["f"]["alpha"] == pytest.approx(6 / 7)


def test_each_answer_updates_its_atom_and_the_page_reads_no_answer(world):
    wave, _ = wave_with_answers(world, {world.team_a1: 6, world.team_a2: 5}, score=4)
    rows = Tally.objects.filter(wave=wave)
    assert sum(t.sums[tally.SHEETS] for t in rows) == 11
    with CaptureQueriesContext(connection) as queries:
        data = selectors.results(wave, world.user("hr"))
    reads = [q["sql"] for q in queries.captured_queries if "engagement_response" in q["sql"]]
    assert reads and all("COUNT(" in sql.upper() for sql in reads)  # counted, never read
    site = next(r for r in data.rows if r.kind == "site")
    assert site.shown and site.verdict.count == 11
    assert all(s["mean"] == pytest.approx(4) for s in site.scores.values())


def test_answers_planted_without_the_service_are_tallied_once(world):
    wave, _ = wave_with_answers(world, {world.team_a1: 6})
    Response.objects.bulk_create(
        Response(wave=wave, team=world.team_a1, answers=dict.fromkeys(wave.items, 1), enps=0)
        for _ in range(6)
    )
    atoms = tallies.atoms(wave)  # the counts disagree: rebuilt from the answers
    assert sum(a.sheets for a in atoms) == 12
    data = selectors.results(wave, world.user("hr"))
    team = next(r for r in data.rows if r.key == ("team", world.team_a1.pk))
    assert team.verdict.count == 12
    assert all(s["mean"] == pytest.approx(2.5) for s in team.scores.values())
    assert team.enps == pytest.approx(-50)
    with CaptureQueriesContext(connection) as queries:
        tallies.atoms(wave)
    assert not any(
        "engagement_response" in q["sql"] and "COUNT(" not in q["sql"].upper()
        for q in queries.captured_queries
    )
