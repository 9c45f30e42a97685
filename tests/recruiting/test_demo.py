"""The recruiting demo: five channels with planted differences in retention and QA, rerunnable."""

from django.utils import timezone

from zhiren.core.registries import demo_loaders
from zhiren.demo.services import load_demo_centre
from zhiren.org.models import Agent, Site
from zhiren.recruiting import selectors
from zhiren.recruiting.models import Candidate

from ..quality.helpers import scorecard


def test_demo_plants_a_channel_story_and_reruns(db, settings):
    settings.DEBUG = True
    loaders = {e.name: e.value for e in demo_loaders.entries()}
    assert "recruiting" in loaders

    def voice_card(context):
        scorecard(Site.objects.get(code="hz"))

    with demo_loaders.replaced(
        [("org", loaders["org"]), ("card", voice_card), ("recruiting", loaders["recruiting"])]
    ):
        load_demo_centre()
        site = Site.objects.filter(code="hz")
        today = timezone.localdate()
        report = selectors.channel_report(site, today - timezone.timedelta(days=365), today, today)
        rows = {r.channel: r for r in report["rows"]}
        assert set(rows) == {"referral", "campus", "job_site", "agency", "labour_market"}
        ninety = {c: {x.day: x for x in r.retention}[90].value for c, r in rows.items()}
        assert ninety["referral"] > ninety["labour_market"] + 0.2
        assert rows["referral"].qa_mean > rows["labour_market"].qa_mean + 8
        assert all(r.qa_n > 0 for r in rows.values())
        assert report["typing_qa"].enough and report["typing_qa"].r > 0
        cost = {c: r.cost_per_retained for c, r in rows.items()}
        assert cost["labour_market"] > cost["referral"]  # cheap to run, dear per hire kept
        assert {"interviewed", "rejected", "withdrawn", "onboarded"} <= set(
            Candidate.objects.values_list("stage", flat=True)
        )
        names = list(Agent.objects.values_list("name", flat=True))
        assert len(set(names)) == len(names) and all(
            2 <= len(n) <= 3 for n in names
        )  # as the demo centre asks
        assert not Agent.objects.filter(birthday__isnull=True).exists()
        counts = Candidate.objects.count()
        load_demo_centre()
        assert Candidate.objects.count() == counts
