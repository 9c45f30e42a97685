"""Building engagement data for the tests (also used by the permission cases)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from tests.factories import AgentFactory, agent_user

_ids = itertools.count(1)


def crowd(team, count: int, hired: dt.date | None = None) -> list:
    """``count`` more agents on ``team``, each with a login."""
    users = []
    for _ in range(count):
        n = next(_ids)
        agent = AgentFactory(
            team=team, employee_no=f"E{n:05d}", hire_date=hired or dt.date(2024, 1, 1)
        )
        users.append(agent_user(agent, username=f"crowd{n}"))
    return users


def survey(site, kind: str = "pulse", **kwargs):
    from zhiren.engagement import services

    return services.create_survey(
        site, kind, kwargs.pop("title", "脉搏调查"), user=_nobody(), **kwargs
    )


def _nobody():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def launch(item, opens_on: dt.date | None = None, days: int = 6):
    from zhiren.engagement import services

    day = opens_on or timezone.localdate()
    return services.launch(
        item, user=_nobody(), opens_on=day, closes_on=day + dt.timedelta(days=days)
    )


def answer(wave, user, score: int = 4, enps: int | None = 8, comment: str = "", **answers):
    from zhiren.engagement import services
    from zhiren.engagement.models import Invitation

    invitation = Invitation.objects.get(wave=wave, user=user)
    values = {key: answers.get(key, score) for key in wave.items}
    services.submit_answer(
        wave, invitation.token, user=user, answers=values, enps=enps, comment=comment
    )


def wave_with_answers(w, team_sizes: dict | None = None, score: int = 4):
    """A pulse wave at site A; ``team_sizes`` says how many agents of each team answer
    (extra agents are added as needed). Returns (wave, {team: [users who answered]})."""
    sizes = team_sizes if team_sizes is not None else {w.team_a1: 6}
    people = {team: crowd(team, n) for team, n in sizes.items()}
    wave = launch(survey(w.site_a))
    for users in people.values():
        for user in users:
            answer(wave, user, score)
    return wave, people


def suggestion(w, status: str = "received", anonymous: bool = False, site=None):
    from zhiren.engagement.models import Suggestion

    site = site or w.site_a
    kwargs = {} if anonymous else {"author": w.user("agent"), "team": w.team_a1}
    item = Suggestion.objects.create(
        site=site,
        anonymous=anonymous,
        title="夜班加一个茶歇",
        body="凌晨两点后精神差。",
        status=status,
        **kwargs,
    )
    if status in ("adopted", "declined", "implemented"):
        item.decided_at = timezone.now()
        item.save(update_fields=["decided_at"])
    return item


def plant_trouble(agent, today):
    """Low and falling moods, absences, shifts changed: the signals of someone drifting away."""
    from zhiren.discipline.models import AttendanceDay
    from zhiren.wellbeing.models import MoodEntry
    from zhiren.workforce.models import ShiftNotice

    for days in range(1, 29, 3):
        MoodEntry.objects.create(
            agent=agent, day=today - dt.timedelta(days=days), source="self", score=1
        )
    for days in range(35, 85, 5):
        MoodEntry.objects.create(
            agent=agent, day=today - dt.timedelta(days=days), source="self", score=4
        )
    tz = timezone.get_current_timezone()
    for days in (3, 10, 17, 24):
        day = today - dt.timedelta(days=days)
        start = dt.datetime.combine(day, dt.time(9), tzinfo=tz)
        AttendanceDay.objects.create(
            agent=agent,
            day=day,
            shift_start=start,
            shift_end=start + dt.timedelta(hours=8),
            absent=True,
        )
    for n in range(6):
        ShiftNotice.objects.create(agent=agent, day=today + dt.timedelta(days=n), text="changed")
