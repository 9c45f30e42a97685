"""No lost update: a form opened before someone else saved is refused, with what changed, entries kept."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from zhiren.people.models import AgentProfile


def _browser(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def _opened_version(page) -> str:
    return re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)


PROFILE = {"career_aspiration": "", "job_fit": "", "likes": "", "gift_ideas": "", "personality_notes": "",
           "dates-TOTAL_FORMS": "0", "dates-INITIAL_FORMS": "0"}


def test_profile_edit_from_an_older_form_is_refused_and_keeps_what_was_typed(world):
    url = reverse("people:profile_edit", args=[world.agent.pk])
    hr, lead = _browser(world.user("hr")), _browser(world.user("lead"))
    hr_version, lead_version = _opened_version(hr.get(url)), _opened_version(lead.get(url))
    assert hr_version == lead_version == "0"

    saved = hr.post(url, {**PROFILE, "likes": "green tea", "version": hr_version})
    assert saved.status_code == 302
    assert AgentProfile.objects.get(agent=world.agent).version == 1

    stale = lead.post(url, {**PROFILE, "gift_ideas": "a plant", "version": lead_version})
    assert stale.status_code == 200
    body = stale.content.decode()
    assert "saved this after you opened it" in body
    assert "Likes: saved “green tea”, yours “—”" in body
    assert "a plant" in body  # what the lead typed is still in the form
    assert _opened_version(stale) == "1"  # the form now carries the stored version
    profile = AgentProfile.objects.get(agent=world.agent)
    assert (profile.likes, profile.gift_ideas, profile.version) == ("green tea", "", 1)

    again = lead.post(url, {**PROFILE, "likes": "green tea", "gift_ideas": "a plant", "version": "1"})
    assert again.status_code == 302
    profile.refresh_from_db()
    assert (profile.likes, profile.gift_ideas, profile.version) == ("green tea", "a plant", 2)


@pytest.mark.parametrize("version", ["", None])
def test_a_post_without_a_version_is_not_checked(world, version):
    """Scripts and old pages that send no version keep working (last write wins, as before)."""
    url = reverse("people:profile_edit", args=[world.agent.pk])
    hr = _browser(world.user("hr"))
    assert hr.post(url, {**PROFILE, "likes": "tea", "version": "0"}).status_code == 302
    data = {**PROFILE, "likes": "coffee"}
    if version is not None:
        data["version"] = version
    assert hr.post(url, data).status_code == 302
    assert AgentProfile.objects.get(agent=world.agent).likes == "coffee"


# --- every versioned edit form, driven by the values the page itself renders -------------------


class _FormValues(HTMLParser):
    """The values a browser would submit for the page's first POST form with a ``version`` field."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {}
        if tag == "option" and self._form is not None and self._select:
            pass
        elif self._form is None or not a.get("name"):
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._form[name] = a.get("value", "")
        elif tag == "select":
            self._select, self._first_option = name, None
            self._form.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = name
            self._form[name] = ""
        if tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self._form[self._select].append(a.get("value", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._form[self._select] and self._first_option is not None:  # a browser sends the first
                self._form[self._select] = [self._first_option]
            self._select = None
        elif tag == "textarea" and self._textarea:
            value = self._form[self._textarea]  # a browser drops the newline right after <textarea>
            self._form[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _form_values(page) -> dict:
    parser = _FormValues()
    parser.feed(page.content.decode())
    form = next(f for f in parser.forms if "version" in f)
    form.pop("csrfmiddlewaretoken", None)
    return form


def _draft_rule(w):
    from ..discipline.permission_cases import draft_a1

    return reverse("discipline:rule_edit", kwargs=draft_a1(w)), "lead", "title"


def _role(w):
    from ..placement.permission_cases import _role

    return reverse("placement:role_edit", kwargs={"pk": _role().pk}), "manager", "description"


def _question(w):
    from zhiren.coaching.models import GrowQuestion

    return reverse("coaching:question_edit", kwargs={"pk": GrowQuestion.objects.first().pk}), "trainer", "text_en"


def _queue(w):
    from ..workforce.permission_cases import _queue

    return reverse("workforce:queue_edit", kwargs={"pk": _queue(w).pk}), "manager", "name"


def _shift_template(w):
    from ..workforce.permission_cases import _template

    return reverse("workforce:template_edit", kwargs={"pk": _template(w).pk}), "manager", "name"


def _event(w):
    from ..workforce.permission_cases import _event

    return reverse("workforce:event_edit", kwargs={"pk": _event(w).pk}), "manager", "name"


def _transcript_rule(w):
    from ..quality.permission_cases import _rule

    return reverse("quality:rule_edit", kwargs=_rule(w)), "qa", "name"


def _phrase_list(w):
    from ..quality.permission_cases import _phrase_list

    return reverse("quality:phrase_list_edit", kwargs=_phrase_list(w)), "qa", "phrases_text"


@pytest.mark.parametrize("target", [_draft_rule, _role, _question, _queue, _shift_template, _event,
                                    _transcript_rule, _phrase_list],
                         ids=["rule", "role", "question", "queue", "shift-template", "forecast-event",
                              "transcript-rule", "phrase-list"])
def test_every_versioned_form_refuses_a_stale_save(world, target):
    url, role, field = target(world)
    first, second = _browser(world.user(role)), _browser(world.user(role))  # two tabs, or two people
    mine, theirs = _form_values(first.get(url)), _form_values(second.get(url))
    assert mine["version"] == theirs["version"]

    assert first.post(url, {**mine, field: "Changed in the first tab"}).status_code == 302
    stale = second.post(url, {**theirs, field: "Typed in the second tab"})
    assert stale.status_code == 200, stale.content.decode()[:500]
    body = stale.content.decode()
    assert "saved this after you opened it" in body and "saved “Changed in the first tab”" in body
    assert "Typed in the second tab" in body
    retry = _form_values(stale)
    assert int(retry["version"]) == int(theirs["version"]) + 1
    assert second.post(url, retry).status_code == 302
    assert "Typed in the second tab" in second.get(url).content.decode()


def test_a_draft_changed_after_it_was_read_is_not_announced(world):
    from zhiren.discipline.models import Rule

    from ..discipline.permission_cases import draft_a1

    pk = draft_a1(world)["pk"]
    edit, detail = reverse("discipline:rule_edit", args=[pk]), reverse("discipline:rule_detail", args=[pk])
    writer, announcer = _browser(world.user("lead")), _browser(world.user("lead"))
    read = re.search(r'name="version" value="(\d+)"', announcer.get(detail).content.decode()).group(1)
    assert writer.post(edit, {**_form_values(writer.get(edit)), "title": "Stricter terms"}).status_code == 302

    refused = announcer.post(reverse("discipline:rule_announce", args=[pk]),
                             {"on": "2026-03-12", "grace_days": "7", "version": read})
    assert refused.status_code == 200 and "saved this after you opened it" in refused.content.decode()
    assert Rule.objects.get(pk=pk).announced_on is None
    again = re.search(r'name="version" value="(\d+)"', refused.content.decode()).group(1)
    assert int(again) == int(read) + 1
    assert announcer.post(reverse("discipline:rule_announce", args=[pk]),
                          {"on": "2026-03-12", "grace_days": "7", "version": again}).status_code == 302
    assert Rule.objects.get(pk=pk).title == "Stricter terms" and Rule.objects.get(pk=pk).announced_on is not None


def test_site_rules_edited_from_an_older_form_are_refused(world):
    from zhiren.workforce.models import SiteRules

    url = reverse("workforce:rules_edit", args=[world.site_a.pk])
    first, second = _browser(world.user("manager")), _browser(world.user("admin"))
    mine, theirs = _form_values(first.get(url)), _form_values(second.get(url))
    assert first.post(url, {**mine, "max_minutes_per_week": "2640"}).status_code == 302
    stale = second.post(url, {**theirs, "max_minutes_per_week": "2400"})
    assert stale.status_code == 200 and "saved this after you opened it" in stale.content.decode()
    assert SiteRules.objects.get(site=world.site_a).max_minutes_per_week == 2640


def test_a_duplicate_queue_code_is_a_form_error_not_a_server_error(world):
    from zhiren.workforce.models import Queue

    from ..workforce.permission_cases import _queue as make_queue

    make_queue(world)
    other = Queue.objects.create(site=world.site_a, code="other", name="售前")
    url = reverse("workforce:queue_edit", args=[other.pk])
    manager = _browser(world.user("manager"))
    response = manager.post(url, {**_form_values(manager.get(url)), "code": "q"})
    assert response.status_code == 200
    assert "This site already has one with this name or code" in response.content.decode()
    assert Queue.objects.get(pk=other.pk).code == "other"


def test_an_import_raises_the_version_so_a_form_opened_before_it_is_refused(world):
    """No import writes a versioned model today; the spec's update keeps the rule for any that will."""
    from zhiren.core.versioning import StaleEdit, claim_version
    from zhiren.imports.spec import ImportContext, ImportSpec

    class ProfileSpec(ImportSpec):
        kind = "profiles"
        model = AgentProfile

    profile = AgentProfile.objects.create(agent=world.agent, likes="tea")
    opened_at = AgentProfile.objects.get(pk=profile.pk).version  # a form opens here
    profile.likes = "coffee"
    ProfileSpec().update([profile], ["likes"], ImportContext())

    stored = AgentProfile.objects.get(pk=profile.pk)
    assert (stored.likes, stored.version) == ("coffee", opened_at + 1)
    stale = AgentProfile.objects.get(pk=profile.pk)
    with pytest.raises(StaleEdit):
        claim_version(stale, opened_at)
