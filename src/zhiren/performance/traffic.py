"""Synthetic contact traffic from a small queueing simulation (demo data, benchmarks, tests).

Pure Python, deterministic for a seed. Per queue and day: Poisson arrivals
shaped by weekday and intraday patterns (and a promotion spike), served first
come first served by the agents on shift (chat agents carry several chats at
once), customers abandon after an exponential patience; each agent has their
own handle-time and satisfaction profile.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

WEEKDAY_FACTOR = (1.18, 1.08, 1.0, 0.98, 1.05, 0.72, 0.62)  # Monday first
# Share of the day's contacts per hour, 08:00–21:59.
HOURLY = (3, 6, 9, 10, 8, 5, 7, 9, 9, 8, 7, 6, 7, 6)
SHIFTS = ((8 * 3600, 12 * 3600 + 1800), (12 * 3600, 16 * 3600 + 1800), (16 * 3600 + 1800, 22 * 3600))
CHANNEL_PROFILE = {
    # contacts per agent on shift and day, mean handle seconds, patience seconds, concurrency
    "voice": (26, 330, 75, 1),
    "chat": (34, 540, 150, 3),
    "email": (20, 420, None, 1),
    "ticket": (20, 480, None, 1),
}


@dataclass(frozen=True)
class AgentProfile:
    agent_id: int
    employee_no: str
    aht_factor: float  # × the channel's mean handle time
    satisfaction: float  # probability of a 4–5 rating
    resolution: float  # probability the contact is resolved
    transfer: float  # probability of a transfer


@dataclass(frozen=True)
class QueueSpec:
    name: str
    channel: str
    agents: tuple[AgentProfile, ...]
    customers: int  # size of the customer pool (repeat contacts come from it)
    key: str = ""  # prefix of the contact ids (defaults to the name)


def agent_profile(rng: random.Random, agent_id: int, employee_no: str) -> AgentProfile:
    return AgentProfile(
        agent_id=agent_id,
        employee_no=employee_no,
        aht_factor=math.exp(rng.gauss(0, 0.18)),
        satisfaction=min(0.97, max(0.6, rng.gauss(0.86, 0.07))),
        resolution=min(0.98, max(0.65, rng.gauss(0.87, 0.06))),
        transfer=min(0.25, max(0.01, rng.gauss(0.07, 0.03))),
    )


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    threshold, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


def simulate_day(
    rng: random.Random, queue: QueueSpec, day: date, tz: tzinfo, load: float = 1.0, spike: float = 1.0
) -> Iterator[dict]:
    """Contacts of one queue on one day, as dicts of Interaction field values (``agent_id`` set)."""
    per_agent, mean_handle, patience, concurrency = CHANNEL_PROFILE[queue.channel]
    on_shift = [a for i, a in enumerate(queue.agents) if (i + day.toordinal()) % 7 not in (0, 1) or len(queue.agents) < 4]
    if not on_shift:
        return
    # Offered load follows the staffing, shaped by weekday and promotions; the spike overloads the queue.
    daily = len(on_shift) * per_agent * load * WEEKDAY_FACTOR[day.weekday()] * spike * rng.uniform(0.92, 1.08)
    total_share = sum(HOURLY)
    arrivals: list[float] = []
    for hour, share in enumerate(HOURLY):
        n = _poisson(rng, daily * share / total_share)
        arrivals.extend((8 + hour) * 3600 + rng.random() * 3600 for _ in range(n))
    arrivals.sort()
    # Each agent spends about 4.5 hours a day on the queue (the rest: training, coaching, back-office),
    # in one of three windows. A server slot is (free at, agent index, slot).
    servers = []
    for index, _agent in enumerate(on_shift):
        begins = SHIFTS[index % len(SHIFTS)][0]
        for slot in range(concurrency):
            servers.append((begins, index, slot))
    heapq.heapify(servers)
    midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
    serial = 0
    for t in arrivals:
        serial += 1
        offered = midnight + timedelta(seconds=t)
        customer = f"{queue.key or queue.name}-{rng.randrange(queue.customers):06d}" if rng.random() < 0.9 else ""
        free, index, slot = heapq.heappop(servers)
        while free >= SHIFTS[index % len(SHIFTS)][1] and servers:  # that agent's window is over
            free, index, slot = heapq.heappop(servers)
        if queue.channel in ("email", "ticket"):
            wait = rng.uniform(600, 27 * 3600)
        else:
            wait = max(0.0, free - t)
        patience_here = None if patience is None else rng.expovariate(1 / patience)
        base = {
            "external_id": f"{queue.key or queue.name}-{day:%Y%m%d}-{serial:05d}",
            "channel": queue.channel,
            "queue": queue.name,
            "customer_id": customer,
            "offered_at": offered,
        }
        if patience_here is not None and wait > patience_here:
            heapq.heappush(servers, (free, index, slot))
            yield {**base, "agent_id": None, "abandoned": True, "wait_seconds": int(patience_here),
                   "ended_at": offered + timedelta(seconds=int(patience_here))}
            continue
        agent = on_shift[index]
        handle = mean_handle * agent.aht_factor * math.exp(rng.gauss(0, 0.35))
        talk = int(handle * 0.78)
        hold = int(handle * 0.07) if queue.channel == "voice" else 0
        acw = int(handle - talk - hold)
        answered = offered + timedelta(seconds=int(wait))
        start = t + wait
        if queue.channel not in ("email", "ticket"):
            heapq.heappush(servers, (start + handle, index, slot))
        else:
            heapq.heappush(servers, (free, index, slot))
        rated = rng.random() < 0.32
        satisfied = rng.random() < agent.satisfaction - (0.08 if wait > 60 else 0)
        csat = (5 if rng.random() < 0.6 else 4) if satisfied else rng.choice((1, 2, 3, 3))
        nps = None
        if rated and rng.random() < 0.35:
            nps = rng.choice((9, 10, 10)) if satisfied else rng.choice((3, 5, 6, 7, 8))
        yield {
            **base,
            "agent_id": agent.agent_id,
            "answered_at": answered,
            "ended_at": answered + timedelta(seconds=talk + hold),
            "wait_seconds": int(wait),
            "talk_seconds": talk,
            "hold_seconds": hold,
            "acw_seconds": acw,
            "first_response_seconds": int(wait + rng.uniform(3, 25)) if queue.channel == "chat" else None,
            "abandoned": False,
            "transferred": rng.random() < agent.transfer,
            "resolved": rng.random() < agent.resolution,
            "csat": csat if rated else None,
            "nps": nps,
        }
