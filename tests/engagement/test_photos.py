"""Event photos are personal data (faces): they go a retention period after the event, files
included, and anyone who may be in one (whoever signed up), its uploader and those who look
after the event can take one down at once, audit-logged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.engagement.models import EventPhoto, EventSignup, TeamEvent
from zhiren.engagement.teamlife import selectors, services
from zhiren.privacy.retention import purge

from .helpers import crowd

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


def test_the_purge_deletes_photos_a_period_after_their_event_with_their_files(
    world, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_DAYS = {**django_settings.RETENTION_DAYS, "event_photos": 30}
    old = _photo(_event(world, at("2026-03-11", "19:00")))
    recent = _photo(_event(world, at("2026-03-20", "19:00")))
    old_file, recent_file = _file(old), _file(recent)
    assert old_file.read_bytes() == PNG and recent_file.read_bytes() == PNG

    def purge_at(moment, **kwargs):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
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


# --- take-down ----------------------------------------------------------------------------------


def test_a_participant_removes_a_photo_row_file_and_audit(
    world, client_for, django_capture_on_commit_callbacks
):
    event = _event(world, at("2026-03-11", "19:00"))
    photo = _photo(event, uploaded_by=world.user("lead"))
    path = _file(photo)
    agent = world.user("agent")
    EventSignup.objects.create(event=event, user=agent)
    client = client_for(agent)
    page = client.get(reverse("engagement:event", args=[event.pk])).content.decode()
    assert reverse("engagement:photo_remove", args=[photo.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("engagement:photo_remove", args=[photo.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:event", args=[event.pk])
    assert not EventPhoto.objects.filter(pk=photo.pk).exists()
    assert not path.exists()
    audit = AuditEvent.objects.get(object_type="engagement.eventphoto")
    assert (audit.action, audit.actor_id, audit.object_id) == ("delete", agent.pk, str(photo.pk))
    # a GET removes nothing
    other = _photo(event)
    assert client.get(reverse("engagement:photo_remove", args=[other.pk])).status_code == 405
    assert EventPhoto.objects.filter(pk=other.pk).exists()


def test_an_outsider_of_another_team_cannot_remove_nor_find_the_photo(world, client_for):
    event = _event(world, at("2026-03-11", "19:00"))
    photo = _photo(event)
    outsider = crowd(world.team_a2, 1)[0]
    response = client_for(outsider).post(reverse("engagement:photo_remove", args=[photo.pk]))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.remove_photo(photo, user=outsider)
    assert EventPhoto.objects.filter(pk=photo.pk).exists() and _file(photo).read_bytes() == PNG
    assert not AuditEvent.objects.filter(object_type="engagement.eventphoto").exists()


def test_a_teammate_who_did_not_sign_up_sees_the_photo_but_cannot_remove_it(world, client_for):
    event = _event(world, at("2026-03-11", "19:00"))
    photo = _photo(event)
    teammate = crowd(world.team_a1, 1)[0]
    client = client_for(teammate)
    page = client.get(reverse("engagement:event", args=[event.pk])).content.decode()
    assert reverse("engagement:photo", args=[photo.pk]) in page
    assert reverse("engagement:photo_remove", args=[photo.pk]) not in page
    assert client.post(reverse("engagement:photo_remove", args=[photo.pk])).status_code == 404
    assert EventPhoto.objects.filter(pk=photo.pk).exists()
    # their own upload, though, they may take down
    own = _photo(event, uploaded_by=teammate)
    assert selectors.may_remove_photo(teammate, own)
    assert not selectors.may_remove_photo(teammate, photo)
    page = client.get(reverse("engagement:event", args=[event.pk])).content.decode()
    assert reverse("engagement:photo_remove", args=[own.pk]) in page
    assert reverse("engagement:photo_remove", args=[photo.pk]) not in page


def test_who_looks_after_an_event_removes_its_photos(world):
    team_event = _event(world, at("2026-03-11", "19:00"))
    site_event = _event(world, at("2026-03-11", "19:00"), team=None)
    organised = _event(world, at("2026-03-11", "19:00"), team=None, organiser=world.user("agent"))
    for role in ("lead", "manager", "hr", "admin"):
        assert selectors.may_remove_photos(world.user(role), team_event), role
    for role in ("qa", "trainer", "agent"):
        assert not selectors.may_remove_photos(world.user(role), team_event), role
    # a site-wide event: the site's manager, HR and admins, not a team's lead
    assert selectors.may_remove_photos(world.user("manager"), site_event)
    assert not selectors.may_remove_photos(world.user("lead"), site_event)
    assert selectors.may_remove_photos(world.user("agent"), organised)  # its organiser
    assert not selectors.may_remove_photos(None, team_event)


def test_the_event_page_says_the_rules_in_chinese(world, client_for):
    event = _event(world, at("2026-03-11", "19:00"))
    photo = _photo(event)
    client = client_for(world.user("lead"))
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("engagement:event", args=[event.pk])).content.decode()
    assert "活动开始 365 天后会被删除" in page
    assert "删除这张照片" in page and reverse("engagement:photo_remove", args=[photo.pk]) in page


def test_a_photo_file_goes_with_its_event_or_site_once_committed(
    world, django_capture_on_commit_callbacks
):
    """However the row goes (here: with its event, then with a site's events in bulk), the file
    goes too, and only once the deletion commits."""
    from django.db import transaction

    first = _photo(_event(world, at("2026-03-11", "19:00")))
    second = _photo(_event(world, at("2026-03-12", "19:00")))
    first_file, second_file = _file(first), _file(second)
    event_id = first.event_id
    with transaction.atomic():
        TeamEvent.objects.get(pk=event_id).delete()
        transaction.set_rollback(True)  # rolled back: row and file both stay
    assert EventPhoto.objects.filter(pk=first.pk).exists() and first_file.exists()
    with django_capture_on_commit_callbacks(execute=True):
        TeamEvent.objects.get(pk=event_id).delete()
    assert not first_file.exists() and second_file.read_bytes() == PNG
    with django_capture_on_commit_callbacks(execute=True):
        TeamEvent.objects.filter(site=world.site_a).delete()  # in bulk, as the demo reload does
    assert not EventPhoto.objects.exists() and not second_file.exists()
