"""Planting data for the workspace tests (also used by the permission cases)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone


def shift_start(hours: int = 1) -> datetime:
    """A shift start ahead of the test's now, on the minute."""
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def huddle(team, start: datetime | None = None):
    from zhiren.core.registries import huddle_sources
    from zhiren.leadership.services import plan_huddle

    with huddle_sources.replaced([]):
        return plan_huddle(team, start or shift_start())


def item(w, team=None):
    from zhiren.leadership.services import add_point

    return add_point(huddle(team or w.team_a1), actor=w.user("lead"), text="复盘昨日投诉")


def instructions_request(w, team=None):
    from zhiren.leadership.services import submit_request

    return submit_request(
        author=w.user("lead"),
        team=team or w.team_a1,
        subject="双十一期间增开夜班",
        background="预计话务量上涨 40%。",
        options=["增开夜班", "外包承接"],
        recommended=0,
    )


def report(w, *, sent: bool = True, kind: str = "adhoc"):
    from zhiren.leadership.services import draft_report, save_report

    item = draft_report(author=w.user("lead"), team=w.team_a1, kind=kind)
    if sent:
        save_report(item, title=item.title, body="本周话务平稳。", send=True)
    return item


def self_check(w, *, shared: bool = False):
    from zhiren.leadership import services, wheel

    check = services.take_self_check(
        w.user("lead"), team=w.team_a1, ratings=dict.fromkeys(wheel.ABILITIES, 3)
    )
    if shared:
        services.share_self_check(check, actor=w.user("lead"), shared=True)
    return check


def praise(agent, lead, day, behavior="b", impact="i", shared=False):
    """BIA feedback (表扬) from ``lead`` to ``agent`` given on ``day``."""
    from zhiren.coaching.models import Feedback

    return Feedback.objects.create(agent=agent, lead=lead, kind="bia", given_on=day, behavior=behavior,
                                   impact=impact, appreciation="谢谢", shared_on_wall=shared)


def correction(agent, lead, day, behavior="b", impact="i"):
    """BID feedback (a correction, 批评在私下) from ``lead`` to ``agent`` given on ``day``."""
    from zhiren.coaching.models import Feedback

    return Feedback.objects.create(agent=agent, lead=lead, kind="bid", given_on=day, behavior=behavior,
                                   impact=impact, desired="先确认")
