"""The quality demo loader: every kind of row, every dispute stage, rerunnable."""

import pytest

from zhiren.core.registries import demo_loaders
from zhiren.demo.services import load_demo_centre
from zhiren.quality.models import (
    CalibrationSession,
    Dispute,
    Evaluation,
    RuleHit,
    Sample,
    Scorecard,
    Transcript,
)


@pytest.mark.slow
def test_demo_loads_quality_at_every_stage_and_reruns(db, settings):
    settings.DEBUG = True
    assert "quality" in [e.name for e in demo_loaders.entries()]
    load_demo_centre()
    assert set(Scorecard.objects.values_list("channel", flat=True)) == {"voice", "chat", "ticket"}
    assert Transcript.objects.count() == 240
    assert set(RuleHit.objects.values_list("rule__key", flat=True)) >= {
        "greeting", "forbidden", "promise", "silence", "overlap"}
    assert Evaluation.objects.filter(kind="inspection", status="released").count() > 20
    assert Evaluation.objects.filter(kind="inspection", status="submitted").exists()
    assert Sample.objects.exclude(pk__in=Evaluation.objects.filter(sample__isnull=False).values("sample")).exists()  # the queue
    assert set(Dispute.objects.values_list("status", flat=True)) == {
        "open", "accepted", "partly", "rejected", "escalated", "upheld", "overturned"}
    assert CalibrationSession.objects.get().evaluations.count() == 6
    counts = (Evaluation.objects.count(), Transcript.objects.count(), Dispute.objects.count())
    load_demo_centre()
    assert (Evaluation.objects.count(), Transcript.objects.count(), Dispute.objects.count()) == counts
