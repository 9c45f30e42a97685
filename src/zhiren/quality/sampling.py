"""Which contacts are scored: plain Python on plain candidates, reproducible with a seed.

``draw(candidates, per_agent, seed, targets, targeted_share)`` returns, for each agent,
at most ``per_agent`` contacts:

1. *Targeted* first, up to ``round(per_agent × targeted_share)``: candidates with a reason
   named in ``targets`` (low CSAT, long AHT, transfer, repeat contact, new hire in the first
   90 days, a transcript rule hit), most reasons first, ties broken by the seeded shuffle.
2. The rest *stratified random*: the agent's remaining contacts are grouped by stratum
   (channel and queue); each stratum gets a share of the places proportional to its size
   (largest remainder, ties to the larger stratum, then by name), drawn at random within it.

The random source is ``random.Random`` seeded with the plan's seed, the agent and the
period, so the same inputs always give the same draw, and one agent's draw does not move
when another agent's contacts change.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LOW_CSAT, LONG_AHT, TRANSFER, REPEAT, NEW_HIRE, RULE_HIT = (
    "low_csat", "long_aht", "transfer", "repeat", "new_hire", "rule_hit",
)
TARGETS = (LOW_CSAT, LONG_AHT, TRANSFER, REPEAT, NEW_HIRE, RULE_HIT)
RANDOM = "random"
NEW_HIRE_DAYS = 90
MIN_RELIABLE = 4  # fewer scored contacts in a period: the agent's score is marked, not ranked


@dataclass(frozen=True)
class Candidate:
    id: int
    agent_id: int
    stratum: str
    reasons: frozenset[str] = field(default_factory=frozenset)


def reasons_of(*, csat: int | None, handle_seconds: int, long_aht_seconds: int, transferred: bool,
               repeat: bool, days_since_hire: int | None, rule_hit: bool) -> frozenset[str]:
    """The targeted reasons one contact meets."""
    found = set()
    if csat is not None and csat <= 2:
        found.add(LOW_CSAT)
    if handle_seconds > long_aht_seconds:
        found.add(LONG_AHT)
    if transferred:
        found.add(TRANSFER)
    if repeat:
        found.add(REPEAT)
    if days_since_hire is not None and 0 <= days_since_hire < NEW_HIRE_DAYS:
        found.add(NEW_HIRE)
    if rule_hit:
        found.add(RULE_HIT)
    return frozenset(found)


def allocate(sizes: dict[str, int], places: int) -> dict[str, int]:
    """Places per stratum, proportional to its size (largest remainder), never above its size."""
    total = sum(sizes.values())
    places = min(places, total)
    if places <= 0:
        return dict.fromkeys(sizes, 0)
    exact = {name: places * size / total for name, size in sizes.items()}
    given = {name: int(value) for name, value in exact.items()}
    left = places - sum(given.values())
    order = sorted(sizes, key=lambda name: (-(exact[name] - given[name]), -sizes[name], name))
    for name in order[:left]:
        given[name] += 1
    return given


def draw(candidates: Iterable[Candidate], per_agent: int, seed: int | str, *, targets: Sequence[str] = (),
         targeted_share: float = 0.5) -> list[tuple[Candidate, str]]:
    """The drawn contacts with why each was drawn (a target's name or ``"random"``)."""
    by_agent: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_agent[candidate.agent_id].append(candidate)
    wanted = set(targets)
    drawn: list[tuple[Candidate, str]] = []
    for agent_id in sorted(by_agent):
        rng = random.Random(f"{seed}:{agent_id}")
        pool = sorted(by_agent[agent_id], key=lambda c: c.id)
        rng.shuffle(pool)
        quota = min(per_agent, round(per_agent * targeted_share)) if wanted else 0
        flagged = [c for c in pool if c.reasons & wanted]
        flagged.sort(key=lambda c: -len(c.reasons & wanted))  # stable: the shuffle breaks ties
        chosen = flagged[:quota]
        for candidate in chosen:
            reason = next(t for t in targets if t in candidate.reasons)
            drawn.append((candidate, reason))
        taken = {c.id for c in chosen}
        rest = [c for c in pool if c.id not in taken]
        strata: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in rest:
            strata[candidate.stratum].append(candidate)
        places = allocate({name: len(items) for name, items in strata.items()}, per_agent - len(chosen))
        for name in sorted(strata):
            drawn.extend((candidate, RANDOM) for candidate in strata[name][: places[name]])
    return drawn


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the week (Monday–Sunday) or month holding ``day``."""
    if period == "month":
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    else:
        start = day - dt.timedelta(days=day.weekday())
        end = start + dt.timedelta(days=6)
    return start, end


def reliable(scored: int) -> bool:
    return scored >= MIN_RELIABLE
