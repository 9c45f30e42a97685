"""请示: one matter per request with options and a recommendation, routed to the lead's manager,
whose reply (approve / reject / comment) is stored and visible; nobody else sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiren.leadership import services
from zhiren.leadership.models import Request, RequestStatus
from zhiren.leadership.selectors import visible_requests

from .helpers import instructions_request

pytestmark = pytest.mark.django_db


def test_one_matter_with_options_and_a_recommendation():
    assert services.request_problems("增开夜班", ["是", "否"], 0) == []
    assert len(services.request_problems("增开夜班；调整午休", ["是", "否"], 0)) == 1
    assert len(services.request_problems("增开夜班以及培训", ["是"], 3)) == 3


def test_routed_to_the_site_manager_and_answered(world):
    item = instructions_request(world)
    far = instructions_request(
        world, world.team_b1
    )  # a lead writing for a team of site B is unusual, but scoped
    assert set(visible_requests(world.user("manager"))) == {item}
    assert set(visible_requests(world.user("lead"))) == {item, far}
    for role in ("agent", "qa", "hr", "trainer", "admin"):
        assert not visible_requests(world.user(role)).exists()
    services.reply(item, author=world.user("manager"), kind="comment", text="夜班人手从哪来？")
    assert Request.objects.get(pk=item.pk).status == RequestStatus.WAITING
    services.reply(item, author=world.user("manager"), kind="approve", text="同意，先试两周")
    item.refresh_from_db()
    assert item.status == RequestStatus.APPROVED
    with pytest.raises(ValueError):
        services.reply(item, author=world.user("manager"), kind="reject")
    assert [(r.kind, r.text) for r in item.replies.all()] == [
        ("comment", "夜班人手从哪来？"),
        ("approve", "同意，先试两周"),
    ]


def test_pages_write_and_answer(world, client_for):
    lead = client_for(world.user("lead"))
    response = lead.post(
        reverse("leadership:request_new"),
        {
            "team": world.team_a1.pk,
            "subject": "增开夜班；调整午休",
            "background": "话务上涨",
            "options": "增开\n外包",
            "recommended": "1",
        },
    )
    assert response.status_code == 200 and "One matter per request" in response.content.decode()
    response = lead.post(
        reverse("leadership:request_new"),
        {
            "team": world.team_a1.pk,
            "subject": "增开夜班",
            "background": "话务上涨",
            "options": "增开\n外包",
            "recommended": "1",
            "evidence": "昨日服务水平 70%",
        },
    )
    item = Request.objects.get()
    assert response.url == reverse("leadership:request", args=[item.pk])
    assert item.options == ["增开", "外包"] and item.recommendation == "增开"
    page = lead.get(response.url).content.decode()
    assert (
        "Please advise whether this is appropriate." in page
        and 'data-testid="reply-form"' not in page
    )

    manager = client_for(world.user("manager"))
    assert "增开夜班" in manager.get(reverse("leadership:requests")).content.decode()
    manager.post(
        reverse("leadership:request_reply", args=[item.pk]),
        {"kind": "reject", "text": "先用加班解决"},
    )
    item.refresh_from_db()
    assert item.status == RequestStatus.REJECTED
    assert (
        "先用加班解决"
        in client_for(world.user("lead"))
        .get(reverse("leadership:request", args=[item.pk]))
        .content.decode()
    )
