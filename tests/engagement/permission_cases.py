"""Engagement URLs in the permission matrix.

Surveys are run (created, launched, reminded) by site managers, HR and admins for the sites
they cover; results are read by the team's lead, the site's manager, HR, admins and the
team itself (agents see their own team's guarded results); QA and trainers read none.
Suggestions: the site's board is seen by everyone at the site, decided by its manager (or
an admin); the dashboard is public.
"""

from __future__ import annotations

from ..permissions import NOT_FOUND, OK, REDIRECT, UNAUTHORIZED, Case, roles
from .helpers import launch, suggestion, survey


def _survey(w, site=None):
    return {"pk": survey(site or w.site_a).pk}


def _wave(w, site=None):
    return {"pk": launch(survey(site or w.site_a)).pk}


def _action(w):
    import datetime as dt

    from zhiren.engagement.models import ActionItem

    wave = launch(survey(w.site_a))
    return {
        "pk": ActionItem.objects.create(
            wave=wave,
            team=w.team_a1,
            factor="care",
            title="每周一对一",
            due_on=dt.date(2027, 6, 30),
        ).pk
    }


def _item(w, site=None):
    from zhiren.engagement.models import SupervisionItem

    return {"pk": SupervisionItem.objects.create(site=site or w.site_a, title="空调太冷").pk}


def _seat_agent(w):
    """The world's agent sits on site A's supervision group."""
    import datetime as dt

    from zhiren.engagement.models import SupervisionMember

    SupervisionMember.objects.create(
        site=w.site_a, user=w.user("agent"), basis="elected", term_start=dt.date(2026, 1, 1)
    )
    return _item(w)


def _offboarding(w, agent):
    import datetime as dt

    from zhiren.engagement.models import Offboarding

    return {
        "pk": Offboarding.objects.create(
            agent=agent, team=agent.team, last_day=dt.date(2026, 4, 30)
        ).pk
    }


_EVENT = {
    "site": "site-a",
    "kind": "gathering",
    "title": "AA 聚餐",
    "starts_at": "2027-01-08T19:00",
}


def _event(w, site, team=None):
    import datetime as dt

    from django.utils import timezone

    from zhiren.engagement.models import TeamEvent

    starts = timezone.now() + dt.timedelta(days=3)
    return {
        "pk": TeamEvent.objects.create(
            site=site, team=team, kind="gathering", title="AA 聚餐", starts_at=starts
        ).pk
    }


def _photo(w, site, team=None):
    from django.core.files.base import ContentFile

    from zhiren.engagement.models import EventPhoto, TeamEvent

    event = TeamEvent.objects.get(pk=_event(w, site, team)["pk"])
    photo = EventPhoto(event=event, caption="合影")
    photo.image.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 32), save=True)
    return {"pk": photo.pk}


def _signed_up_photo(w):
    """A photo of team A1's own event that the world's agent signed up for."""
    from zhiren.engagement.models import EventPhoto, EventSignup

    pk = _photo(w, w.site_a, w.team_a1)["pk"]
    EventSignup.objects.create(event=EventPhoto.objects.get(pk=pk).event, user=w.user("agent"))
    return {"pk": pk}


_FAR = {"trainer": REDIRECT, "hr": REDIRECT, "admin": REDIRECT}  # those who cover site B


def _competition(w, site):
    import datetime as dt

    from django.utils import timezone

    from zhiren.engagement.models import Competition

    end = timezone.localdate() - dt.timedelta(days=1)
    return {
        "pk": Competition.objects.create(
            site=site, title="满意度月赛", metric="csat", start=end - dt.timedelta(days=27), end=end
        ).pk
    }


RUNNERS = roles(NOT_FOUND, manager=OK, hr=OK, admin=OK)
RUNNERS_POST = roles(NOT_FOUND, manager=REDIRECT, hr=REDIRECT, admin=REDIRECT)
READERS = roles(NOT_FOUND, agent=OK, lead=OK, manager=OK, hr=OK, admin=OK)
FAR_READERS = roles(NOT_FOUND, hr=OK, admin=OK)
READERS_API = {**READERS, "anonymous": UNAUTHORIZED}
FAR_READERS_API = {**FAR_READERS, "anonymous": UNAUTHORIZED}

