"""Group-robot webhooks of WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书).

Message formats and signatures follow each platform's custom-robot documentation:

- WeCom: ``{"msgtype": "markdown", "markdown": {"content": ...}}``; no signature
  (the key is part of the address).
- DingTalk: ``{"msgtype": "markdown", "markdown": {"title", "text"}}``; with a
  secret, ``timestamp`` (ms) and ``sign`` = urlencode(base64(HMAC-SHA256(key=secret,
  msg="{timestamp}\\n{secret}"))) are added to the query string.
- Feishu: ``{"msg_type": "post", "content": {"post": {"zh_cn": {"title", "content"}}}}``;
  with a secret, ``timestamp`` (s) and ``sign`` = base64(HMAC-SHA256(key="{timestamp}\\n{secret}",
  msg="")) are added to the body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    title: str
    lines: list[str]  # plain text lines; a line starting with "## " is a section heading
    link: str = ""


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    string_to_sign = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(string_to_sign, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _markdown(message: Message) -> str:
    parts = [f"### {message.title}"]
    for line in message.lines:
        parts.append(f"**{line[3:]}**" if line.startswith("## ") else f"- {line}")
    if message.link:
        parts.append(f"[{message.link}]({message.link})")
    return "\n".join(parts)


def wecom_request(url: str, message: Message) -> tuple[str, dict]:
    return url, {"msgtype": "markdown", "markdown": {"content": _markdown(message)}}


def dingtalk_request(url: str, message: Message, secret: str = "", now: float | None = None) -> tuple[str, dict]:
    if secret:
        timestamp = int((time.time() if now is None else now) * 1000)
        separator = "&" if urllib.parse.urlsplit(url).query else "?"
        url = f"{url}{separator}timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"
    body = {"msgtype": "markdown", "markdown": {"title": message.title, "text": _markdown(message)}}
    return url, body


def feishu_request(
    url: str, message: Message, secret: str = "", now: float | None = None, locale: str = "zh_cn"
) -> tuple[str, dict]:
    content = []
    for line in message.lines:
        if line.startswith("## "):
            content.append([{"tag": "text", "text": line[3:], "style": ["bold"]}])
        else:
            content.append([{"tag": "text", "text": line}])
    if message.link:
        content.append([{"tag": "a", "text": message.link, "href": message.link}])
    body: dict = {
        "msg_type": "post",
        "content": {"post": {locale: {"title": message.title, "content": content}}},
    }
    if secret:
        timestamp = int(time.time() if now is None else now)
        body = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **body}
    return url, body


BUILDERS = {"wecom": wecom_request, "dingtalk": dingtalk_request, "feishu": feishu_request}


class DeliveryError(Exception):
    pass


def post(kind: str, url: str, message: Message, secret: str = "", timeout: float = 10, **kwargs) -> dict:
    """Send ``message`` to a robot; raise DeliveryError on a transport or platform error."""
    builder = BUILDERS[kind]
    if kind == "wecom":
        target, body = builder(url, message)
    else:
        target, body = builder(url, message, secret, **kwargs)
    if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
        raise DeliveryError("unsupported address")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        target,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except OSError as exc:
        raise DeliveryError(str(exc)[:200]) from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    # WeCom / DingTalk answer {"errcode": 0}; Feishu answers {"code": 0} (older: StatusCode).
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, None):
        raise DeliveryError(f"robot answered {code}: {answer.get('errmsg') or answer.get('msg') or ''}"[:200])
    return answer


def notify_lead(user, notice) -> None:
    """``core.registries.lead_notifiers``: post a notice to each of the lead's active robots.

    The notice carries no personal details (it may land in a group chat); a robot that fails
    is logged and skipped.
    """
    message = Message(notice.title, list(notice.lines), notice.link)
    for hook in user.digest_webhooks.filter(active=True):
        try:
            post(hook.kind, hook.url, message, hook.secret)
        except (DeliveryError, OSError) as exc:
            logger.warning("robot %s of user %s: %s", hook.pk, user.pk, exc)
