"""Transcript import: CSV / XLSX / JSON lines, row and column errors, nothing written on error."""

import io
import json

import openpyxl
import pytest

from zhiren.audit.models import AuditEvent
from zhiren.quality.models import RuleHit, Transcript, TranscriptRule, Turn
from zhiren.quality.transcripts import import_transcripts

from .helpers import contact

pytestmark = pytest.mark.django_db

HEADER = "工单号,说话方,开始,结束,内容\n"


def csv(text, encoding="utf-8"):
    return (HEADER + text).encode(encoding)


def test_csv_import_creates_transcripts_and_checks_rules(world):
    TranscriptRule.objects.create(site=world.site_a, key="ban", name="禁语", kind="forbidden",
                                  expression={"phrases": ["不归我管"], "speaker": "agent"})
    contact(world.agent, "T-1")
    contact(world.peer, "T-2")
    body = csv("T-1,坐席,0,2.5,您好\nT-1,客户,2,5,我要退货\nT-1,客服,5,00:07,這不歸我管\nT-2,agent,0,1,您好\n",
               "gbk")
    result = import_transcripts(body, "t.csv", user=world.user("qa"))
    assert result.errors == []
    assert (result.transcripts, result.turns) == (2, 4)
    first = Transcript.objects.get(interaction__external_id="T-1")
    assert [(t.seq, t.speaker, t.end) for t in first.turns.all()] == [(0, "agent", 2.5), (1, "customer", 5.0),
                                                                       (2, "agent", 7.0)]
    assert RuleHit.objects.get().turn.seq == 2
    assert AuditEvent.objects.filter(action="import", object_type="quality.transcript").exists()
    # importing again replaces, not doubles
    import_transcripts(body, "t.csv", user=world.user("qa"))
    assert Transcript.objects.count() == 2 and first.turns.model.objects.count() == 4


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(world):
    contact(world.agent, "T-1")
    contact(world.far, "F-1")  # another site: not the inspector's
    body = csv("T-1,坐席,0,5,您好\n"
               "T-1,坐席,3,6,请讲\n"        # row 3: overlaps the agent's own turn
               "T-1,客户,1,2,嗯\n"          # row 4: starts before the turn above
               "T-1,客户,7,8,  \n"          # row 5: empty text
               "X-9,客户,0,1,你好\n"        # row 6: unknown contact
               "F-1,坐席,0,1,你好\n"        # row 7: not visible
               "T-1,老板,9,10,好\n"         # row 8: unknown speaker
               "T-1,坐席,abc,10,好\n")      # row 9: bad start
    result = import_transcripts(body, "t.csv", user=world.user("qa"))
    found = {(e.row, e.column) for e in result.errors}
    assert {(3, "开始"), (4, "开始"), (5, "内容"), (6, "工单号"), (7, "工单号"), (8, "说话方"), (9, "开始")} <= found
    assert Transcript.objects.count() == 0


def test_agent_column_cross_checks_the_contact(world):
    contact(world.agent, "T-1")
    body = "工单号,工号,说话方,开始,结束,内容\nT-1,A9999,坐席,0,1,您好\n".encode()
    result = import_transcripts(body, "t.csv", user=world.user("qa"))
    assert [(e.row, e.column, e.field) for e in result.errors] == [(2, "工号", "agent")]
    assert "A1001" in result.errors[0].message


def test_json_lines_and_broken_encoding(world):
    contact(world.agent, "T-1")
    lines = [{"contact_id": "T-1", "speaker": "agent", "start": 0, "end": 1, "text": "您好"},
             {"contact_id": "T-1", "speaker": "customer", "start": 1, "end": 2, "text": "在吗"}]
    body = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    assert import_transcripts(body, "t.jsonl", user=world.user("qa")).turns == 2
    broken = body.replace("您".encode(), b"\xff\xfe\xfd")
    result = import_transcripts(broken, "t.jsonl", user=world.user("qa"))
    assert result.errors and "UTF-8" in result.errors[0].message
    bad_json = import_transcripts(b'{"contact_id": "T-1",\n', "t.jsonl", user=world.user("qa"))
    assert bad_json.errors[0].row == 1


def test_xlsx_and_missing_columns(world):
    contact(world.agent, "T-1")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Contact ID", "Speaker", "Start", "End", "Text"])
    sheet.append(["T-1", "agent", 0, 1.5, "您好"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert import_transcripts(buffer.getvalue(), "t.xlsx", user=world.user("qa")).turns == 1
    result = import_transcripts("工单号,内容\nT-1,你好\n".encode(), "t.csv", user=world.user("qa"))
    assert {e.field for e in result.errors} == {"speaker", "start", "end"}


def test_only_scoring_roles_import(world):
    contact(world.agent, "T-1")
    result = import_transcripts(csv("T-1,坐席,0,1,您好\n"), "t.csv", user=world.user("lead"))
    assert result.errors and Transcript.objects.count() == 0


def test_import_page_dry_run_then_commit(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contact(world.agent, "T-1")
    client = client_for(world.user("qa"))
    upload = lambda: SimpleUploadedFile("t.csv", csv("T-1,坐席,0,1,您好\n"))  # noqa: E731
    dry = client.post("/quality/transcripts/import/", {"file": upload(), "dry_run": "on"})
    assert dry.status_code == 200 and dry.context["result"].turns == 1
    assert Transcript.objects.count() == 0
    done = client.post("/quality/transcripts/import/", {"file": upload()})
    assert done.status_code == 302 and Transcript.objects.count() == 1
    bad = client.post("/quality/transcripts/import/", {"file": SimpleUploadedFile("t.csv", csv("T-1,坐席,5,1,您好\n"))})
    assert "row 2" in bad.content.decode()


def test_csv_with_broken_encoding_is_refused_whole(world):
    contact(world.agent, "T-1")
    broken = csv("T-1,坐席,0,1,您好\n")[:-4] + b"\xff\xfe\x81\n"
    result = import_transcripts(broken, "t.csv", user=world.user("qa"))
    assert len(result.errors) == 1 and result.errors[0].row == 0
    assert Transcript.objects.count() == 0


def test_import_stores_each_sentence_normalised_and_checks_search_the_stored_text(world):
    from zhiren.quality import services
    from zhiren.quality.rules import normalize

    TranscriptRule.objects.create(site=world.site_a, key="ban", name="禁语", kind="forbidden",
                                  expression={"phrases": ["不归我管"], "speaker": "agent"})
    contact(world.agent, "T-9")
    import_transcripts(csv("T-9,坐席,0,2,您 好！ＶＩＰ\nT-9,客服,3,5,這不歸我管。\n"), "t.csv", user=world.user("qa"))
    transcript = Transcript.objects.get(interaction__external_id="T-9")
    turns = list(transcript.turns.all())
    assert [t.normalized for t in turns] == ["您好vip", "这不归我管"] == [normalize(t.text) for t in turns]
    assert [h.turn.seq for h in transcript.hits.all()] == [1]
    # the check reads the stored form: changed there (and only there), the hit moves
    turns[0].normalized, turns[1].normalized = "这不归我管", "您好"
    Turn.objects.bulk_update(turns, ["normalized"])
    services.check_transcript(transcript)
    assert [h.turn.seq for h in transcript.hits.all()] == [0]
    # turns stored before the normalised text was (None) are normalised when checked
    Turn.objects.filter(transcript=transcript).update(normalized=None)
    services.check_transcript(transcript)
    assert [h.turn.seq for h in transcript.hits.all()] == [1]
