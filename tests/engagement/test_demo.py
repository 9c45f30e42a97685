"""The engagement demo loader: a pulse history with the guard at work, suggestions at every stage, rerunnable."""

import pytest

from zhiren.core.registries import demo_loaders
from zhiren.demo.services import load_demo_centre
from zhiren.engagement import selectors
from zhiren.engagement.anonymity import Reason
from zhiren.engagement.models import (
    ActionItem,
    Response,
    Suggestion,
    SupervisionItem,
    SupervisionMember,
    Survey,
    Wave,
)


@pytest.mark.slow
def test_demo_loads_engagement_and_reruns(db, settings):
    from django.contrib.auth.models import User

    settings.DEBUG = True
    assert "engagement" in [e.name for e in demo_loaders.entries()]
    load_demo_centre()
    pulse = Survey.objects.get(kind="pulse")
    assert pulse.waves.count() == 8
    assert set(Suggestion.objects.values_list("status", flat=True)) == {
        "received",
        "reviewing",
        "adopted",
        "declined",
        "implemented",
    }
    assert Suggestion.objects.filter(anonymous=True, author__isnull=True).exists()
    assert ActionItem.objects.count() == 2
    assert set(SupervisionItem.objects.values_list("status", flat=True)) == {
        "raised",
        "accepted",
        "done",
        "dropped",
    }
    assert SupervisionMember.objects.count() == 3
    from zhiren.engagement.models import Competition, Offboarding, RoleSwap, TeamEvent

    assert TeamEvent.objects.count() == 3 and RoleSwap.objects.count() == 2
    assert Competition.objects.get().published_on is not None
    assert Offboarding.objects.get().main_reason == "schedule"
    agent = User.objects.get(username="agent")
    assert selectors.open_invitations(agent).filter(wave__survey=pulse).exists()
    manager = User.objects.get(username="manager")
    closed = Wave.objects.get(survey=pulse, number=7)
    reasons = {r.label: r.verdict.reason for r in selectors.results(closed, manager).rows}
    assert Reason.CONSECUTIVE_WAVES in reasons.values()
    assert Reason.BELOW_MINIMUM in reasons.values()
    assert selectors.dashboard(agent)["overall"]["adoption"] == pytest.approx(3 / 4)
    counts = (Response.objects.count(), Suggestion.objects.count(), Wave.objects.count())
    load_demo_centre()
    assert (Response.objects.count(), Suggestion.objects.count(), Wave.objects.count()) == counts
