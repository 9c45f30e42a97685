"""Listening with a real clip: the shipped sample and clips the recruiters upload."""

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhiren.recruiting import assessments, catalogue
from zhiren.recruiting.models import AssessmentResult, ListeningClip

from .helpers import SAMPLE_CLIP, candidate, clip, clip_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_shipped_clip_is_a_small_ogg_file():
    data = clip_bytes()
    assert assessments.sniff_audio(data[:16]) == "audio/ogg"
    assert b"OpusHead" in data[:100]
    assert 20_000 < len(data) < 150_000  # 45 s of speech, not a stray empty file
    assert finders.find(catalogue.LISTENING_CLIP_FILE)


def test_audio_is_recognised_by_its_first_bytes():
    assert assessments.sniff_audio(b"RIFF\x00\x00\x00\x00WAVEfmt ") == "audio/wav"
    assert assessments.sniff_audio(b"ID3\x04rest") == "audio/mpeg"
    assert assessments.sniff_audio(b"\x00\x00\x00\x20ftypM4A ") == "audio/mp4"
    assert assessments.sniff_audio(b"<html><body>") is None
    assert assessments.sniff_audio(b"") is None


def test_items_are_typed_as_blocks_with_the_key_starred():
    items, problems = assessments.parse_items(
        "顾客要什么？\na) 退货\n*b) 换新\n\n\n几点回电？\n＊下午三点后\n上午\n"
    )
    assert problems == []
    assert items == [
        {"key": "q1", "text": "顾客要什么？", "options": [("a", "退货"), ("b", "换新")], "answer": "b"},
        {"key": "q2", "text": "几点回电？", "options": [("a", "下午三点后"), ("b", "上午")], "answer": "a"},
    ]
    _items, problems = assessments.parse_items("一个问题\n*只有一个选项\n\n两个都对？\n*是\n*对\n\n没有答案\n甲\n乙")
    assert [(p.line, p.code) for p in problems] == [(1, "options"), (4, "key"), (8, "key")]


@pytest.mark.django_db
def test_the_test_page_plays_the_sample_without_its_transcript(world, client_for):
    c = candidate(world.site_a, world.user("hr"))
    page = client_for(world.user("hr")).get(reverse("recruiting:listening", args=[c.pk]))
    html = page.content.decode()
    assert "<audio controls" in html and SAMPLE_CLIP in html
    assert catalogue.LISTENING_MESSAGE[:20] not in html  # the transcript stays with HR
    answers = dict(catalogue.LISTENING_KEYS) | {"order": "a"}
    response = client_for(world.user("hr")).post(
        reverse("recruiting:listening", args=[c.pk]), answers | {"clip": "sample"}
    )
    assert response.status_code == 302
    result = AssessmentResult.objects.get(candidate=c, kind="listening")
    assert (result.score, result.detail["clip"]) == (0.8, "sample")


def _upload(client, world, data: bytes, name="call.ogg", **fields):
    questions = "顾客要什么？\n退货\n*换新\n\n几点回电？\n上午\n*下午三点后"
    return client.post(
        reverse("recruiting:clips"),
        {
            "site": world.site_a.pk,
            "title": "换货来电",
            "transcript": "喂，你好，我想换个新的……",
            "questions": questions,
            "audio": SimpleUploadedFile(name, data, content_type="audio/ogg"),
            **fields,
        },
    )


@pytest.mark.django_db
def test_a_recruiter_uploads_a_clip_and_a_candidate_takes_it(world, client_for):
    hr = client_for(world.user("hr"))
    assert _upload(hr, world, clip_bytes()).status_code == 302
    item = ListeningClip.objects.get()
    assert (item.content_type, len(item.items), item.items[1]["answer"]) == ("audio/ogg", 2, "b")
    listing = hr.get(reverse("recruiting:clips")).content.decode()
    assert "我想换个新的" in listing  # HR reads the transcript here
    audio = hr.get(reverse("recruiting:clip_audio", args=[item.pk]))
    assert audio["Content-Type"] == "audio/ogg"
    assert b"".join(audio.streaming_content) == clip_bytes()

    c = candidate(world.site_a, world.user("hr"))
    url = reverse("recruiting:listening", args=[c.pk])
    page = hr.get(url, {"clip": item.pk}).content.decode()
    assert reverse("recruiting:clip_audio", args=[item.pk]) in page and "<audio controls" in page
    assert "我想换个新的" not in page and "顾客要什么？" in page
    assert hr.post(url, {"clip": item.pk, "q1": "b", "q2": "a"}).status_code == 302
    result = AssessmentResult.objects.get(candidate=c)
    assert (result.score, result.detail["clip"], result.detail["items"]) == (0.5, item.pk, 2)
    # a clip of another site is not offered for a candidate of this one
    other = candidate(world.site_b, world.user("hr"))
    assert hr.get(reverse("recruiting:listening", args=[other.pk]), {"clip": item.pk}).status_code == 404
    # a clip no longer in use is not offered either
    assert hr.post(reverse("recruiting:clip_toggle", args=[item.pk])).status_code == 302
    assert hr.get(url, {"clip": item.pk}).status_code == 404


@pytest.mark.django_db
def test_an_upload_must_be_small_audio_with_keyed_questions(world, client_for, settings):
    hr = client_for(world.user("hr"))
    fake = _upload(hr, world, b"<html>not audio</html>")
    assert fake.status_code == 200 and fake.context["form"].errors["audio"]
    renamed = _upload(hr, world, clip_bytes(), name="call.mp3")  # Ogg data named .mp3
    assert renamed.context["form"].errors["audio"]
    unkeyed = _upload(hr, world, clip_bytes(), questions="顾客要什么？\n退货\n换新")
    assert "Line 1" in str(unkeyed.context["form"].errors["questions"])
    settings.RECRUITING_CLIP_MAX_MB = 0
    big = _upload(hr, world, clip_bytes())
    assert "larger than" in str(big.context["form"].errors["audio"])
    assert not ListeningClip.objects.exists()


@pytest.mark.django_db
def test_clips_are_for_the_recruiters_of_their_site(world, client_for):
    item = clip(world.site_a)
    for name in ("manager", "lead", "agent"):
        client = client_for(world.user(name))
        assert client.get(reverse("recruiting:clip_audio", args=[item.pk])).status_code == 404
        assert client.get(reverse("recruiting:clips")).status_code == 404
