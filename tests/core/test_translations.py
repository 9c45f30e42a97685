"""zh-Hans is complete, compiled, and in step with the source; English falls back to msgids."""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import zhiren

PACKAGE = Path(zhiren.__file__).resolve().parent
LOCALE = PACKAGE / "locale"


def read_po(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid → (msgstr, fuzzy) for a .po file; plural entries keyed by the singular, entries
    with a context by the context and msgid joined by EOT (as the compiled catalog keys them)."""
    entries: dict[str, tuple[str, bool]] = {}
    msgid = msgstr = context = None
    fuzzy = False
    current = None

    def flush():
        if msgid:  # skip the header (empty msgid)
            entries[f"{context}\x04{msgid}" if context else msgid] = (msgstr or "", fuzzy)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
            msgid = msgstr = context = None
            fuzzy = False
            current = None
        elif line.startswith("msgctxt "):
            context, current = ast.literal_eval(line[8:]), "ctxt"
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, current = ast.literal_eval(line[6:]), "id"
        elif line.startswith("msgid_plural "):
            current = "plural"
        elif line.startswith(("msgstr ", "msgstr[0] ")):
            msgstr, current = ast.literal_eval(line.split(" ", 1)[1]), "str"
        elif line.startswith("msgstr["):
            current = "other"
        elif line.startswith('"'):
            if current == "id":
                msgid += ast.literal_eval(line)
            elif current == "str":
                msgstr += ast.literal_eval(line)
    return entries


def test_every_zh_hans_message_is_translated():
    entries = read_po(LOCALE / "zh_Hans/LC_MESSAGES/django.po")
    assert len(entries) > 100
    untranslated = [m for m, (s, fuzzy) in entries.items() if not s or fuzzy]
    assert not untranslated, f"untranslated or fuzzy: {untranslated[:20]}"


def test_compiled_catalog_matches_the_po_file():
    entries = read_po(LOCALE / "zh_Hans/LC_MESSAGES/django.po")
    with open(LOCALE / "zh_Hans/LC_MESSAGES/django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    stale = [m for m, (s, _) in entries.items() if catalog._catalog.get(m, catalog._catalog.get((m, 0))) != s]
    assert not stale, f"django.mo is out of date (run `make messages`): {stale[:10]}"


def test_catalog_is_in_step_with_the_source(tmp_path):
    """Re-extracting the source finds no msgid missing from the committed catalog."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is needed for this check: apt-get install gettext")
    copy = tmp_path / "zhiren"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete",
         "-i", "workforce/engine/*", "--no-location"],
        cwd=copy, check=True, capture_output=True, timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "zhiren.settings"},
    )
    extracted = read_po(copy / "locale/zh_Hans/LC_MESSAGES/django.po")
    committed = read_po(LOCALE / "zh_Hans/LC_MESSAGES/django.po")
    missing = sorted(set(extracted) - set(committed))
    assert not missing, f"strings not in the catalog (run `make messages`): {missing[:20]}"


def test_english_and_chinese_render(client, db):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("My team") == "我的班组"
    with translation.override("en"):
        assert translation.gettext("My team") == "My team"


def test_pages_default_to_chinese_and_follow_the_language_cookie(world):
    from django.test import Client

    plain = Client()
    plain.force_login(world.user("lead"))
    body = plain.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in body and "我的班组" in body
    plain.cookies["django_language"] = "en"
    body = plain.get("/").content.decode()
    assert '<html lang="en">' in body and "My team" in body
