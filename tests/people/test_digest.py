"""The daily digest: email, WeCom / DingTalk / Feishu robots against a local server, idempotency."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import urllib.parse

import pytest
from django.core import mail
from django.core.management import call_command

from zhiren.people import robots, services
from zhiren.people.models import DigestDelivery, DigestWebhook

TODAY = dt.date(2024, 6, 12)


@pytest.fixture
def busy_lead(world):
    lead = world.user("lead")
    lead.email = "lead@example.com"
    lead.save()
    world.agent.birthday = dt.date(1996, 6, 13)
    world.agent.save()
    services.record_entry(lead, world.peer, "broken_promise", "PRIVATE-LEDGER-NOTE", occurred_on=TODAY)
    talk = services.record_talk(lead, [world.peer], TODAY - dt.timedelta(days=1), "tea",
                                notes={world.peer.pk: "PRIVATE-TALK-NOTE"},
                                follow_ups=[("PRIVATE-FOLLOW-UP", None, TODAY)])
    assert talk
    return lead


def _hooks(lead, server):
    return {
        kind: DigestWebhook.objects.create(
            owner=lead, kind=kind, url=f"{server.url}/{kind}?key=abc", secret="s3cret" if kind != "wecom" else ""
        )
        for kind in ("wecom", "dingtalk", "feishu")
    }


def test_digest_email_and_every_robot_format(busy_lead, robot_server, world):
    _hooks(busy_lead, robot_server)
    outcome = services.send_digest(busy_lead, TODAY)
    assert set(outcome.values()) == {"sent"} and len(outcome) == 4

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["lead@example.com"] and "2024-06-12" in email.subject
    assert "张三" in email.body and "PRIVATE-FOLLOW-UP" in email.body and "李四" in email.body

    by_path = {r["path"].split("?")[0].strip("/"): r for r in robot_server.requests}
    assert set(by_path) == {"wecom", "dingtalk", "feishu"}
    for request in robot_server.requests:
        assert request["headers"]["Content-Type"].startswith("application/json")
        text = str(request["json"])
        assert "张三" in text  # birthday tomorrow
        for secret in ("PRIVATE-LEDGER-NOTE", "PRIVATE-TALK-NOTE", "PRIVATE-FOLLOW-UP"):
            assert secret not in text  # group chats get counts, not details

    wecom = by_path["wecom"]
    assert wecom["path"] == "/wecom?key=abc"
    assert wecom["json"]["msgtype"] == "markdown" and "张三" in wecom["json"]["markdown"]["content"]

    ding = by_path["dingtalk"]
    assert ding["json"]["msgtype"] == "markdown"
    assert set(ding["json"]["markdown"]) == {"title", "text"}
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(ding["path"]).query)
    assert query["key"] == ["abc"]
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(b"s3cret", f"{timestamp}\ns3cret".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"][0] == expected  # parse_qs already url-decoded it

    feishu = by_path["feishu"]["json"]
    assert feishu["msg_type"] == "post"
    post = feishu["content"]["post"]["zh_cn"]
    assert post["title"] and all(isinstance(line, list) for line in post["content"])
    expected = base64.b64encode(
        hmac.new(f"{feishu['timestamp']}\ns3cret".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert feishu["sign"] == expected


def test_digest_is_idempotent_per_lead_and_day_and_retries_failures(busy_lead, robot_server):
    hooks = _hooks(busy_lead, robot_server)
    robot_server.answer = {"errcode": 310000, "errmsg": "sign not match"}
    first = services.send_digest(busy_lead, TODAY)
    assert first["email"] == "sent" and first[f"webhook:{hooks['wecom'].pk}"] == "failed"
    assert DigestDelivery.objects.filter(sent_at__isnull=True).exclude(error="").count() == 3
    robot_server.answer = {"errcode": 0}
    second = services.send_digest(busy_lead, TODAY)
    assert second["email"] == "skipped" and all(v == "sent" for k, v in second.items() if k != "email")
    third = services.send_digest(busy_lead, TODAY)
    assert set(third.values()) == {"skipped"}
    assert len(mail.outbox) == 1 and len(robot_server.requests) == 6
    # another day is a new digest
    services.send_digest(busy_lead, TODAY + dt.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_management_command_and_task(busy_lead, capsys):
    call_command("send_digests", "--date", "2024-06-12")
    assert "1 sent" in capsys.readouterr().out and len(mail.outbox) == 1
    call_command("send_digests", "--date", "2024-06-12")
    assert "1 already sent" in capsys.readouterr().out and len(mail.outbox) == 1
    from zhiren.people.tasks import send_daily_digests

    result = send_daily_digests.enqueue("2024-06-13")  # immediate backend in tests
    assert result.return_value == 1 and len(mail.outbox) == 2


def test_unreachable_robot_is_reported_not_raised():
    with pytest.raises(robots.DeliveryError):
        robots.post("wecom", "http://127.0.0.1:9/x", robots.Message("t", ["a"]), timeout=2)
    with pytest.raises(robots.DeliveryError):
        robots.post("wecom", "file:///etc/passwd", robots.Message("t", ["a"]))
