"""Sampling: reproducible with a seed, proportional to the strata, targeted contacts first."""

from collections import Counter

from zhiren.quality.sampling import (
    LOW_CSAT,
    NEW_HIRE,
    RANDOM,
    REPEAT,
    RULE_HIT,
    Candidate,
    allocate,
    draw,
    reasons_of,
    reliable,
)


def pool():
    items = []
    for agent in (1, 2):
        for n in range(60):
            stratum = "voice/售后" if n < 40 else "chat/售前"  # 2 : 1
            reasons = frozenset({LOW_CSAT}) if n in (5, 45) else frozenset()
            if n == 7:
                reasons = frozenset({LOW_CSAT, REPEAT})
            items.append(Candidate(agent * 1000 + n, agent, stratum, reasons))
    return items


def test_same_seed_same_draw_other_seed_other_draw():
    first = draw(pool(), 6, seed=42)
    assert first == draw(list(reversed(pool())), 6, seed=42)  # input order does not matter
    assert [c.id for c, _r in first] != [c.id for c, _r in draw(pool(), 6, seed=43)]


def test_stratified_random_honours_the_strata():
    drawn = draw(pool(), 6, seed=7)
    per_agent = Counter((c.agent_id, c.stratum) for c, _r in drawn)
    assert per_agent == {(1, "voice/售后"): 4, (1, "chat/售前"): 2, (2, "voice/售后"): 4, (2, "chat/售前"): 2}
    assert {r for _c, r in drawn} == {RANDOM}


def test_one_agents_draw_does_not_move_when_anothers_contacts_change():
    before = [c.id for c, _r in draw(pool(), 6, seed=7) if c.agent_id == 1]
    fewer = [c for c in pool() if not (c.agent_id == 2 and c.id % 2)]
    assert [c.id for c, _r in draw(fewer, 6, seed=7) if c.agent_id == 1] == before


def test_targeted_first_most_reasons_first_up_to_the_share():
    drawn = [(c, r) for c, r in draw(pool(), 6, seed=7, targets=[LOW_CSAT, REPEAT], targeted_share=0.5)
             if c.agent_id == 1]
    targeted = [(c.id, r) for c, r in drawn if r != RANDOM]
    assert targeted[0] == (1007, LOW_CSAT)  # two reasons: first
    assert sorted(i for i, _r in targeted) == [1005, 1007, 1045]
    assert len(drawn) == 6


def test_targets_not_in_the_plan_are_ignored():
    drawn = draw(pool(), 4, seed=7, targets=[NEW_HIRE])
    assert {r for _c, r in drawn} == {RANDOM}


def test_allocate_largest_remainder():
    assert allocate({"a": 5, "b": 3, "c": 2}, 4) == {"a": 2, "b": 1, "c": 1}
    assert allocate({"a": 1, "b": 10}, 5) == {"a": 0, "b": 5}
    assert allocate({"a": 2}, 5) == {"a": 2}


def test_reasons_and_reliability():
    got = reasons_of(csat=2, handle_seconds=900, long_aht_seconds=600, transferred=True, repeat=False,
                     days_since_hire=30, rule_hit=True)
    assert got == {LOW_CSAT, "long_aht", "transfer", NEW_HIRE, RULE_HIT}
    assert reasons_of(csat=3, handle_seconds=100, long_aht_seconds=600, transferred=False, repeat=False,
                      days_since_hire=90, rule_hit=False) == frozenset()
    assert not reliable(3) and reliable(4)
