"""The candidates API: HR pushes and reads applications; duplicates flagged; reads audited."""

import pytest
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.recruiting.models import Candidate

from .helpers import candidate

pytestmark = pytest.mark.django_db

PUSH = {
    "site": "site-a",
    "name": "王小明",
    "phone": "+86 138 0000 9999",
    "source": "job_site",
    "source_detail": "BOSS直聘",
}


def test_hr_pushes_a_candidate_and_a_second_push_is_flagged(world, client_for):
    client = client_for(world.user("hr"))
    response = client.post(reverse("api:candidate-list"), PUSH, content_type="application/json")
    assert response.status_code == 201, response.content
    first = Candidate.objects.get(pk=response.json()["id"])
    assert (first.phone, first.site, first.stage, first.recruiter) == (
        "13800009999",
        world.site_a,
        "applied",
        world.user("hr"),
    )
    again = client.post(reverse("api:candidate-list"), PUSH, content_type="application/json")
    assert again.status_code == 201 and again.json()["duplicate_of"] == first.pk
    bad = client.post(
        reverse("api:candidate-list"), {**PUSH, "site": "nowhere"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "site" in bad.json()


@pytest.mark.parametrize("role", ["agent", "lead", "qa", "trainer", "manager", "admin"])
def test_only_hr_may_push(world, client_for, role):
    response = client_for(world.user(role)).post(
        reverse("api:candidate-list"), PUSH, content_type="application/json"
    )
    assert response.status_code == 404 and not Candidate.objects.exists()


def test_api_reads_are_audited(world, client_for):
    c = candidate(world.site_a)
    client = client_for(world.user("hr"))
    rows = client.get(reverse("api:candidate-list")).json()["results"]
    assert [r["id"] for r in rows] == [c.pk]
    assert client.get(reverse("api:candidate-detail", args=[c.pk])).json()["phone"] == c.phone
    events = AuditEvent.objects.filter(
        object_type="recruiting.candidate", object_id=str(c.pk), action="read"
    )
    assert events.count() == 2 and set(events.values_list("purpose", flat=True)) == {"api"}
    assert (
        client_for(world.user("manager")).get(reverse("api:candidate-list")).json()["results"] == []
    )
