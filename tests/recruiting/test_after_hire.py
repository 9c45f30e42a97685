"""The channel report past the hire date: nesting graduation, AHT 60 and 90 days in against
the tenured median, cost per retained hire (pure figures, then from the database)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from zhiren.performance.models import DailyStat
from zhiren.recruiting import channels, selectors
from zhiren.recruiting.models import ChannelCost

from ..factories import AgentFactory
from ..training import helpers as training
from .helpers import candidate

TODAY = dt.date(2026, 3, 11)


def test_graduation_aht_and_cost_per_retained_hire():
    long_ago = TODAY - dt.timedelta(days=120)
    people = [
        # graduated, still here, AHT 330 s at 60 days and 300 s at 90
        channels.Applicant(
            "agency", hired_on=long_ago, nesting=True, aht60=330, aht90=300, cost=100
        ),
        # did not graduate, left on day 40
        channels.Applicant(
            "agency",
            hired_on=long_ago,
            left_on=long_ago + dt.timedelta(days=40),
            nesting=False,
            aht60=390,
            cost=100,
        ),
        # hired 30 days ago: nesting still open, 90 days not known yet
        channels.Applicant(
            "agency", hired_on=TODAY - dt.timedelta(days=30), nesting=None, cost=100
        ),
        channels.Applicant("agency", cost=100),  # not hired, carries its share of the cost
    ]
    row = channels.channel_rows(people, TODAY, tenured_aht=300)[0]
    assert (row.graduation, row.graduation_n) == (0.5, 2)
    assert (row.aht60, row.aht60_n) == (pytest.approx(1.2), 2)  # (330 + 390) / 2 ÷ 300
    assert (row.aht90, row.aht90_n) == (1.0, 1)
    assert (row.cost, row.retained90, row.cost_per_retained) == (400, 1, 400)
    without_median = channels.channel_rows(people, TODAY)[0]
    assert without_median.aht60 is None and without_median.aht60_n == 2
    nobody_stayed = channels.channel_rows(people[1:2], TODAY)[0]
    assert nobody_stayed.cost_per_retained is None  # no hire still here: no figure, not ∞
    assert channels.stayed((90, True)) is False and channels.stayed((90, False)) is True
    assert channels.stayed((89, False)) is None and channels.stayed(None) is None


def test_sjt_bands_are_per_cent_of_the_best_possible():
    people = [channels.Applicant("campus", sjt=s) for s in (0.49, 0.5, 0.845, 0.85, None)]
    rows = {
        r.channel: r.applicants for r in channels.group_rows(people, TODAY, channels.sjt_band_label)
    }
    assert rows == {"< 50 %": 1, "50–69 %": 1, "70–84 %": 1, "≥ 85 %": 1}


@pytest.fixture
def march(_clock):
    _clock.move_to(dt.datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))


def _stat(agent, day, answered, handle):
    DailyStat.objects.create(
        day=day, agent=agent, team=agent.team, channel="voice", answered=answered, handle_sum=handle
    )


@pytest.mark.django_db
def test_the_report_reads_nesting_aht_windows_and_costs(world, client_for, march):
    hired_on = TODAY - dt.timedelta(days=100)
    hire = AgentFactory(team=world.team_a1, hire_date=hired_on)
    c = candidate(
        world.site_a, source="agency", hired_on=hired_on, applied_on=hired_on - dt.timedelta(days=9)
    )
    c.agent = hire
    c.save()
    candidate(world.site_a, source="agency", applied_on=hired_on)  # not hired
    for offset, answered, handle in (
        (29, 10, 9000),  # before the 60-day window
        (30, 10, 4000),
        (59, 10, 2000),  # window 60: 6000 / 20 = 300 s
        (60, 5, 1250),  # window 90: 250 s
        (90, 10, 100),  # after it
    ):
        _stat(hire, hired_on + dt.timedelta(days=offset), answered, handle)
    tenured = AgentFactory(team=world.team_a1, hire_date=TODAY - dt.timedelta(days=400))
    _stat(tenured, TODAY - dt.timedelta(days=3), 10, 2500)  # the tenured median: 250 s
    training.enrolment(hire, status="graduated")
    ChannelCost.objects.create(
        site=world.site_a, source="agency", month=hired_on.replace(day=1), amount=Decimal(3000)
    )
    start = hired_on - dt.timedelta(days=30)
    found = selectors.applicants(world.site_a.__class__.objects.all(), start, TODAY, TODAY)
    hired = next(a for a in found if a.hired_on)
    assert (hired.aht60, hired.aht90, hired.nesting) == (300, 250, True)
    assert [a.cost for a in found] == [1500, 1500]  # 3000 over the channel's two applicants
    report = selectors.channel_report(world.site_a.__class__.objects.all(), start, TODAY, TODAY)
    row = report["rows"][0]
    assert report["tenured_aht"] == 250
    assert (row.graduation, row.aht60, row.aht90) == (1.0, 1.2, 1.0)
    assert (row.retained90, row.cost_per_retained) == (1, 3000)
    page = client_for(world.user("manager")).get(
        reverse("recruiting:report") + f"?from={start.isoformat()}"
    )
    assert "¥3000" in page.content.decode()


@pytest.mark.django_db
def test_a_channel_cost_is_entered_once_a_month(world, client_for):
    client = client_for(world.user("manager"))
    url = reverse("recruiting:costs")
    data = {"site": world.site_a.pk, "source": "job_site", "month": "2026-02-14", "amount": "800"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data | {"amount": "900"}).status_code == 302  # replaces February
    cost = ChannelCost.objects.get()
    assert (cost.month, cost.amount) == (dt.date(2026, 2, 1), Decimal(900))
    bad = client.post(url, data | {"amount": "-5"})
    assert bad.status_code == 200 and bad.context["form"].errors["amount"]
    assert ChannelCost.objects.get().amount == Decimal(900)


def test_listening_comprehension_scores_the_share_correct():
    from zhiren.recruiting import assessments, catalogue

    keys = catalogue.LISTENING_KEYS
    assert assessments.score_comprehension(keys, keys) == (1.0, 5)
    three = dict(keys) | {"want": "a", "order": "x"}
    three.pop("else")  # unanswered counts as wrong
    assert assessments.score_comprehension(keys, three) == (0.4, 2)
    assert assessments.score_comprehension({}, {}) == (None, 0)
    people = [channels.Applicant("campus", listening=s) for s in (0.4, 0.8, 1.0)]
    rows = channels.group_rows(people, TODAY, channels.listening_band_label)
    assert {r.channel: r.applicants for r in rows} == {"< 50 %": 1, "70–84 %": 1, "≥ 85 %": 1}


@pytest.mark.django_db
def test_the_listening_page_stores_the_score(world, client_for):
    from zhiren.recruiting import catalogue
    from zhiren.recruiting.models import AssessmentResult

    c = candidate(world.site_a)
    client = client_for(world.user("hr"))
    url = reverse("recruiting:listening", args=[c.pk])
    page = client.get(url).content.decode()
    assert "<audio controls" in page and catalogue.LISTENING_CLIP_FILE in page
    assert catalogue.LISTENING_MESSAGE not in page  # the transcript is for HR, not the candidate
    answers = dict(catalogue.LISTENING_KEYS) | {"urgent": "a"}  # one wrong
    assert client.post(url, answers).status_code == 302
    result = AssessmentResult.objects.get(candidate=c)
    assert (result.kind, result.score, result.detail["correct"]) == ("listening", 0.8, 4)
    page = client.get(reverse("recruiting:candidate", args=[c.pk])).content.decode()
    assert "4/5 (80%)" in page
