"""The differencing-attack suite through the product: the results page, its filters, the
trend across pulse waves, the CSV export and the API. Each attack is tried as a viewer would
try it, and each test asserts that what was shown lets no answer of fewer than the minimum
people be worked out (``exposed_group`` over everything this viewer saw is None)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from zhiren.engagement import selectors
from zhiren.engagement.anonymity import Reason, exposed_group
from zhiren.engagement.models import QueryLog

from .helpers import answer, crowd, launch, survey, wave_with_answers


def everything_seen(user, wave) -> list[frozenset]:
    """The score cells this viewer was shown, one key per answer.

    The log keeps, per cell, how many answers each atom (team, tenure band, channel) held;
    answers are only added to an atom, so the cell held its first ``n``: expanding them to
    ``atom#0 … atom#n-1`` gives the real sets up to relabelling. The check below then runs
    the unweighted ``exposed_group`` on single answers, independently of the page's
    segments and weights.
    """
    return [
        frozenset(
            f"{atom}#{i}" for atom, n in logged.items() if atom.startswith("r|") for i in range(n)
        )
        for logged in QueryLog.objects.filter(viewer=user, wave=wave).values_list(
            "members", flat=True
        )
    ]


def assert_nothing_recoverable(user, wave):
    seen = [s for s in everything_seen(user, wave) if s]
    assert seen  # the viewer was shown something, so the check is not vacuous
    assert exposed_group(seen, wave.min_scores) is None


def row(data, key):
    return next(r for r in data.rows if r.key == key)


def test_siblings_remainder_and_parent_minus_children(world, client_for):
    """Site A = team A1 (8) + team A2 (3): the site and A1 together would give A2 away."""
    wave, _ = wave_with_answers(world, {world.team_a1: 8, world.team_a2: 3})
    manager = world.user("manager")
    data = selectors.results(wave, manager)
    assert row(data, ("site", world.site_a.pk)).shown
    assert row(data, ("team", world.team_a2.pk)).verdict.reason == Reason.BELOW_MINIMUM
    assert (
        row(data, ("team", world.team_a1.pk)).verdict.reason == Reason.REMAINDER
    )  # the next-smallest
    assert_nothing_recoverable(manager, wave)
    # the lead sees the site and their own team: site − A1 = A2, so A1 is hidden, with why
    page = client_for(world.user("lead")).get(reverse("engagement:results", args=[wave.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="suppressed"' in text
    assert "work out the answers of fewer than 5 people" in text
    assert_nothing_recoverable(world.user("lead"), wave)


def test_overall_minus_a_filter_is_refused_with_a_message(world, client_for):
    """Team A1: 9 answers, 6 from people hired in the last six months (9 − 6 = 3)."""
    wave = launch(survey(world.site_a))
    new = crowd(world.team_a1, 6, hired=dt.date.today() - dt.timedelta(days=60))
    old = crowd(world.team_a1, 3)
    wave = launch(wave.survey)  # relaunch so the new crowd is invited
    for user in new + old:
        answer(wave, user)
    crowd_a2 = crowd(world.team_a2, 7)
    wave2 = launch(wave.survey)
    for user in new + old + crowd_a2:
        answer(wave2, user)
    client = client_for(world.user("lead"))
    page = client.get(
        reverse("engagement:results", args=[wave2.pk]), {"by": "tenure_band", "value": "0-6"}
    )
    text = page.content.decode()
    assert 'data-testid="filter-refused"' in text and "the group minus the filter" in text
    assert_nothing_recoverable(world.user("lead"), wave2)


def test_repeated_queries_after_one_more_answer(world, client_for):
    wave, people = wave_with_answers(world, {world.team_a1: 6, world.team_a2: 8})
    lead = world.user("lead")
    first = selectors.results(wave, lead)
    assert row(first, ("team", world.team_a1.pk)).shown
    answer(wave, world.user("agent"))  # the seventh on A1 answers; the lead looks again
    again = selectors.results(wave, lead)
    assert row(again, ("team", world.team_a1.pk)).verdict.reason == Reason.RECENT_QUERIES
    assert not row(again, ("site", world.site_a.pk)).shown
    assert_nothing_recoverable(lead, wave)
    fresh = selectors.results(wave, world.user("manager"))  # a viewer who never looked sees it
    assert row(fresh, ("team", world.team_a1.pk)).shown


def test_consecutive_pulse_waves_with_one_joiner(world):
    wave, people = wave_with_answers(world, {world.team_a1: 6, world.team_a2: 6})
    nxt = launch(wave.survey)
    for users in people.values():
        for user in users:
            answer(nxt, user)
    answer(nxt, world.user("agent"))  # joined this week (or skipped last week)
    data = selectors.results(nxt, world.user("hr"))
    assert row(data, ("team", world.team_a1.pk)).verdict.reason == Reason.CONSECUTIVE_WAVES
    assert row(data, ("site", world.site_a.pk)).verdict.reason == Reason.CONSECUTIVE_WAVES
    assert row(data, ("team", world.team_a2.pk)).shown  # same six people as last week
    trend = {s["label"]: s["points"] for s in selectors.trend(nxt.survey, world.user("hr"))}
    assert trend[world.team_a1.name][-1]["value"] is None
    assert trend[world.team_a1.name][-1]["reason"] == Reason.CONSECUTIVE_WAVES


def test_one_leaver_between_waves(world):
    wave, people = wave_with_answers(world, {world.team_a1: 7, world.team_a2: 6})
    nxt = launch(wave.survey)
    for users in people.values():
        for user in users[:-1] if users is people[world.team_a1] else users:
            answer(nxt, user)
    data = selectors.results(nxt, world.user("hr"))
    assert row(data, ("team", world.team_a1.pk)).verdict.reason == Reason.CONSECUTIVE_WAVES


def test_the_export_shows_what_the_page_shows_and_no_more(world, client_for):
    wave, _ = wave_with_answers(world, {world.team_a1: 8, world.team_a2: 3})
    client = client_for(world.user("manager"))
    body = client.get(reverse("engagement:export", args=[wave.pk])).content.decode("utf-8-sig")
    lines = {line.split(",")[0]: line for line in body.strip().splitlines()[1:]}
    assert lines[world.site_a.name].split(",")[2] == "11"
    for name in (world.team_a1.name, world.team_a2.name):
        assert lines[name].split(",")[2] == ""  # no count, no score: the reason instead
    assert_nothing_recoverable(world.user("manager"), wave)


def test_the_api_returns_only_guarded_cells(world, client_for):
    wave, _ = wave_with_answers(world, {world.team_a1: 8, world.team_a2: 3})
    client = client_for(world.user("manager"))
    data = client.get(reverse("api:engagement-wave-results", args=[wave.pk])).json()
    cells = {c["group"]: c for c in data["cells"]}
    assert cells[world.site_a.name]["shown"] and cells[world.site_a.name]["answers"] == 11
    for name in (world.team_a1.name, world.team_a2.name):
        assert (
            not cells[name]["shown"]
            and "answers" not in cells[name]
            and "factors" not in cells[name]
        )
    assert cells[world.team_a2.name]["reason"] == "below_minimum"
    api_root = client.get(reverse("api:api-root")).json()
    assert not any("response" in key or "comment" in key for key in api_root)
    assert_nothing_recoverable(world.user("manager"), wave)


def test_comments_need_their_own_minimum_and_are_scrubbed(world):
    wave = launch(survey(world.site_a, kind="engagement"))
    users = crowd(world.team_a1, 10)
    wave = launch(wave.survey)
    for n, user in enumerate(users):
        answer(
            wave,
            user,
            comment=f"意见{n}，找{world.agent.name}或打13812345678" if n == 0 else f"意见{n}",
        )
    data = selectors.results(wave, world.user("hr"))
    team = row(data, ("team", world.team_a1.pk))
    assert len(team.comments) == 10
    assert not any(world.agent.name in c or "13812345678" in c for c in team.comments)
    wave9 = launch(wave.survey)
    for user in users[:9]:
        answer(wave9, user, comment="还行")
    team9 = row(selectors.results(wave9, world.user("hr")), ("team", world.team_a1.pk))
    assert team9.shown and team9.comments == [] and team9.comments_reason == Reason.BELOW_MINIMUM


def test_the_trend_line_explains_a_hidden_point(world, client_for):
    wave, people = wave_with_answers(world, {world.team_a1: 6, world.team_a2: 6})
    nxt = launch(wave.survey)
    for users in people.values():
        for user in users:
            answer(nxt, user)
    answer(nxt, world.user("agent"))  # one joiner on A1
    page = client_for(world.user("manager")).get(
        reverse("engagement:survey", args=[wave.survey_id])
    )
    text = page.content.decode()
    assert 'data-testid="trend-hidden"' in text and "joined or left since the last wave" in text
