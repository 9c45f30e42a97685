"""Event photos are personal data (faces): they go a retention period after the event, files
included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.base import ContentFile

from zhiren.audit.models import AuditEvent
from zhiren.engagement.models import EventPhoto, TeamEvent
from zhiren.privacy.retention import purge

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def at(day: str, hm: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=SHANGHAI)


def _event(world, starts_at, team="a1", organiser=None):
    return TeamEvent.objects.create(
        site=world.site_a,
        team={"a1": world.team_a1, None: None}[team],
        kind="gathering",
        title="AA 聚餐",
        starts_at=starts_at,
        organiser=organiser,
    )


def _photo(event, uploaded_by=None):
    photo = EventPhoto(event=event, caption="合影", uploaded_by=uploaded_by)
    photo.image.save("a.png", ContentFile(PNG), save=True)
    return photo


def _file(photo) -> Path:
    return Path(django_settings.MEDIA_ROOT) / photo.image.name


# --- retention ----------------------------------------------------------------------------------


def test_the_purge_deletes_photos_a_period_after_their_event_with_their_files(world, settings):
    settings.RETENTION_DAYS = {**django_settings.RETENTION_DAYS, "event_photos": 30}
    old = _photo(_event(world, at("2026-03-11", "19:00")))
    recent = _photo(_event(world, at("2026-03-20", "19:00")))
    old_file, recent_file = _file(old), _file(recent)
    assert old_file.read_bytes() == PNG and recent_file.read_bytes() == PNG

    def purge_at(moment, **kwargs):
        with time_machine.travel(moment, tick=False):
            return {r.key: r.count for r in purge(**kwargs)}["event_photos"]

    assert purge_at(at("2026-04-10", "18:59")) == 0  # 30 days after the start: still kept
    assert EventPhoto.objects.count() == 2 and old_file.exists()
    assert purge_at(at("2026-04-10", "19:01"), dry_run=True) == 1
    assert EventPhoto.objects.count() == 2 and old_file.exists()  # a dry run changes nothing
    assert purge_at(at("2026-04-10", "19:01")) == 1
    assert list(EventPhoto.objects.all()) == [recent]
    assert not old_file.exists()
    assert recent_file.read_bytes() == PNG
    assert AuditEvent.objects.filter(
        action="delete", object_type="privacy.retention", object_id="event_photos"
    ).exists()
    assert purge_at(at("2026-04-19", "19:01")) == 1  # the recent one in its turn
    assert not EventPhoto.objects.exists() and not recent_file.exists()


def test_the_default_period_is_a_year():
    assert django_settings.RETENTION_DEFAULT_DAYS["event_photos"] == 365
