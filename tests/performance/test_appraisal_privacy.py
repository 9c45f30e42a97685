"""Appraisals and goals stay with the agent, their lead, HR and the site manager; no dead links."""

from __future__ import annotations

from django.urls import reverse

from .permission_cases import _appraisal, _goal


def test_qa_and_trainers_see_no_appraisal_or_goal_of_an_agent(world, client_for):
    appraisal = _appraisal(world, world.agent)
    appraisal.self_review, appraisal.lead_review = "SELF-REVIEW-TEXT", "LEAD-REVIEW-TEXT"
    appraisal.save()
    goal = _goal(world, world.team_a1)["pk"]
    for role in ("qa", "trainer"):
        client = client_for(world.user(role))
        assert client.get(reverse("performance:appraisal_detail", args=[appraisal.pk])).status_code == 404
        assert client.get(reverse("performance:goal_detail", args=[goal])).status_code == 404
        listing = client.get(reverse("performance:cycles")).content.decode()
        assert reverse("performance:cycle_detail", args=[appraisal.cycle_id]) not in listing
    lead = client_for(world.user("lead")).get(reverse("performance:appraisal_detail", args=[appraisal.pk]))
    assert lead.status_code == 200 and "SELF-REVIEW-TEXT" in lead.content.decode()


def test_the_agent_sees_their_appraisal_without_a_link_to_the_cycle_page(world, client_for):
    appraisal = _appraisal(world, world.agent)
    page = client_for(world.user("agent")).get(reverse("performance:cycles")).content.decode()
    assert reverse("performance:appraisal_detail", args=[appraisal.pk]) in page
    assert reverse("performance:cycle_detail", args=[appraisal.cycle_id]) not in page
    manager = client_for(world.user("manager")).get(reverse("performance:cycles")).content.decode()
    assert reverse("performance:cycle_detail", args=[appraisal.cycle_id]) in manager


def test_the_import_button_shows_only_to_those_who_may_import(world, client_for):
    url, target = reverse("performance:overview"), reverse("performance:import")
    for role, shown in (("manager", True), ("admin", True), ("qa", False), ("trainer", False), ("hr", False),
                        ("lead", False)):
        page = client_for(world.user(role)).get(url)
        assert page.status_code == 200
        assert (f'href="{target}"' in page.content.decode()) is shown, role
