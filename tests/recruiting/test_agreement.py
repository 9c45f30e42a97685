"""Panel agreement of interview scorecards: quality's engine on the cards' ratings."""

import pytest
from django.utils import timezone

from zhiren.quality import agreement
from zhiren.recruiting import selectors

from ..factories import UserFactory
from .helpers import candidate, interview

pytestmark = pytest.mark.django_db


def test_panel_agreement_per_kit_and_per_interviewer(world):
    a, b, late = UserFactory(username="a"), UserFactory(username="b"), UserFactory(username="late")
    first = interview(candidate(world.site_a, stage="screened"), [a, b, late])
    second = interview(candidate(world.site_a, stage="screened"), [a, b])
    second.kit = first.kit
    second.save()
    given = {
        (first, a): {"service": 4, "resilience": 3},
        (first, b): {"service": 4, "resilience": 2},
        (second, a): {"service": 2, "resilience": 5},
        (second, b): {"service": 3, "resilience": 5},
    }
    for (item, person), ratings in given.items():
        item.scorecards.filter(interviewer=person).update(
            ratings=ratings, submitted_at=timezone.now()
        )
    # ``late`` has not submitted: the card does not count.
    first.scorecards.filter(interviewer=late).update(ratings={"service": 1, "resilience": 1})
    found = selectors.panel_agreement([first.kit_id])[first.kit_id]
    # units in (interview, competency) order: (1, resilience), (1, service), (2, resilience), (2, service)
    assert found["units"] == 4
    assert found["alpha"] == pytest.approx(agreement.alpha([[3, 4, 5, 2], [2, 4, 5, 3]], "ordinal"))
    assert found["alpha"] > 0.5  # they mostly agree
    # each differs from the other by 1, 0, 0, 1 → mean 0.5
    assert [(i["name"], i["ratings"], i["difference"]) for i in found["interviewers"]] == [
        ("a", 4, 0.5),
        ("b", 4, 0.5),
    ]


def test_a_kit_without_submitted_cards_has_no_agreement(world):
    item = interview(candidate(world.site_a, stage="screened"), [world.user("lead")])
    assert selectors.panel_agreement([item.kit_id]) == {}
