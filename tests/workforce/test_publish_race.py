"""Two drafts of one site published at once get consecutive version numbers, not a 500."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction

from zhiren.workforce.drafts import services
from zhiren.workforce.models import DraftStatus, RosterDraft, ScheduleVersion

from .conftest import next_monday


def _ready_draft(world, start):
    draft = RosterDraft.objects.create(site=world.site_a, start=start, weeks=1, status=DraftStatus.READY,
                                       stage="done", progress=100, result={"coverage": None})
    draft.teams.set([world.team_a1])
    return draft


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections")
@pytest.mark.django_db(transaction=True)
def test_second_publish_waits_for_the_first_and_takes_the_next_number(world):
    start = next_monday()
    first, second = _ready_draft(world, start), _ready_draft(world, start + timedelta(days=7))
    manager = world.user("manager")
    outcome = {}

    def publish_second():
        try:
            outcome["version"] = services.publish_draft(manager, second, second.version).number
        except Exception as exc:  # noqa: BLE001 - the assertion below names it
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        assert services.publish_draft(manager, first, first.version).number == 1
        other = threading.Thread(target=publish_second)
        other.start()
        time.sleep(1.5)  # the second publish reaches the site lock while the first is open
        assert other.is_alive(), "the second publish did not wait for the first"
    other.join(timeout=30)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["version"] == 2
    assert sorted(ScheduleVersion.objects.values_list("number", flat=True)) == [1, 2]
