"""The workspace demo loader: a held huddle, carried-over follow-up, the lead's tasks; rerunnable."""

import pytest

from zhiren.core.registries import demo_loaders
from zhiren.demo.services import load_demo_centre
from zhiren.leadership.models import AgendaItem, Huddle, HuddleStatus, Task


@pytest.mark.slow
def test_demo_loads_the_workspace_and_reruns(db, settings):
    settings.DEBUG = True
    assert "leadership" in [e.name for e in demo_loaders.entries()]
    load_demo_centre()
    assert Huddle.objects.filter(status=HuddleStatus.DONE).exists()
    assert Huddle.objects.filter(status=HuddleStatus.PLANNED).count() >= 2
    assert AgendaItem.objects.filter(carried_from__isnull=False, section="follow_ups").exists()
    assert AgendaItem.objects.filter(own=False).exists()  # the sources found the demo's data
    counts = (Huddle.objects.count(), AgendaItem.objects.count(), Task.objects.count())
    load_demo_centre()
    assert (Huddle.objects.count(), AgendaItem.objects.count(), Task.objects.count()) == counts
