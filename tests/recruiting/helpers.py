"""Building recruiting data for the tests (also used by the permission cases)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

_ids = itertools.count(1)
KIT = [
    {
        "key": "service",
        "label": "服务意识",
        "questions": ["讲一次……"],
        "anchors": {"1": "差", "3": "中", "5": "好"},
    },
    {
        "key": "resilience",
        "label": "抗压",
        "questions": ["讲一次……"],
        "anchors": {"1": "差", "3": "中", "5": "好"},
    },
]


def role(code="aftersales"):
    from zhiren.placement.models import RoleProfile

    return RoleProfile.objects.get_or_create(code=code, defaults={"name": "售后客服"})[0]


def requisition(site, user=None, **fields):
    from zhiren.recruiting import services

    values = {"headcount": 3, "needed_by": dt.date(2026, 4, 1), **fields}
    return services.raise_requisition(user=user, site=site, role=role(), **values)


def candidate(site, user=None, *, stage="applied", phone=None, **fields):
    from zhiren.recruiting.models import Candidate

    n = next(_ids)
    values = {
        "name": f"候选人{n}",
        "phone": phone or f"1380000{n:04d}",
        "source": "referral",
        "applied_on": dt.date(2026, 3, 1),
        "stage": stage,
        "stage_changed_at": timezone.now(),
        **fields,
    }
    return Candidate.objects.create(site=site, recruiter=user, **values)


def kit():
    from zhiren.recruiting.models import InterviewKit

    return InterviewKit.objects.create(role=role(), name="售后面试", competencies=KIT)


def interview(cand, interviewers, when=None):
    from zhiren.recruiting import services

    # a day of its own unless told: many interviews in one world stay within the daily budgets
    when = when or timezone.now() - dt.timedelta(days=next(_ids) % 365)
    return services.schedule_interview(cand, kit(), when, interviewers, user=None)


def offer(cand, team, user=None):
    from zhiren.recruiting.models import Offer

    cand.stage = "offer"
    cand.save(update_fields=["stage"])
    return Offer.objects.create(
        candidate=cand, team=team, start_date=dt.date(2026, 3, 16), made_at=timezone.now()
    )


SAMPLE_CLIP = "recruiting/listening/rice_cooker.ogg"
CLIP_ITEMS = [
    {"key": "q1", "text": "顾客要什么？", "options": [["a", "退货"], ["b", "换新"]], "answer": "b"},
    {"key": "q2", "text": "几点回电？", "options": [["a", "上午"], ["b", "下午三点后"]], "answer": "b"},
]


def clip_bytes() -> bytes:
    from django.contrib.staticfiles import finders

    with open(finders.find(SAMPLE_CLIP), "rb") as handle:
        return handle.read()


def clip(site, user=None, **fields):
    """A listening clip with the shipped sample's audio as its file."""
    from django.core.files.base import ContentFile

    from zhiren.recruiting.models import ListeningClip

    values = {
        "title": "退货来电",
        "transcript": "喂，你好……",
        "items": CLIP_ITEMS,
        "content_type": "audio/ogg",
        **fields,
    }
    item = ListeningClip(site=site, created_by=user, **values)
    item.audio.save("call.ogg", ContentFile(clip_bytes()), save=False)
    item.save()
    return item
