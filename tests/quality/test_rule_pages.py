"""The QA lead's pages for transcript rules and phrase lists: checked on save, audit-logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiren.audit.models import AuditEvent
from zhiren.quality import services
from zhiren.quality.models import PhraseList, TranscriptRule
from zhiren.quality.rules import Turn

pytestmark = pytest.mark.django_db

RULE = {
    "key": "greeting",
    "name": "开场问候",
    "kind": "required",
    "speaker": "",
    "threshold": "",
    "criterion_key": "greet",
    "suggested_answer": "no",
    "targets_sampling": "on",
    "active": "on",
}


def _lead(client_for, world, language="en"):
    client = client_for(world.user("qa"))
    client.cookies["django_language"] = language
    return client


def test_the_qa_lead_creates_a_rule_that_the_checks_then_use(world, client_for):
    client = _lead(client_for, world)
    response = client.post(
        reverse("quality:rule_create"),
        {
            **RULE,
            "site": world.site_a.pk,
            "expression_text": '{"phrases": ["您好"], "speaker": "agent", "first": 15}',
        },
    )
    assert response.status_code == 302 and response.url == reverse("quality:rules")
    rule = TranscriptRule.objects.get(site=world.site_a, key="greeting")
    assert rule.expression == {"phrases": ["您好"], "speaker": "agent", "first": 15}
    assert (rule.version, rule.updated_by, rule.criterion_key) == (1, world.user("qa"), "greet")
    event = AuditEvent.objects.get(object_type__icontains="transcriptrule", object_id=str(rule.pk))
    assert event.action == "create" and event.actor == world.user("qa")
    rule_set, _rules = services.ruleset_for(world.site_a.pk)
    assert [h.rule for h in rule_set.check([Turn("agent", 0, 2, "喂？")])] == ["greeting"]
    assert rule_set.check([Turn("agent", 0, 2, "您 好！")]) == []
    listing = client.get(reverse("quality:rules")).content.decode()
    assert "开场问候" in listing and "Required phrases" in listing


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            '{"phrases": ["您好"], "speaker": "agent",}',
            "The expression is not valid JSON at line 1, column 40: Expecting property name enclosed in double quotes.",
        ),
        (
            '{"all": [{"phrases": ["您好"]}, {"phrases": ["工号"], "speaker": "agnet"}]}',
            "“agnet” is not a speaker (agent or customer) (at all[1].speaker).",
        ),
        (
            '{"near": [{"phrases": ["投诉"]}], "within": 2}',
            "“near” takes a list of two expressions (at near).",
        ),
        (
            '{"any": [{"list": "polite"}]}',
            "There is no phrase list “polite” in use at this site (at any[0].list).",
        ),
        ('{"phrase": ["您好"]}', "An expression with the keys phrase is none the rules know"),
        ("", "A rule of this kind needs an expression."),
    ],
)
def test_a_bad_expression_is_refused_naming_what_and_where_and_keeps_what_was_typed(
    world, client_for, typed, message
):
    rule = TranscriptRule.objects.create(
        site=world.site_a,
        key="greeting",
        name="开场问候",
        kind="required",
        expression={"phrases": ["您好"]},
        version=3,
    )
    client = _lead(client_for, world)
    response = client.post(
        reverse("quality:rule_edit", args=[rule.pk]),
        {**RULE, "name": "改过的名字", "expression_text": typed, "version": 3},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors["expression_text"]), form.errors
    assert form["expression_text"].value() == typed and form["name"].value() == "改过的名字"
    rule.refresh_from_db()
    assert (rule.name, rule.expression, rule.version) == ("开场问候", {"phrases": ["您好"]}, 3)
    assert not AuditEvent.objects.filter(object_type__icontains="transcriptrule").exists()


def test_the_message_is_in_the_pages_language(world, client_for):
    client = _lead(client_for, world, "zh-hans")
    response = client.post(
        reverse("quality:rule_create"),
        {**RULE, "site": world.site_a.pk, "expression_text": '{"phrases": ["您好"], "first": -5}'},
    )
    errors = response.context["form"].errors["expression_text"]
    assert errors == ["“first” 是秒数，须大于 0（位置：first）。"]


def test_a_timing_rule_needs_a_threshold(world, client_for):
    client = _lead(client_for, world)
    response = client.post(
        reverse("quality:rule_create"),
        {**RULE, "site": world.site_a.pk, "kind": "silence", "expression_text": ""},
    )
    assert response.context["form"].errors["threshold"] == [
        "A rule of this kind needs a threshold above 0."
    ]
    response = client.post(
        reverse("quality:rule_create"),
        {
            **RULE,
            "site": world.site_a.pk,
            "kind": "silence",
            "threshold": "8",
            "expression_text": "",
        },
    )
    assert response.status_code == 302
    assert TranscriptRule.objects.get(key="greeting").threshold == 8


def test_a_key_is_unique_per_site_and_sites_are_the_leads_own(world, client_for):
    TranscriptRule.objects.create(
        site=world.site_a,
        key="greeting",
        name="x",
        kind="required",
        expression={"phrases": ["您好"]},
    )
    client = _lead(client_for, world)
    response = client.post(
        reverse("quality:rule_create"),
        {**RULE, "site": world.site_a.pk, "expression_text": '{"phrases": ["您好"]}'},
    )
    assert response.context["form"].errors["key"] == ["This site already has a rule with this key."]
    response = client.post(
        reverse("quality:rule_create"),
        {**RULE, "site": world.site_b.pk, "expression_text": '{"phrases": ["您好"]}'},
    )
    assert "site" in response.context["form"].errors  # site B is not the QA lead's
    assert not TranscriptRule.objects.filter(site=world.site_b).exists()


def test_editing_a_phrase_list_changes_the_rules_that_name_it(world, client_for):
    phrases = PhraseList.objects.create(site=world.site_a, name="forbidden", phrases=["不知道"])
    TranscriptRule.objects.create(
        site=world.site_a,
        key="taboo",
        name="服务禁语",
        kind="forbidden",
        expression={"list": "forbidden", "speaker": "agent"},
    )
    client = _lead(client_for, world)
    page = client.get(reverse("quality:phrase_list_edit", args=[phrases.pk]))
    assert page.context["form"]["phrases_text"].value() == "不知道"
    response = client.post(
        reverse("quality:phrase_list_edit", args=[phrases.pk]),
        {
            "name": "forbidden",
            "phrases_text": "不知道\n  這不歸我管 \n\n不知道",
            "active": "on",
            "version": 0,
        },
    )
    assert response.status_code == 302
    phrases.refresh_from_db()
    assert (phrases.phrases, phrases.version) == (["不知道", "這不歸我管"], 1)
    assert AuditEvent.objects.filter(object_type__icontains="phraselist", action="update").exists()
    rule_set, _rules = services.ruleset_for(world.site_a.pk)
    assert [h.rule for h in rule_set.check([Turn("agent", 0, 2, "这不归我管")])] == ["taboo"]


def test_a_list_that_a_rule_in_use_names_cannot_be_taken_out_of_use(world, client_for):
    phrases = PhraseList.objects.create(site=world.site_a, name="forbidden", phrases=["不知道"])
    rule = TranscriptRule.objects.create(
        site=world.site_a,
        key="taboo",
        name="服务禁语",
        kind="forbidden",
        expression={"list": "forbidden"},
    )
    client = _lead(client_for, world)
    url = reverse("quality:phrase_list_edit", args=[phrases.pk])
    response = client.post(
        url, {"name": "forbidden", "phrases_text": "不知道", "version": 0}
    )  # "in use" unticked
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Rule “taboo”: there is no phrase list “forbidden” in use at this site (at list)."
    ]
    emptied = client.post(
        url, {"name": "forbidden", "phrases_text": "", "active": "on", "version": 0}
    )
    assert (
        "Rule “taboo”: an expression needs at least one phrase."
        in emptied.context["form"].non_field_errors()
    )
    phrases.refresh_from_db()
    assert (phrases.active, phrases.phrases) == (True, ["不知道"])
    rule.active = False
    rule.save()
    assert (
        client.post(url, {"name": "forbidden", "phrases_text": "不知道", "version": 0}).status_code
        == 302
    )
    phrases.refresh_from_db()
    assert phrases.active is False
    assert (
        services.ruleset_for(world.site_a.pk)[0].rules == []
    )  # the checks still read: no rule in use


def test_saving_needs_the_qa_lead_of_the_site(world):
    from django.core.exceptions import PermissionDenied

    rule = TranscriptRule(
        site=world.site_b, key="x", name="x", kind="required", expression={"phrases": ["您好"]}
    )
    with pytest.raises(PermissionDenied):
        services.save_rule(rule, user=world.user("qa"), opened_at=None)
    with pytest.raises(PermissionDenied):
        services.save_rule(
            TranscriptRule(
                site=world.site_a,
                key="x",
                name="x",
                kind="required",
                expression={"phrases": ["您好"]},
            ),
            user=world.user("lead"),
            opened_at=None,
        )
