"""What the browser tests share: a page as a user in a language, and no stray English in Chinese."""

from __future__ import annotations

import re

from django.utils import translation


def t(lang: str, message: str) -> str:
    """``message`` as the page shows it in ``lang``."""
    with translation.override(lang):
        return translation.gettext(message)


def open_as(page_for, live_server, username: str, lang: str, **kwargs):
    page = page_for(username, **kwargs)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    return page


def assert_no_english(page, allowed=()) -> None:
    """No untranslated English on a Chinese page (the page's own content, not the navigation)."""
    text = page.locator(".page-wrapper").inner_text()
    words = {w.upper() for w in re.findall(r"[A-Za-z]{3,}", text)} - {w.upper() for w in allowed}
    assert not words, words


def visit(page, url: str, lang: str, allowed=()) -> None:
    """Open ``url``, check the page's language, and on a Chinese page that no English is left."""
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == lang
    if lang == "zh-hans":
        assert_no_english(page, allowed)
