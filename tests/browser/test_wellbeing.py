from __future__ import annotations

import pytest

from ..world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_checks_in_on_a_phone_in_a_few_taps(page_for):
    from zhiren.wellbeing.models import MoodEntry

    world = build_world()
    page = page_for("agent", viewport={"width": 390, "height": 844})
    # Tap 1: a face on the home card saves the mood at once.
    page.get_by_test_id("home-face-2").click()
    page.wait_for_url("**/wellbeing/check-in/")
    entry = MoodEntry.objects.get(agent=world.agent)
    assert entry.score == 2
    # Taps 2–3: a cause, then save.
    page.get_by_test_id("cause-workload").click()
    page.get_by_test_id("check-in-save").click()
    page.wait_for_url("**/")
    entry.refresh_from_db()
    assert entry.causes == ["workload"] and entry.score == 2
    assert page.get_by_test_id("mood-today").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
