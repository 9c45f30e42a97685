"""Importing transcripts: CSV, XLSX or JSON lines, one sentence (turn) a row.

Columns (Chinese or English headers, matched like every import: width, case, spaces and
notes in brackets do not matter): contact id (工单号, 联络ID, contact_id), speaker
(说话方, 角色, speaker: 坐席/客服/agent or 客户/用户/customer), start and end (开始, 结束,
start, end: seconds from the start of the contact, or ``mm:ss``), text (内容, 文本, text),
and optionally the agent (工号, agent) to cross-check the contact's agent.

CSV and XLSX are read by the import framework's reader (``imports.tables.read_table``:
encodings, delimiters, XLSX limits); JSON lines are read here, UTF-8 only. Problems are
``imports.errors.RowError`` (row as the file shows it, header = row 1; the JSON field for
JSON lines) and **nothing is written while any row has an error**. A transcript is one
contact's rows in file order; its turns must be in order of start, one speaker's turns
must not overlap, and no text may be empty (``rules.transcript_errors``). A contact that
already has a transcript gets the new one; each imported transcript is checked against the
site's rules at once.

Why not an ``ImportSpec``: a spec writes one row per key, while a transcript is many rows
checked together; this module reuses the framework's reading, header folding and errors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.imports.errors import FileFormatError, RowError
from zhiren.imports.headers import normalize_header
from zhiren.imports.tables import read_table
from zhiren.org.scoping import visible_to
from zhiren.performance.models import Interaction

from .models import Transcript
from .rules import Turn as PlainTurn
from .rules import transcript_errors
from .services import INSPECTOR_ROLES, LEAD_ROLES, check_transcript, ruleset_for, save_turns

FIELDS = {
    "contact": ("工单号", "联络id", "联络编号", "会话id", "通话id", "contactid", "contact", "interaction"),
    "speaker": ("说话方", "角色", "说话人", "speaker", "role"),
    "start": ("开始", "开始时间", "开始秒", "start", "starttime"),
    "end": ("结束", "结束时间", "结束秒", "end", "endtime"),
    "text": ("内容", "文本", "话术", "text", "content"),
    "agent": ("工号", "坐席工号", "agent", "employeeno"),
}
REQUIRED = ("contact", "speaker", "start", "end", "text")
SPEAKER_WORDS = {
    "agent": "agent", "坐席": "agent", "客服": "agent", "座席": "agent", "员工": "agent",
    "customer": "customer", "客户": "customer", "用户": "customer", "顾客": "customer",
}
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    transcripts: int = 0
    turns: int = 0


def _seconds(value: object) -> float:
    text = str(value).strip()
    match = _CLOCK.match(text)
    if match:
        hours, minutes, seconds = match.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    number = float(text)
    if number < 0 or number != number:
        raise ValueError(text)
    return number


def _read_rows(data: bytes, filename: str) -> tuple[list[tuple[int, dict, dict]], list[RowError]]:
    """(row number, values by field, header of each field) per row, and file-level errors."""
    if filename.lower().endswith((".jsonl", ".ndjson")) or data.lstrip()[:1] == b"{":
        return _read_json_lines(data)
    try:
        table = read_table(data, filename)
    except FileFormatError as exc:
        return [], [RowError(0, "", "", str(exc.message))]
    if not table.rows:
        return [], [RowError(0, "", "", _("The file is empty."))]
    header_row, header_cells = table.rows[0]
    aliases = {normalize_header(a): key for key, names in FIELDS.items() for a in names}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(header_cells):
        key = aliases.get(normalize_header(cell))
        if key and key not in positions:
            positions[key] = index
            headers[key] = str(cell)
    missing = [key for key in REQUIRED if key not in positions]
    if missing:
        return [], [RowError(header_row, "", key, _("Missing column: %(column)s") % {"column": key})
                    for key in missing]
    rows = []
    for number, cells in table.rows[1:]:
        values = {key: (cells[i] if i < len(cells) else None) for key, i in positions.items()}
        rows.append((number, values, headers))
    return rows, []


def _read_json_lines(data: bytes) -> tuple[list[tuple[int, dict, dict]], list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [RowError(0, "", "", _("The file is not UTF-8 (byte %(position)d).") % {"position": exc.start})]
    rows, errors = [], []
    headers = {key: key for key in FIELDS}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(RowError(number, "", "", _("Not JSON: %(error)s") % {"error": exc.msg}))
            continue
        if not isinstance(item, dict):
            errors.append(RowError(number, "", "", _("Each line is one JSON object.")))
            continue
        aliases = {normalize_header(a): key for key, names in FIELDS.items() for a in names}
        values = {}
        for name, value in item.items():
            key = aliases.get(normalize_header(name))
            if key:
                values[key] = value
        rows.append((number, values, headers))
    return rows, errors


def import_transcripts(data: bytes, filename: str = "", *, user, dry_run: bool = False) -> ImportResult:
    result = ImportResult()
    rows, result.errors = _read_rows(data, filename)
    if result.errors:
        return result
    parsed: list[tuple[int, dict, dict]] = []
    for number, values, headers in rows:
        clean: dict = {}
        for key in REQUIRED:
            value = values.get(key)
            if value is None or str(value).strip() == "":
                if key != "text":  # empty text is a transcript error, reported below with its turn
                    result.errors.append(RowError(number, headers.get(key, key), key, _("This cell is required.")))
                    continue
                value = ""
            clean[key] = value
        if "speaker" in clean:
            speaker = SPEAKER_WORDS.get(str(clean["speaker"]).strip().casefold())
            if speaker is None:
                result.errors.append(RowError(number, headers["speaker"], "speaker",
                                              _("Unknown speaker “%(value)s”: agent or customer.")
                                              % {"value": clean["speaker"]}))
            clean["speaker"] = speaker
        for key in ("start", "end"):
            if key in clean:
                try:
                    clean[key] = _seconds(clean[key])
                except (TypeError, ValueError):
                    result.errors.append(RowError(number, headers[key], key, _("Not a number of seconds or mm:ss.")))
                    clean[key] = None
        if "contact" in clean:
            clean["contact"] = str(clean["contact"]).strip()
        clean["text"] = str(clean.get("text", ""))
        clean["agent"] = str(values.get("agent") or "").strip()
        parsed.append((number, clean, headers))
    external_ids = {c["contact"] for _n, c, _h in parsed if c.get("contact")}
    scope = visible_to(Interaction.objects.all(), user, (*INSPECTOR_ROLES, *LEAD_ROLES), via="team")
    contacts = {i.external_id: i for i in scope.filter(external_id__in=external_ids).select_related("agent")}
    grouped: dict[str, list[tuple[int, dict, dict]]] = {}
    for number, clean, headers in parsed:
        contact_id = clean.get("contact")
        if not contact_id:
            continue
        interaction = contacts.get(contact_id)
        if interaction is None:
            result.errors.append(RowError(number, headers["contact"], "contact",
                                          _("Unknown contact “%(value)s”, or not one you may import.")
                                          % {"value": contact_id}))
            continue
        if interaction.agent_id is None:
            result.errors.append(RowError(number, headers["contact"], "contact", _("This contact reached no agent.")))
            continue
        if clean["agent"] and clean["agent"] != interaction.agent.employee_no:
            result.errors.append(RowError(number, headers.get("agent", "agent"), "agent",
                                          _("Unknown agent “%(value)s” for this contact (its agent is %(agent)s).")
                                          % {"value": clean["agent"], "agent": interaction.agent.employee_no}))
        grouped.setdefault(contact_id, []).append((number, clean, headers))
    plain: dict[str, list[PlainTurn]] = {}
    for contact_id, all_items in grouped.items():
        # rows whose cells failed are reported already; the others are still checked as a transcript
        items = [item for item in all_items
                 if item[1]["speaker"] is not None and item[1]["start"] is not None and item[1]["end"] is not None]
        turns = [PlainTurn(c["speaker"], c["start"], c["end"], c["text"]) for _n, c, _h in items]
        for index, key, message in transcript_errors(turns):
            number, _clean, headers = items[index]
            result.errors.append(RowError(number, headers.get(key, key), key, message))
        plain[contact_id] = turns
    result.errors.sort()
    if result.errors:
        return result
    result.transcripts = len(plain)
    result.turns = sum(len(t) for t in plain.values())
    if dry_run:
        return result
    with transaction.atomic():
        Transcript.objects.filter(interaction__in=[contacts[c] for c in plain]).delete()
        rule_sets: dict[int, tuple] = {}
        for contact_id, turns in plain.items():
            interaction = contacts[contact_id]
            transcript = Transcript.objects.create(interaction=interaction, agent_id=interaction.agent_id,
                                                   team_id=interaction.team_id)
            save_turns(transcript, turns)
            site_id = interaction.agent.team.site_id
            if site_id not in rule_sets:
                rule_sets[site_id] = ruleset_for(site_id)
            check_transcript(transcript, rule_sets[site_id])
        record(actor=user, action=AuditAction.IMPORT, object_type="quality.transcript",
               fields=["contact", "speaker", "start", "end", "text"])
    return result