CASES = {
    "engagement:home": [Case(expect=roles(OK))],
    "engagement:survey_create": [
        Case(
            method="post",
            data={"site": "site-a", "kind": "pulse", "title": "x"},
            expect=RUNNERS_POST,
        ),
        Case(
            method="post",
            data={"site": "site-b", "kind": "pulse", "title": "x"},
            expect=roles(NOT_FOUND, hr=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:survey": [
        Case(kwargs=_survey, expect=RUNNERS),
        Case(kwargs=lambda w: _survey(w, w.site_b), expect=FAR_READERS),
    ],
    "engagement:launch": [Case(kwargs=_survey, method="post", expect=RUNNERS_POST)],
    "engagement:answer": [
        Case(kwargs=_wave, expect=roles(NOT_FOUND, agent=OK)),
        Case(kwargs=lambda w: _wave(w, w.site_b), expect=roles(NOT_FOUND)),
    ],
    "engagement:results": [
        Case(kwargs=_wave, expect=READERS),
        Case(kwargs=lambda w: _wave(w, w.site_b), expect=FAR_READERS),
    ],
    "engagement:export": [
        Case(kwargs=_wave, expect=READERS),
        Case(kwargs=lambda w: _wave(w, w.site_b), expect=FAR_READERS),
    ],
    "engagement:remind": [Case(kwargs=_wave, method="post", expect=RUNNERS_POST)],
    "engagement:action_add": [
        Case(
            kwargs=_wave,
            method="post",
            data={"team": "a1", "factor": "care", "title": "每周一对一", "due_on": "2027-06-30"},
            expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, hr=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:action_status": [
        Case(
            kwargs=_action,
            method="post",
            data={"status": "done"},
            expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, hr=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:suggestions": [
        Case(expect=roles(OK)),
        Case(method="post", data={"title": "x", "body": "y"}, expect=roles(REDIRECT)),
    ],
    "engagement:dashboard": [Case(expect=roles(OK))],
    # attrition risk: the agent's own lead and HR only (never peers, QA, trainers, managers)
    "engagement:risk": [
        Case(expect=roles(NOT_FOUND, lead=OK, hr=OK)),
        Case(data={"team": "b1"}, expect=roles(NOT_FOUND, hr=OK)),
    ],
    "engagement:suggestion": [
        Case(kwargs=lambda w: {"pk": suggestion(w).pk}, expect=roles(OK)),
        Case(
            kwargs=lambda w: {"pk": suggestion(w, anonymous=True, site=w.site_b).pk},
            expect=roles(NOT_FOUND, trainer=OK, hr=OK, admin=OK),
        ),
    ],
    "engagement:suggestion_move": [
        Case(
            kwargs=lambda w: {"pk": suggestion(w).pk},
            method="post",
            data={"status": "reviewing"},
            expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
        ),
    ],
    # offboarding: the agent's lead and HR; alumni: HR; the report: HR, managers, admins
    "engagement:offboarding_list": [Case(expect=roles(NOT_FOUND, lead=OK, hr=OK))],
    "engagement:offboarding_start": [
        Case(
            method="post",
            data={"agent": "0", "last_day": "2026-04-30"},
            expect=roles(NOT_FOUND),
        ),
    ],
    "engagement:offboarding": [
        Case(kwargs=lambda w: _offboarding(w, w.agent), expect=roles(NOT_FOUND, lead=OK, hr=OK)),
        Case(kwargs=lambda w: _offboarding(w, w.far), expect=roles(NOT_FOUND, hr=OK)),
    ],
    "engagement:offboarding_update": [
        Case(
            kwargs=lambda w: _offboarding(w, w.agent),
            method="post",
            data={"do": "tick", "key": "tickets", "done": "1"},
            expect=roles(NOT_FOUND, lead=REDIRECT, hr=REDIRECT),
        ),
    ],
    "engagement:alumni": [Case(expect=roles(NOT_FOUND, hr=OK))],
    "engagement:attrition_report": [
        Case(expect=roles(NOT_FOUND, hr=OK, manager=OK, admin=OK)),
    ],
    # team life: everyone at the site; swaps and competitions run by the site's manager
    "engagement:life": [Case(expect=roles(OK))],
    "engagement:event_add": [
        Case(method="post", data=_EVENT, expect=roles(REDIRECT)),
        Case(
            method="post",
            data={**_EVENT, "site": "site-b"},
            expect=roles(NOT_FOUND, trainer=REDIRECT, hr=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:event_signup": [
        Case(kwargs=lambda w: _event(w, w.site_a), method="post", expect=roles(REDIRECT)),
        Case(
            kwargs=lambda w: _event(w, w.site_b, w.team_b1),
            method="post",
            expect=roles(NOT_FOUND, trainer=REDIRECT, hr=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:event": [
        Case(kwargs=lambda w: _event(w, w.site_a), expect=roles(OK)),
        Case(
            kwargs=lambda w: _event(w, w.site_b, w.team_b1),
            expect=roles(NOT_FOUND, trainer=OK, hr=OK, admin=OK),
        ),
    ],
    "engagement:photo_add": [  # no file: refused with a message, back to the event
        Case(kwargs=lambda w: _event(w, w.site_a), method="post", expect=roles(REDIRECT)),
        Case(
            kwargs=lambda w: _event(w, w.site_b, w.team_b1),
            method="post",
            expect=roles(NOT_FOUND, **_FAR),
        ),
    ],
    "engagement:photo": [
        Case(kwargs=lambda w: _photo(w, w.site_a), expect=roles(OK)),
        Case(
            kwargs=lambda w: _photo(w, w.site_b, w.team_b1),
            expect=roles(NOT_FOUND, trainer=OK, hr=OK, admin=OK),
        ),
    ],
    # take a photo down: whoever signed up, the organiser, the uploader, and those who look
    # after the event (a team's lead, the site manager, HR, admins); others who see it get a 404
    "engagement:photo_remove": [
        Case(
            kwargs=lambda w: _photo(w, w.site_a),  # site-wide, nobody signed up
            method="post",
            expect=roles(NOT_FOUND, manager=REDIRECT, hr=REDIRECT, admin=REDIRECT),
        ),
        Case(
            kwargs=_signed_up_photo,
            method="post",
            expect=roles(
                NOT_FOUND,
                agent=REDIRECT,
                lead=REDIRECT,
                manager=REDIRECT,
                hr=REDIRECT,
                admin=REDIRECT,
            ),
        ),
        Case(
            kwargs=lambda w: _photo(w, w.site_b, w.team_b1),
            method="post",
            expect=roles(NOT_FOUND, hr=REDIRECT, admin=REDIRECT),
        ),
    ],
    # the mutual-aid fund: totals for everyone at the site; the books kept by its committee
    # and HR (others are refused with a message); the committee seated by the site manager
    "engagement:fund": [Case(expect=roles(OK))],
    "engagement:fund_contribute": [
        Case(
            method="post",
            data={"site": "site-a", "amount": "10", "source": "会费"},
            expect=roles(REDIRECT),
        ),
        Case(
            method="post",
            data={"site": "site-b", "amount": "10", "source": "会费"},
            expect=roles(NOT_FOUND, **_FAR),
        ),
    ],
    "engagement:fund_grant": [
        Case(
            method="post",
            data={"site": "site-a", "amount": "10", "reason": "住院"},
            expect=roles(REDIRECT),
        ),
        Case(
            method="post",
            data={"site": "site-b", "amount": "10", "reason": "住院"},
            expect=roles(NOT_FOUND, **_FAR),
        ),
    ],
    "engagement:fund_seat": [
        Case(method="post", data={"site": "site-a", "username": "agent"}, expect=roles(REDIRECT)),
        Case(
            method="post",
            data={"site": "site-b", "username": "agent"},
            expect=roles(NOT_FOUND, **_FAR),
        ),
    ],
    "engagement:swap_plan": [
        Case(
            method="post",
            data={"site": "site-a", "month": "2026-04"},
            expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:competition_add": [
        Case(
            method="post",
            data={
                "site": "site-a",
                "metric": "csat",
                "start": "2026-03-01",
                "end": "2026-03-31",
                "min_volume": "30",
                "title": "满意度月赛",
            },
            expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:competition": [
        Case(kwargs=lambda w: _competition(w, w.site_a), expect=roles(OK)),
        Case(
            kwargs=lambda w: _competition(w, w.site_b),
            expect=roles(NOT_FOUND, trainer=OK, hr=OK, admin=OK),
        ),
    ],
    "engagement:competition_publish": [
        Case(
            kwargs=lambda w: _competition(w, w.site_a),
            method="post",
            expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:supervision": [Case(expect=roles(OK))],
    "engagement:supervision_report": [Case(expect=roles(OK))],
    "engagement:supervision_member_add": [
        Case(
            method="post",
            data={"site": "site-a", "user": "0", "basis": "elected"},
            expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:supervision_item_add": [
        Case(
            method="post",
            data={"site": "site-a", "title": "夜班空调太冷"},
            expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
        ),
    ],
    "engagement:supervision_item_move": [
        Case(
            kwargs=_item,
            method="post",
            data={"status": "dropped", "reason": "重复"},
            expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
        ),
        Case(
            kwargs=_seat_agent,
            method="post",
            data={"status": "dropped", "reason": "重复"},
            expect=roles(NOT_FOUND, agent=REDIRECT, manager=REDIRECT, admin=REDIRECT),
        ),
        Case(
            kwargs=lambda w: _item(w, w.site_b),
            method="post",
            data={"status": "dropped", "reason": "重复"},
            expect=roles(NOT_FOUND, admin=REDIRECT),
        ),
    ],
    "api:engagement-wave-list": [Case(expect=roles(OK, UNAUTHORIZED))],
    "api:engagement-wave-detail": [
        Case(kwargs=_wave, expect=READERS_API),
        Case(kwargs=lambda w: _wave(w, w.site_b), expect=FAR_READERS_API),
    ],
    "api:engagement-wave-results": [
        Case(kwargs=_wave, expect=READERS_API),
        Case(kwargs=lambda w: _wave(w, w.site_b), expect=FAR_READERS_API),
    ],
}
