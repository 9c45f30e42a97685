"""The whole demo centre, then every training page as the demo logins that may open it."""

import pytest
from django.urls import reverse

from zhiren.demo.org_data import DEMO_PASSWORD
from zhiren.demo.services import load_demo_centre
from zhiren.training.models import Case, Cohort, Enrolment, Programme, Quiz, Session, TrainingPlan


@pytest.mark.slow
def test_training_pages_on_the_demo(db, settings, client):
    settings.DEBUG = True
    load_demo_centre()
    assert Case.objects.filter(source="qa").exists()
    cohort = Cohort.objects.get()
    assert cohort.enrolments.count() == 4
    programme = Programme.objects.get(tier="tenured")
    pages = [
        reverse("training:home"),
        reverse("training:programme", args=[programme.pk]),
        reverse("training:effect", args=[programme.pk]),
        reverse("training:cohort", args=[cohort.pk]),
        reverse("training:session", args=[Session.objects.first().pk]),
        reverse("training:quiz_items", args=[Quiz.objects.first().pk]),
        reverse("training:plan", args=[TrainingPlan.objects.get().pk]),
        reverse("training:cases"),
    ] + [reverse("training:enrolment", args=[e.pk]) for e in cohort.enrolments.all()]
    client.post(reverse("accounts:login"), {"username": "trainer", "password": DEMO_PASSWORD})
    for url in pages:
        assert client.get(url).status_code == 200, url
    effect = client.get(reverse("training:effect", args=[programme.pk])).context["effect"]
    assert effect["l2"].value is not None and effect["l2"].n >= 6
    for login in ("agent", "lead", "qa", "manager"):
        client.logout()
        client.post(reverse("accounts:login"), {"username": login, "password": DEMO_PASSWORD})
        assert client.get(reverse("training:home")).status_code == 200, login
    agent_enrolment = Enrolment.objects.filter(agent__user__username="agent").first()
    client.logout()
    client.post(reverse("accounts:login"), {"username": "agent", "password": DEMO_PASSWORD})
    assert client.get(reverse("training:enrolment", args=[agent_enrolment.pk])).status_code == 200
    home = client.get(reverse("training:home"))
    assert home.context["my_certifications"] and home.context["my_attempts"]
