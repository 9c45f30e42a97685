"""The mutual-aid fund (互助会): totals for the floor, grants (who, why) for the committee and
HR only with every read audited; event photos checked on upload and shown to the event's
viewers only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.engagement.fund import selectors, services
from zhiren.engagement.models import EventPhoto, FundCommitteeMember, TeamEvent
from zhiren.engagement.services import EngagementError
from zhiren.engagement.teamlife import rules

from .helpers import crowd

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _books(world):
    hr = world.user("hr")
    services.contribute(world.site_a, user=hr, day=DAY, amount="500", source="三月会费")
    services.grant(
        world.site_a, user=hr, day=DAY, amount="200.5", beneficiary=world.peer, reason="父亲住院"
    )


def test_the_floor_sees_totals_only_the_committee_and_hr_see_who_and_why(world, client_for):
    _books(world)
    assert selectors.totals(world.site_a)["balance"] == pytest.approx(299.5)
    floor = client_for(world.user("agent")).get(reverse("engagement:fund")).content.decode()
    assert "299.50" in floor and "200.50" in floor
    assert world.peer.name not in floor and "父亲住院" not in floor
    assert 'data-testid="fund-grants"' not in floor
    lead = client_for(world.user("lead")).get(reverse("engagement:fund")).content.decode()
    assert "父亲住院" not in lead  # a lead is not on the committee
    FundCommitteeMember.objects.create(site=world.site_a, user=world.user("agent"))
    before = AuditEvent.objects.filter(object_type="engagement.fund_grant").count()
    member = client_for(world.user("agent")).get(reverse("engagement:fund")).content.decode()
    assert world.peer.name in member and "父亲住院" in member
    reads = AuditEvent.objects.filter(object_type="engagement.fund_grant")
    assert reads.count() == before + 1
    assert reads.latest("pk").object_id == str(world.peer.pk)
    hr_page = client_for(world.user("hr")).get(reverse("engagement:fund")).content.decode()
    assert "父亲住院" in hr_page and reads.count() == before + 2


def test_only_keepers_write_grants_within_the_balance_and_the_site(world):
    _books(world)
    with pytest.raises(EngagementError):
        services.contribute(world.site_a, user=world.user("lead"), day=DAY, amount="5", source="x")
    hr = world.user("hr")
    with pytest.raises(EngagementError, match="does not hold"):
        services.grant(
            world.site_a, user=hr, day=DAY, amount="300", beneficiary=world.peer, reason="x"
        )
    with pytest.raises(EngagementError, match="own site"):
        services.grant(
            world.site_a, user=hr, day=DAY, amount="1", beneficiary=world.far, reason="x"
        )
    with pytest.raises(EngagementError, match="reason"):
        services.grant(
            world.site_a, user=hr, day=DAY, amount="1", beneficiary=world.peer, reason=""
        )
    with pytest.raises(EngagementError, match="amount"):
        services.contribute(world.site_a, user=hr, day=DAY, amount="-3", source="x")


def test_the_site_manager_seats_the_committee(world):
    with pytest.raises(EngagementError):
        services.seat(world.site_a, user=world.user("hr"), username="agent")
    services.seat(world.site_a, user=world.user("manager"), username=world.user("agent").username)
    assert selectors.may_see_grants(world.user("agent"), world.site_a)
    assert not selectors.may_see_grants(world.user("agent"), world.site_b)


def test_photo_rules_check_size_name_and_bytes():
    assert rules.photo_problem("a.png", len(PNG), PNG[:16]) is None
    assert rules.photo_problem("a.jpg", 10, b"\xff\xd8\xff\xe0") is None
    assert rules.photo_problem("a.webp", 20, b"RIFF\x00\x00\x00\x00WEBPVP8 ") is None
    assert rules.photo_problem("a.png", 10, b"<svg onload=x>") == rules.NOT_A_PHOTO
    assert rules.photo_problem("a.svg", 10, PNG[:16]) == rules.NOT_A_PHOTO
    assert (
        rules.photo_problem("a.jpg", 10, PNG[:16]) == rules.NOT_A_PHOTO
    )  # name and bytes disagree
    assert rules.photo_problem("a.png", rules.PHOTO_MAX_BYTES + 1, PNG[:16]) == rules.TOO_BIG


def test_a_photo_is_uploaded_to_the_event_and_shown_to_its_viewers_only(
    world, client_for, settings
):
    from django.utils import timezone

    event = TeamEvent.objects.create(
        site=world.site_a,
        team=world.team_a1,
        kind="gathering",
        title="AA 聚餐",
        starts_at=timezone.now() + dt.timedelta(days=1),
    )
    agent = client_for(world.user("agent"))
    url = reverse("engagement:photo_add", args=[event.pk])
    fake = SimpleUploadedFile("x.png", b"GIF89a" + b"\x00" * 20, content_type="image/png")
    agent.post(url, {"image": fake})
    assert not EventPhoto.objects.exists()
    agent.post(
        url,
        {"image": SimpleUploadedFile("我们.png", PNG, content_type="image/png"), "caption": "合影"},
    )
    photo = EventPhoto.objects.get()
    assert (
        photo.image.name.startswith(f"engagement/events/{event.pk}/")
        and "我们" not in photo.image.name
    )
    assert (Path(settings.MEDIA_ROOT) / photo.image.name).read_bytes() == PNG
    page = agent.get(reverse("engagement:event", args=[event.pk])).content.decode()
    assert reverse("engagement:photo", args=[photo.pk]) in page and "合影" in page
    served = agent.get(reverse("engagement:photo", args=[photo.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    # team A2's agent does not see A1's own event, nor its photo
    outsider = client_for(crowd(world.team_a2, 1)[0])
    assert outsider.get(reverse("engagement:photo", args=[photo.pk])).status_code == 404
    assert outsider.get(reverse("engagement:event", args=[event.pk])).status_code == 404


def test_the_grants_table_says_amount_of_money_in_chinese(world, client_for):
    """“Amount” elsewhere means points (分值); the fund's column is money (金额)."""
    _books(world)
    client = client_for(world.user("hr"))
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("engagement:fund")).content.decode()
    grants = page[page.index('data-testid="fund-grants"'):]
    assert "<th>金额</th>" in grants[: grants.index("</thead>")]
