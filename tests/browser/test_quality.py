"""Quality (质检) in the browser, in zh-Hans and English: scoring beside the transcript with a
rule's suggested answer, the agent's dispute, the QA lead's final ruling, a calibration's alpha,
and the QA lead editing a transcript rule."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from ..quality.helpers import contact, scorecard
from ..world import build_world
from . import pages
from .pages import open_as, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "en"]
# Latin words allowed on a Chinese page: proper names and abbreviations used as they are.
LATIN_OK = {"CSAT", "ICC", "Krippendorff", "QA", "Zhiren", "English"}
TRANSCRIPT = (
    "contact_id,speaker,start,end,text\n"
    "{ext},agent,0,4,您好，很高兴为您服务\n"
    "{ext},customer,5,9,我的订单三天了还没发货\n"
    "{ext},agent,10,15,我帮您查一下物流，请稍等\n"
)


def visit(page, url: str, lang: str) -> None:
    pages.visit(page, url, lang, allowed=LATIN_OK)


def assert_no_english(page, allowed=()) -> None:
    pages.assert_no_english(page, (*LATIN_OK, *allowed))










def scoring_world():
    """A contact with an imported transcript that never checks identity: the rule suggests 'no'."""
    from zhiren.quality.models import TranscriptRule
    from zhiren.quality.transcripts import import_transcripts

    world = build_world()
    scorecard(world.site_a)
    TranscriptRule.objects.create(site=world.site_a, key="verify", name="未核实身份", kind="required",
                                  expression={"phrases": ["身份证后四位", "手机号"], "speaker": "agent"},
                                  criterion_key="verify", suggested_answer="no")
    interaction = contact(world.agent, "C-9001")
    result = import_transcripts(TRANSCRIPT.format(ext="C-9001").encode(), "t.csv", user=world.user("qa"))
    assert not result.errors, result.errors
    return world, interaction


@pytest.mark.parametrize("lang", LANGUAGES)
def test_inspector_scores_beside_the_transcript_and_confirms_a_suggestion(page_for, live_server, lang):
    from zhiren.quality.models import Evaluation

    world, interaction = scoring_world()
    page = open_as(page_for, live_server, "qa", lang)
    visit(page, f"{live_server.url}/quality/contacts/{interaction.pk}/score/", lang)
    transcript = page.get_by_test_id("transcript")
    assert page.get_by_test_id("turn").count() == 3
    assert "我的订单三天了还没发货" in transcript.inner_text()
    with translation.override(lang):
        customer = translation.pgettext("transcript speaker", "Customer")
    assert f"{customer}: 我的订单三天了还没发货" in transcript.inner_text()
    if lang == "zh-hans":
        assert "客户: 我的订单" in transcript.inner_text()
    assert "未核实身份" in page.get_by_test_id("hit").inner_text()
    # The rule's hit pre-fills the identity check with "no", shown in the page's language.
    suggested = page.get_by_test_id("criterion-verify").get_by_test_id("suggested").inner_text()
    assert f"{t(lang, 'suggested')}: {t(lang, 'No')}" in suggested and "未核实身份" in suggested
    answer = page.locator("select[name=answer-verify]")
    expect(answer).to_have_value("no")
    assert answer.locator("option:checked").inner_text() == t(lang, "No")
    # The inspector confirms the suggestion and answers the rest.
    page.select_option("select[name=answer-greet]", "yes")
    page.fill("input[name=answer-accuracy]", "40")
    page.select_option("select[name=answer-courtesy]", "5")
    page.fill("input[name=comment-verify]", "全程未核实身份")
    page.get_by_test_id("save-evaluation").click()
    page.wait_for_url("**/quality/evaluations/*/")
    evaluation = Evaluation.objects.get(interaction=interaction)
    assert evaluation.answers["verify"] == {"answer": "no", "comment": "全程未核实身份"}
    assert evaluation.critical_failed and evaluation.inspector == world.user("qa")
    # A critical failure at total level: the whole score is 0.
    assert page.get_by_test_id("score").inner_text() == "0.00"
    assert page.get_by_test_id("answer-verify").inner_text() == t(lang, "No")
    assert page.get_by_test_id("answer-greet").inner_text() == t(lang, "Yes")
    if lang == "zh-hans":
        assert_no_english(page)
    # Waiting for review: the QA lead (QA at site scope) releases it to the agent.
    page.get_by_test_id("release").click()
    expect(page.get_by_test_id("release")).to_have_count(0)
    evaluation.refresh_from_db()
    assert evaluation.status == "released"


def released_evaluation(world):
    from zhiren.quality import services

    version = scorecard(world.site_a).current()
    answers = {"greet": {"answer": "yes"}, "verify": {"answer": "yes"}, "accuracy": {"answer": 30},
               "courtesy": {"answer": 3}}  # 10 + 20 + 30 + 10 = 70
    evaluation = services.submit_evaluation(contact(world.agent, "C-9002"), version, answers, user=world.user("qa"))
    return services.release(evaluation, user=world.user("qa"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_agent_disputes_a_criterion_and_the_qa_lead_gives_the_final_ruling(page_for, live_server, lang):
    from zhiren.quality import services
    from zhiren.quality.models import Dispute

    world = build_world()
    evaluation = released_evaluation(world)
    url = f"{live_server.url}/quality/evaluations/{evaluation.pk}/"

    # The agent sees the released result and disputes one criterion; the comment is required.
    page = open_as(page_for, live_server, "agent", lang)
    visit(page, url, lang)
    assert page.get_by_test_id("score").inner_text() == "70.00"
    assert page.get_by_test_id("status").inner_text() == t(lang, "Released")
    assert page.get_by_test_id("transcript").count() == 0  # agents never see transcripts
    form = page.get_by_test_id("dispute-form")
    form.locator("select[name=criterion]").select_option("accuracy")
    page.get_by_test_id("raise-dispute").click()
    assert form.locator("textarea[name=comment]:invalid").count() == 1
    assert not Dispute.objects.exists()
    form.locator("textarea[name=comment]").fill("已经给出正确的退款时效")
    page.get_by_test_id("raise-dispute").click()
    expect(page.get_by_test_id("dispute")).to_have_count(1)
    dispute = Dispute.objects.get()
    assert (dispute.criterion_key, dispute.status) == ("accuracy", "open")
    card = page.get_by_test_id("dispute").inner_text()
    assert "准确" in card and "已经给出正确的退款时效" in card and t(lang, "Dispute") in card
    if lang == "zh-hans":
        assert_no_english(page)

    # The inspector rejects it; the agent takes it to the QA lead.
    services.reply_dispute(dispute, user=world.user("qa"), outcome="rejected", reply="时效说错了一天")
    page.reload()
    page.get_by_test_id("escalate-form").locator("textarea[name=comment]").fill("请质检主管复核录音")
    page.get_by_test_id("escalate").click()
    expect(page.get_by_test_id("escalate")).to_have_count(0)
    dispute.refresh_from_db()
    assert dispute.status == "escalated"

    # The QA lead (the site manager) overturns it: 终审, and the history says why.
    lead = open_as(page_for, live_server, "manager", lang)
    visit(lead, url, lang)
    ruling = lead.get_by_test_id("ruling-form")
    expect(ruling.locator("select[name=criterion]")).to_have_value("accuracy")
    ruling.locator("input[name=overturn]").check()
    ruling.locator("input[name=answer]").fill("50")
    ruling.locator("textarea[name=ruling]").fill("录音核实：时效说明正确")
    lead.get_by_test_id("rule").click()
    expect(lead.get_by_test_id("ruling-form")).to_have_count(0)
    assert lead.get_by_test_id("score").inner_text() == "90.00"
    status = lead.get_by_test_id("dispute-status").inner_text()
    assert t(lang, "Final: score changed") in status
    card = lead.get_by_test_id("dispute").inner_text()
    assert f"{t(lang, 'Final ruling')}: 录音核实：时效说明正确" in card
    change = lead.get_by_test_id("change").inner_text()
    assert "70.00 → 90.00" in change and "录音核实：时效说明正确" in change
    if lang == "zh-hans":
        assert "终审" in card
        assert_no_english(lead)
    dispute.refresh_from_db()
    assert dispute.status == "overturned" and dispute.ruled_by == world.user("manager")
    # The agent sees the new score and its history.
    visit(page, url, lang)
    assert page.get_by_test_id("score").inner_text() == "90.00"
    assert "70.00 → 90.00" in page.get_by_test_id("history").inner_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_calibration_results_show_krippendorffs_alpha(page_for, live_server, lang):
    from tests.factories import UserFactory, grant
    from zhiren.quality import services
    from zhiren.quality.calibration import results
    from zhiren.quality.models import CalibrationSession

    world = build_world()
    version = scorecard(world.site_a).current()
    bench = world.user("qa")
    other = UserFactory(username="qa2", first_name="", last_name="")
    grant(other, "qa", teams=[world.team_a1])
    session = CalibrationSession.objects.create(site=world.site_a, name="三月校准", version=version, benchmark=bench,
                                                held_on=world_day(), closed=True)
    session.inspectors.add(bench, other)
    plan = {bench: [("yes", 5), ("yes", 3), ("no", 1)], other: [("yes", 4), ("no", 3), ("no", 1)]}
    contacts = [contact(world.agent) for _ in range(3)]
    session.interactions.add(*contacts)
    for user, answers in plan.items():
        for interaction, (greet, courtesy) in zip(contacts, answers, strict=True):
            services.submit_evaluation(interaction, version, {
                "greet": {"answer": greet}, "verify": {"answer": "yes"}, "accuracy": {"answer": 40},
                "courtesy": {"answer": courtesy}}, user=user, kind="calibration", calibration=session)
    alpha = {row["key"]: row["alpha"] for row in results(session)["criteria"]}
    assert alpha["greet"] == pytest.approx(4 / 9)

    page = open_as(page_for, live_server, "manager", lang)
    visit(page, f"{live_server.url}/quality/calibration/{session.pk}/", lang)
    table = page.get_by_test_id("calibration-criteria")
    assert t(lang, "Krippendorff's alpha").upper() in table.inner_text().upper()  # headers are upper-cased by CSS
    assert t(lang, "Where inspectors disagree") in table.inner_text()
    assert table.get_by_test_id("criterion-greet").get_by_test_id("alpha").inner_text().startswith("0.44")
    assert t(lang, "nominal") in table.get_by_test_id("criterion-greet").inner_text()
    assert t(lang, "ordinal") in table.get_by_test_id("criterion-courtesy").inner_text()
    expected = f"{alpha['courtesy']:.2f}"
    assert table.get_by_test_id("criterion-courtesy").get_by_test_id("alpha").inner_text().startswith(expected)
    assert "qa2" in page.get_by_test_id("calibration-alignment").inner_text()


def world_day():
    from ..quality.helpers import DAY

    return DAY


def test_scoring_page_on_a_phone(page_for, live_server):
    _world, interaction = scoring_world()
    page = page_for("qa", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/quality/contacts/{interaction.pk}/score/")
    page.screenshot(path="/tmp/quality-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_test_id("save-evaluation").is_visible()


# The rule language's own words (JSON keys and values, the rule's key) are written as they are.
RULE_WORDS = {"JSON", "phrases", "speaker", "agent", "customer", "first", "list", "name", "all", "any", "not",
              "near", "docs", "quality", "verify"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_qa_lead_edits_a_rule_and_a_bad_expression_keeps_what_was_typed(page_for, live_server, lang):
    from zhiren.quality.forms import rule_error_message
    from zhiren.quality.models import TranscriptRule
    from zhiren.quality.rules import RuleError

    world = build_world()
    rule = TranscriptRule.objects.create(site=world.site_a, key="verify", name="未核实身份", kind="required",
                                         expression={"phrases": ["身份证后四位"], "speaker": "agent"})
    page = open_as(page_for, live_server, "qa", lang)
    page.goto(f"{live_server.url}/quality/rules/")
    assert page.locator("html").get_attribute("lang") == lang
    if lang == "zh-hans":
        assert_no_english(page, RULE_WORDS)
    page.get_by_test_id("rule-verify").click()
    form = page.get_by_test_id("rule-form")
    expression = form.locator("textarea[name=expression_text]")
    expect(expression).to_have_value(re.compile("身份证后四位"))
    if lang == "zh-hans":
        assert_no_english(page, RULE_WORDS)

    bad = '{"all": [{"phrases": ["身份证后四位"]}, {"phrases": ["手机号"], "speaker": "agnet"}]}'
    expression.fill(bad)
    form.locator("input[name=name]").fill("未核实身份（新）")
    page.get_by_test_id("submit").click()
    with translation.override(lang):
        message = rule_error_message(RuleError("unknown_speaker", "all[1].speaker", speaker="agnet"))
    expect(page.get_by_test_id("rule-form").locator(".invalid-feedback")).to_have_text(message)
    assert "all[1].speaker" in message
    expect(page.locator("textarea[name=expression_text]")).to_have_value(bad)
    expect(page.locator("input[name=name]")).to_have_value("未核实身份（新）")
    rule.refresh_from_db()
    assert (rule.name, rule.version) == ("未核实身份", 0)

    page.locator("textarea[name=expression_text]").fill(bad.replace("agnet", "agent"))
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("rules")).to_contain_text("未核实身份（新）")
    rule.refresh_from_db()
    assert rule.version == 1 and rule.expression["all"][1]["speaker"] == "agent"
