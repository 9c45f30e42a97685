"""KPI target editing: scope, fallbacks, validation, audit, and the dashboards using the values."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.performance.models import KpiTarget
from zhiren.performance.selectors import targets_for

pytestmark = pytest.mark.django_db


def test_manager_sets_and_clears_a_team_target_and_the_team_page_uses_it(world, client_for):
    client = client_for(world.user("manager"))
    url = reverse("performance:team_targets", kwargs={"pk": world.team_a1.pk})
    assert client.post(url, {"csat": "90", "aht": "300"}).status_code == 302
    assert targets_for([world.team_a1.pk])[world.team_a1.pk]["csat"] == 90
    assert targets_for([world.team_a2.pk]).get(world.team_a2.pk) is None  # other teams keep the default
    event = AuditEvent.objects.get(object_type="performance.kpitarget")
    assert event.object_id == str(world.team_a1.pk) and event.fields == ["aht", "csat"]
    page = client.get(reverse("performance:team", kwargs={"pk": world.team_a1.pk})).content.decode()
    assert "90.0%" in page  # the CSAT card's target
    # Blank removes the team's own value: the default (85 %) applies again.
    assert client.post(url, {"aht": "300"}).status_code == 302
    assert targets_for([world.team_a1.pk])[world.team_a1.pk]["csat"] == 85
    assert list(KpiTarget.objects.values_list("kpi", flat=True)) == ["aht"]
    # Saving the same values again changes and audits nothing.
    assert client.post(url, {"aht": "300"}).status_code == 302
    assert AuditEvent.objects.filter(object_type="performance.kpitarget").count() == 2


def test_manager_may_not_touch_other_sites_or_the_defaults(world, client_for):
    client = client_for(world.user("manager"))
    assert client.get(reverse("performance:team_targets", kwargs={"pk": world.team_b1.pk})).status_code == 404
    assert client.post(reverse("performance:targets"), {"aht": "1"}).status_code == 404
    page = client.get(reverse("performance:targets")).content.decode()
    assert world.team_a1.name in page and world.team_b1.name not in page
    assert 'data-testid="default-targets"' not in page
    assert not KpiTarget.objects.exists()


def test_admin_sets_defaults_and_team_values_override_them(world, client_for):
    client = client_for(world.user("admin"))
    assert client.post(reverse("performance:targets"), {"aht": "330", "csat": "80"}).status_code == 302
    url = reverse("performance:team_targets", kwargs={"pk": world.team_b1.pk})
    assert client.post(url, {"csat": "88"}).status_code == 302
    targets = targets_for([world.team_a1.pk, world.team_b1.pk])
    assert targets[None]["aht"] == 330 and targets[None]["fcr"] == 75  # unset: the built-in default
    assert targets[world.team_b1.pk]["csat"] == 88 and targets[world.team_b1.pk]["aht"] == 330
    assert targets.get(world.team_a1.pk, targets[None])["csat"] == 80


def test_out_of_range_targets_are_refused_and_nothing_is_saved(world, client_for):
    client = client_for(world.user("manager"))
    client.cookies["django_language"] = "en"
    url = reverse("performance:team_targets", kwargs={"pk": world.team_a1.pk})
    response = client.post(url, {"aht": "300", "csat": "150"})
    assert response.status_code == 200
    assert "between 0 and 100" in response.content.decode()
    assert not KpiTarget.objects.exists()
