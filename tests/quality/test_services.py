"""Evaluations, versions, disputes with deadlines, transcript checks and sampling, on the database."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from zhiren.audit.models import AuditEvent
from zhiren.quality import selectors, services
from zhiren.quality.models import DisputeStatus, PhraseList, SamplingPlan, TranscriptRule

from .helpers import DEFINITION, GOOD, contact, evaluation, scorecard, transcript

pytestmark = pytest.mark.django_db


def test_submit_stores_answers_and_score_on_the_version_and_an_edit_never_changes_it(world):
    card = scorecard(world.site_a)
    version = card.current()
    item = services.submit_evaluation(contact(world.agent), version, GOOD, user=world.user("qa"), seconds_spent=95)
    assert item.score == Decimal("90.00")
    assert item.status == "submitted"  # review step before release
    assert item.seconds_spent == 95
    harsher = {**DEFINITION, "sections": [{**DEFINITION["sections"][0], "weight": None}, DEFINITION["sections"][1]]}
    harsher["sections"][1] = {**harsher["sections"][1], "criteria": [
        {"key": "accuracy", "points": 500, "scale": "points", "na_allowed": True},
        {"key": "courtesy", "points": 20, "scale": "one_to_five"}]}
    v2 = services.publish_version(card, harsher, user=world.user("qa"))
    assert v2.number == 2 and card.current() == v2
    item.refresh_from_db()
    assert (item.version_id, item.score) == (version.pk, Decimal("90.00"))
    # a change made later is still scored on the evaluation's own version
    services.change_answers(item, {"accuracy": 50}, user=world.user("qa"), reason="复听后更正")
    assert item.score == Decimal("100.00")


def test_only_an_inspector_covering_the_team_scores(world):
    version = scorecard(world.site_a).current()
    with pytest.raises(PermissionDenied):
        services.submit_evaluation(contact(world.agent), version, GOOD, user=world.user("lead"))
    with pytest.raises(PermissionDenied):
        services.submit_evaluation(contact(world.far, "F-1"), version, GOOD, user=world.user("qa"))


def test_a_critical_failure_and_bad_answers(world):
    version = scorecard(world.site_a).current()
    failed = services.submit_evaluation(contact(world.agent), version, {**GOOD, "verify": {"answer": "no"}},
                                        user=world.user("qa"))
    assert (failed.score, failed.critical_failed) == (Decimal("0.00"), "total")
    with pytest.raises(ValidationError):
        services.submit_evaluation(contact(world.agent, "C-2"), version, {**GOOD, "courtesy": {"answer": 9}},
                                   user=world.user("qa"))


def test_release_is_the_qa_leads(world):
    item = evaluation(world, released=False)
    with pytest.raises(PermissionDenied):
        services.release(item, user=world.user("lead"))
    services.release(item, user=world.user("qa"))  # QA at site scope: the QA lead
    assert item.status == "released" and item.released_at is not None


def test_dispute_state_machine_to_the_final_ruling(world):
    item = evaluation(world)
    agent_user, qa, manager = world.user("agent"), world.user("qa"), world.user("manager")
    with pytest.raises(ValidationError):
        services.raise_dispute(item, user=agent_user, comment="  ")
    with pytest.raises(PermissionDenied):
        services.raise_dispute(item, user=world.user("trainer"), comment="x")
    dispute = services.raise_dispute(item, user=agent_user, comment="我核实了身份", criterion_key="accuracy")
    with pytest.raises(ValidationError, match="already"):
        services.raise_dispute(item, user=world.user("lead"), comment="again")
    with pytest.raises(ValidationError):
        services.escalate_dispute(dispute, user=agent_user, comment="too early")
    services.reply_dispute(dispute, user=qa, outcome="partly", reply="部分成立", changes={"accuracy": 45})
    item.refresh_from_db()
    assert item.score == Decimal("95.00")
    services.escalate_dispute(dispute, user=world.user("lead"), comment="应全部成立")  # the lead, on the agent's behalf
    assert (dispute.status, dispute.level) == (DisputeStatus.ESCALATED, 2)
    with pytest.raises(PermissionDenied):
        services.rule_dispute(dispute, user=world.user("lead"), overturn=True, ruling="x", changes={"accuracy": 50})
    services.rule_dispute(dispute, user=manager, overturn=True, ruling="终审：成立", changes={"accuracy": 50})
    item.refresh_from_db()
    assert item.score == Decimal("100.00")
    assert dispute.status == DisputeStatus.OVERTURNED
    history = [(c.old_score, c.new_score, c.reason) for c in item.changes.all()]
    assert history == [(Decimal("90.00"), Decimal("95.00"), "部分成立"), (Decimal("95.00"), Decimal("100.00"), "终审：成立")]
    with pytest.raises(ValidationError):  # final: nothing follows
        services.escalate_dispute(dispute, user=agent_user, comment="again")
    rates = services.overturn_rates(selectors.visible_disputes(qa))
    assert rates[qa.pk] == {"decided": 1, "overturned": 1, "rate": 1.0}


def test_rejected_and_upheld(world):
    item = evaluation(world)
    dispute = services.raise_dispute(item, user=world.user("agent"), comment="不服")
    with pytest.raises(ValidationError):
        services.reply_dispute(dispute, user=world.user("qa"), outcome="accepted", reply="ok")  # no change given
    services.reply_dispute(dispute, user=world.user("qa"), outcome="rejected", reply="录音清楚")
    services.escalate_dispute(dispute, user=world.user("agent"), comment="请复核")
    services.rule_dispute(dispute, user=world.user("qa"), overturn=False, ruling="维持")
    item.refresh_from_db()
    assert (dispute.status, item.score, item.changes.count()) == (DisputeStatus.UPHELD, Decimal("90.00"), 0)


def _local(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_a_dispute_after_the_deadline_is_refused_with_the_closing_date(world):
    item = evaluation(world)  # released now; 7 days to dispute
    released_on = timezone.localdate(item.released_at)
    last_day = released_on + dt.timedelta(days=7)
    with time_machine.travel(_local(last_day, 23)):
        services.raise_dispute(item, user=world.user("agent"), comment="最后一天")
    item.disputes.all().delete()
    with time_machine.travel(_local(last_day + dt.timedelta(days=1), 9)), pytest.raises(ValidationError) as exc:
        services.raise_dispute(item, user=world.user("agent"), comment="晚了")
    assert date_format(last_day, "DATE_FORMAT") in str(exc.value)
    assert "closed" in str(exc.value)


def test_escalation_deadline_runs_from_the_reply(world):
    item = evaluation(world)
    dispute = services.raise_dispute(item, user=world.user("agent"), comment="不服")
    services.reply_dispute(dispute, user=world.user("qa"), outcome="rejected", reply="不成立")
    late = timezone.localdate(dispute.replied_at) + dt.timedelta(days=8)
    with time_machine.travel(_local(late, 9)), pytest.raises(ValidationError, match="closed"):
        services.escalate_dispute(dispute, user=world.user("agent"), comment="晚了")


def test_check_transcript_stores_hits_linked_to_sentences_and_suggests_answers(world):
    PhraseList.objects.create(site=world.site_a, name="forbidden", phrases=["不归我管"])
    TranscriptRule.objects.create(site=world.site_a, key="greet", name="开场问候", kind="required",
                                  expression={"phrases": ["您好"], "speaker": "agent", "first": 10},
                                  criterion_key="greet", suggested_answer="no")
    TranscriptRule.objects.create(site=world.site_a, key="ban", name="服务禁语", kind="forbidden",
                                  expression={"list": "forbidden", "speaker": "agent"})
    t = transcript(contact(world.agent), [("agent", 0, 2, "喂"), ("customer", 2, 4, "我要退货"),
                                          ("agent", 4, 6, "這不歸我管")])
    hits = services.check_transcript(t)
    assert sorted((h.rule.key, h.turn.seq if h.turn else None) for h in hits) == [("ban", 2), ("greet", None)]
    assert services.suggestions(t) == {"greet": {"answer": "no", "rules": ["开场问候"]}}
    services.check_transcript(t)  # again: replaced, not doubled
    assert t.hits.count() == 2


def test_opening_a_transcript_is_audit_logged(world):
    t = transcript(contact(world.agent), [("agent", 0, 2, "您好")])
    turns = services.open_transcript(t, user=world.user("qa"))
    assert [x.text for x in turns] == ["您好"]
    event = AuditEvent.objects.get(action="read", subject_agent_id=world.agent.pk)
    assert event.fields == ["turns"]


def test_draw_samples_is_reproducible_and_idempotent(world):
    card = scorecard(world.site_a)
    plan = SamplingPlan.objects.create(team=world.team_a1, name="A1 周抽检", scorecard=card, per_agent=2,
                                       targets=["low_csat"], seed=5)
    for n in range(6):
        contact(world.agent, f"A-{n}", csat=1 if n == 4 else 5)
        contact(world.peer, f"P-{n}")
    first = services.draw_samples(plan, dt.date(2026, 3, 4))
    assert len(first) == 4
    assert {(s.interaction.external_id, s.reason) for s in first if s.reason == "low_csat"} == {("A-4", "low_csat")}
    assert services.draw_samples(plan, dt.date(2026, 3, 4)) == []  # already drawn
    plan.samples.all().delete()
    again = services.draw_samples(plan, dt.date(2026, 3, 4))
    assert sorted(s.interaction_id for s in again) == sorted(s.interaction_id for s in first)


def test_queue_coverage_and_too_few_samples(world):
    card = scorecard(world.site_a)
    plan = SamplingPlan.objects.create(team=world.team_a1, name="A1", scorecard=card, per_agent=2, seed=1)
    plan.inspectors.add(world.user("qa"))
    for n in range(3):
        contact(world.agent, f"A-{n}")
    services.draw_samples(plan, dt.date(2026, 3, 4))
    queue = selectors.queue(world.user("qa"))
    assert len(queue) == 2
    assert selectors.queue(world.user("lead")) == []
    services.submit_evaluation(queue[0].interaction, card.current(), GOOD, user=world.user("qa"), sample=queue[0])
    assert len(selectors.queue(world.user("qa"))) == 1
    rows = selectors.coverage_rows(world.user("qa"), plan, dt.date(2026, 3, 4))
    assert [(r["planned"], r["scored"], r["reliable"], r.get("rank")) for r in rows] == [(2, 1, False, None)]


def test_who_sees_evaluations(world):
    released = evaluation(world, ext="R-1")
    pending = evaluation(world, ext="P-1", released=False)
    far = evaluation(world, agent=world.far, ext="F-1")
    seen = lambda role: set(selectors.visible_evaluations(world.user(role)).values_list("pk", flat=True))  # noqa: E731
    assert seen("agent") == {released.pk}
    assert seen("lead") == {released.pk}
    assert seen("qa") == {released.pk, pending.pk}
    assert seen("manager") == {released.pk, pending.pk}
    assert seen("trainer") == set()
    assert far.pk in seen("admin")


def test_api_serves_scoped_evaluations_and_hides_unreleased_from_agents(world, client_for):
    released = evaluation(world)
    evaluation(world, released=False)
    body = client_for(world.user("agent")).get("/api/qa-evaluations/").json()
    assert [row["id"] for row in body["results"]] == [released.pk]
    row = body["results"][0]
    assert (row["agent"], row["score"], row["version"], row["answers"]["greet"]["answer"]) == (
        "A1001", "90.00", 1, "yes")
    assert client_for(world.user("qa")).get("/api/qa-evaluations/").json()["count"] == 2
    assert client_for(world.user("trainer")).get("/api/qa-evaluations/").json()["count"] == 0


def test_scoring_page_shows_the_transcript_records_time_spent_and_saves(world, client_for):
    import time_machine as tm

    card = scorecard(world.site_a)
    interaction = contact(world.agent)
    transcript(interaction, [("agent", 0, 2, "您好，请提供您的手机号13812345678"), ("customer", 2, 4, "好的")])
    client = client_for(world.user("qa"))
    page = client.get(f"/quality/contacts/{interaction.pk}/score/")
    assert page.status_code == 200 and "请提供您的手机号" in page.content.decode()
    assert AuditEvent.objects.filter(action="read", subject_agent_id=world.agent.pk).count() == 1
    form = {"opened": page.context["opened"], "answer-greet": "yes", "answer-verify": "yes", "answer-accuracy": "50",
            "answer-courtesy": "4", "comment-courtesy": "语气平稳"}
    with tm.travel(timezone.now() + dt.timedelta(minutes=7), tick=False):
        response = client.post(f"/quality/contacts/{interaction.pk}/score/", form)
    assert response.status_code == 302
    saved = card.current().evaluations.get()
    assert (saved.score, saved.seconds_spent) == (Decimal("95.00"), 420)
    assert saved.answers["courtesy"] == {"answer": 4, "comment": "语气平稳"}


def test_scorecard_page_publishes_a_version_and_refuses_bad_definitions(world, client_for):
    import json

    card = scorecard(world.site_a)
    item = services.submit_evaluation(contact(world.agent), card.current(), GOOD, user=world.user("qa"))
    client = client_for(world.user("manager"))
    bad = client.post(f"/quality/scorecards/{card.pk}/", {"definition": '{"sections": [{"key": "s"}]'})
    assert bad.status_code == 200 and card.versions.count() == 1
    changed = {**DEFINITION, "max_score": 50}
    assert client.post(f"/quality/scorecards/{card.pk}/", {"definition": json.dumps(changed)}).status_code == 302
    assert card.current().number == 2
    item.refresh_from_db()
    assert (item.version.number, item.score) == (1, Decimal("90.00"))


def test_self_evaluation_first_then_the_inspector_sees_it(world, client_for):
    from zhiren.quality.models import Sample

    card = scorecard(world.site_a)
    plan = SamplingPlan.objects.create(team=world.team_a1, name="自评", scorecard=card, self_evaluation=True)
    plan.inspectors.add(world.user("qa"))
    interaction = contact(world.agent)
    sample = Sample.objects.create(plan=plan, interaction=interaction, agent=world.agent, period_start=interaction.day,
                                   reason="random")
    agent = client_for(world.user("agent"))
    assert [s.pk for s in agent.get("/quality/").context["self_queue"]] == [sample.pk]
    form = {f"answer-{k}": v["answer"] for k, v in GOOD.items()}
    assert agent.post(f"/quality/samples/{sample.pk}/self-evaluate/", form).status_code == 302
    own = selectors.visible_evaluations(world.user("agent")).get()
    assert (own.kind, own.score) == ("self", Decimal("90.00"))
    assert agent.get("/quality/").context["self_queue"] == []
    page = client_for(world.user("qa")).get(f"/quality/contacts/{interaction.pk}/score/")
    assert page.context["own_view"] == own
    assert [s.pk for s in selectors.queue(world.user("qa"))] == [sample.pk]  # still to be inspected


def test_evaluation_page_shows_the_transcript_to_the_lead_not_the_agent(world, client_for):
    item = evaluation(world)
    transcript(item.interaction, [("agent", 0, 2, "您好，请提供手机号")])
    lead_page = client_for(world.user("lead")).get(f"/quality/evaluations/{item.pk}/")
    assert "请提供手机号" in lead_page.content.decode()
    assert AuditEvent.objects.filter(action="read", actor=world.user("lead"), subject_agent_id=world.agent.pk).exists()
    agent_page = client_for(world.user("agent")).get(f"/quality/evaluations/{item.pk}/")
    assert agent_page.status_code == 200 and "请提供手机号" not in agent_page.content.decode()
    assert not AuditEvent.objects.filter(action="read", actor=world.user("agent")).exists()


def test_a_zero_score_shows_as_zero_not_as_no_score(world, client_for):
    # A critical failure scores 0.00, which is a score; only "every answer N/A" shows "—".
    item = evaluation(world)
    item.score, item.critical_failed = Decimal("0.00"), True
    item.save()
    services.change_answers(item, {"verify": "no"}, user=world.user("qa"), reason="复核")
    page = client_for(world.user("agent")).get(f"/quality/evaluations/{item.pk}/").content.decode()
    assert '<span data-testid="score">0.00</span>' in page
    assert "0.00 → 0.00" in page
    home = client_for(world.user("agent")).get("/quality/").content.decode()
    assert '<td class="text-end">0.00</td>' in home


def test_evaluation_page_shows_answers_and_dispute_criteria_in_the_page_language(world, client_for):
    item = evaluation(world)
    services.raise_dispute(item, user=world.user("agent"), comment="不服", criterion_key="accuracy")
    client = client_for(world.user("agent"))
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/quality/evaluations/{item.pk}/").content.decode()
    assert '<td data-testid="answer-greet">是</td>' in page
    assert "准确 — 不服" in page


def test_a_ruling_may_type_the_answer_as_the_page_shows_it(world, client_for):
    item = evaluation(world)
    dispute = services.raise_dispute(item, user=world.user("agent"), comment="不服", criterion_key="greet")
    services.reply_dispute(dispute, user=world.user("qa"), outcome="rejected", reply="不改")
    services.escalate_dispute(dispute, user=world.user("agent"), comment="复核")
    client = client_for(world.user("manager"))
    client.cookies["django_language"] = "zh-hans"
    client.post(f"/quality/disputes/{dispute.pk}/rule/", {
        "overturn": "on", "criterion": "verify", "answer": "否", "ruling": "未核实"})
    item.refresh_from_db()
    assert item.answers["verify"]["answer"] == "no" and item.score == Decimal("0.00")
