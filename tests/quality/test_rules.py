"""Transcript rules on Chinese examples: variants that must match, near-misses that must not."""

import pytest

from zhiren.quality.rules import (
    PhraseMatcher,
    Rule,
    RuleError,
    RuleSet,
    Turn,
    normalize,
    normalize_many,
    transcript_errors,
)
from zhiren.quality.rules.phrases import FORBIDDEN_PHRASES


def a(start, end, text):
    return Turn("agent", start, end, text)


def c(start, end, text):
    return Turn("customer", start, end, text)


@pytest.mark.parametrize(("text", "expected"), [
    ("請問還有什麼可以幫您？", "请问还有什么可以帮您"),   # traditional -> simplified, punctuation gone
    ("您 好 ，\t很高兴\u3000为您服务", "您好很高兴为您服务"),  # spaces of every width
    ("ＶＩＰ客户１２３号", "vip客户123号"),              # full-width -> half-width, lower case
    ("感谢您的来电！！！", "感谢您的来电"),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_normalize_many_keeps_one_result_per_text():
    assert normalize_many(["請問\n您好", "，。", "ＯＫ"]) == ["请问您好", "", "ok"]


def test_matcher_finds_all_phrases_in_one_pass_and_variants():
    matcher = PhraseMatcher.of(["不知道", "不归我管", "您好"])
    assert matcher.find_in("這個我 不 知 道，不歸我管") == {0, 1}
    assert matcher.find_in("我知道了") == set()  # near-miss: 知道 without 不
    assert matcher.add("您　好") == 2  # the same phrase, typed differently, is the same id


GREETING = Rule("greeting", "required", {"phrases": ["您好", "很高兴为您服务"], "speaker": "agent", "first": 15})
FORBIDDEN = Rule("forbidden", "forbidden", {"list": "forbidden", "speaker": "agent"})


def check(rules, turns, lists=None):
    return {h.rule: h for h in RuleSet(rules, lists or {"forbidden": FORBIDDEN_PHRASES}).check(turns)}


def test_required_phrase_found_in_the_opening_window():
    turns = [a(0, 3, "您好，很高兴為您服務"), c(3, 6, "我要退货")]
    assert check([GREETING], turns) == {}


def test_required_phrase_missing_or_too_late_or_by_the_wrong_speaker_is_a_hit():
    assert "greeting" in check([GREETING], [a(0, 3, "喂？"), c(3, 5, "您好")])  # the customer said it
    assert "greeting" in check([GREETING], [a(0, 3, "喂？"), a(20, 22, "您好")])  # after 15 s
    assert check([GREETING], [a(0, 3, "喂？")])["greeting"].sentences == []


def test_forbidden_phrase_links_the_sentences_and_survives_variants():
    turns = [a(0, 2, "您好"), c(2, 4, "怎么还没发货"), a(4, 6, "這 不 歸 我 管"), a(6, 8, "你去投訴吧！")]
    hit = check([FORBIDDEN], turns)["forbidden"]
    assert hit.sentences == [2, 3]


def test_forbidden_phrase_near_misses_and_customer_speech_do_not_hit():
    turns = [a(0, 2, "我知道您很着急"), c(2, 4, "我不知道怎么办"), a(4, 6, "滚动屏幕到底部就能看到")]
    assert check([FORBIDDEN], turns) == {}


def test_combination_all_any_not():
    # asked for the phone number or the ID digits (agent), and never confirmed the check
    rule = Rule("identity", "forbidden", {"all": [
        {"any": [{"phrases": ["手机号"], "speaker": "agent"}, {"phrases": ["身份证后四位"], "speaker": "agent"}]},
        {"not": {"phrases": ["核实完毕"]}},
    ]})
    assert check([rule], [a(0, 2, "請提供您的手機號")])["identity"].sentences == [0]
    assert check([rule], [a(0, 2, "请提供手机号"), a(5, 6, "核实完毕")]) == {}
    assert check([rule], [c(0, 2, "我的手机号是…")]) == {}  # the customer, not the agent


def test_near_within_n_sentences_and_ordered():
    # promising a refund soon after the customer mentions a complaint
    rule = Rule("promise", "forbidden", {"near": [{"phrases": ["投诉"], "speaker": "customer"},
                                                  {"phrases": ["保证退款"], "speaker": "agent"}],
                                         "within": 2, "ordered": True})
    close = [c(0, 2, "我要投訴"), a(2, 4, "您别急"), a(4, 6, "我保证退款")]
    assert check([rule], close)["promise"].sentences == [0, 2]
    far = [c(0, 2, "我要投诉"), a(2, 4, "您别急"), c(4, 5, "嗯"), a(5, 6, "我保证退款")]
    assert check([rule], far) == {}
    before = [a(0, 2, "我保证退款"), c(2, 4, "那我不投诉了")]
    assert check([rule], before) == {}  # ordered: the promise came first


def test_last_seconds_window():
    closing = Rule("closing", "required", {"phrases": ["感谢您的来电"], "speaker": "agent", "last": 10})
    assert check([closing], [a(0, 2, "感谢您的来电"), c(2, 30, "还有个问题"), a(30, 35, "好的")]) != {}
    assert check([closing], [c(0, 28, "好的"), a(28, 35, "感謝您的來電，再見")]) == {}


def test_silence():
    rule = Rule("silence", "silence", threshold=10)
    turns = [a(0, 5, "我查一下"), c(4, 8, "好"), a(19, 21, "查到了"), a(25, 26, "好")]
    hit = check([rule], turns)["silence"]
    assert (hit.sentences, hit.value) == ([2], 11.0)
    assert check([rule], [a(0, 5, "我查一下"), c(4, 14, "嗯嗯嗯"), a(20, 22, "查到了")]) == {}  # gap 6 s


def test_overlap_talking_over_the_customer():
    rule = Rule("overlap", "overlap", threshold=1.0)
    turns = [c(0, 10, "我上周买的东西到现在都没到"), a(7.5, 9, "您先听我说"), a(10, 12, "好的")]
    hit = check([rule], turns)["overlap"]
    assert (hit.sentences, hit.value) == ([1], 2.5)
    assert check([rule], [c(0, 10, "我上周买的"), a(9.5, 12, "嗯")]) == {}  # half a second: backchannel


def test_speech_rate():
    rule = Rule("rate", "speech_rate", threshold=300)
    fast = [a(0, 2, "您好请问有什么可以帮您"), c(2, 4, "查订单"), a(4, 14, "好的")]  # 10 + 2 chars in 12 s = 60/min
    assert check([rule], fast) == {}
    hurried = [a(0, 2, "您好请问有什么可以帮您的呢"), a(2, 4, "您的订单已经发货了请注意查收")]  # 13 + 14 chars in 4 s = 405/min
    hit = check([rule], hurried)["rate"]
    assert hit.value == 405.0
    assert hit.sentences == [0, 1]


def test_bad_rules_are_refused():
    with pytest.raises(RuleError, match="unknown phrase list"):
        RuleSet([Rule("x", "forbidden", {"list": "nope"})])
    with pytest.raises(RuleError, match="threshold"):
        RuleSet([Rule("x", "silence")])
    with pytest.raises(RuleError, match="unknown expression"):
        RuleSet([Rule("x", "required", {"phrase": "您好"})])
    with pytest.raises(RuleError, match="speaker"):
        RuleSet([Rule("x", "required", {"phrases": ["您好"], "speaker": "boss"})])
    with pytest.raises(RuleError, match="at least one phrase"):
        RuleSet([Rule("x", "required", {"phrases": ["，，"]})])


def test_transcript_errors():
    assert transcript_errors([a(0, 2, "您好"), c(1, 3, "你好")]) == []  # different speakers may overlap
    errors = transcript_errors([a(0, 5, "您好"), a(3, 6, "请讲"), c(2, 4, " "), Turn("boss", 7, 6, "x")])
    assert (1, "start", "overlaps the same speaker's previous turn") in errors
    assert (2, "start", "starts before the turn above it: turns are out of order") in errors
    assert (2, "text", "empty text") in errors
    assert (3, "speaker", "unknown speaker 'boss'") in errors
    assert (3, "end", "ends before it starts") in errors


def test_skipping_rules_without_their_phrases_changes_no_answer():
    # "not" rules match without any phrase; "all" needs one child's phrases; "any" needs all children's
    rules = [
        Rule("not", "forbidden", {"not": {"phrases": ["核实"]}}),
        Rule("all", "forbidden", {"all": [{"not": {"phrases": ["核实"]}}, {"phrases": ["退款"]}]}),
        Rule("any", "forbidden", {"any": [{"phrases": ["退款"]}, {"not": {"phrases": ["核实"]}}]}),
        Rule("req", "required", {"all": [{"phrases": ["您好"]}, {"not": {"phrases": ["滚开"]}}]}),
    ]
    assert set(check(rules, [a(0, 1, "随便聊聊")])) == {"not", "any", "req"}
    assert set(check(rules, [a(0, 1, "可以退款")])) == {"not", "all", "any", "req"}
    assert set(check(rules, [a(0, 1, "您好，已核实")])) == set()


def test_normalize_punctuation_that_nfkc_creates_is_removed():
    assert normalize("⑴ 请核实") == "1请核实"


@pytest.mark.django_db
def test_admin_refuses_a_rule_the_engine_cannot_read(world):
    from zhiren.quality.admin import TranscriptRuleForm

    base = {"site": world.site_a.pk, "key": "x", "name": "x", "kind": "forbidden", "speaker": "",
            "criterion_key": "", "suggested_answer": "", "targets_sampling": True, "active": True}
    bad = TranscriptRuleForm(data={**base, "expression": '{"list": "nope"}'})
    assert not bad.is_valid() and "unknown phrase list" in str(bad.errors)
    good = TranscriptRuleForm(data={**base, "expression": '{"phrases": ["滚开"]}'})
    assert good.is_valid(), good.errors


def test_find_lines_maps_each_phrase_to_its_sentences():
    matcher = PhraseMatcher.of(["不知道", "您好"])
    joined = "\n".join(normalize_many(["您好", "我不知道", "", "不知道不知道，您好"]))
    assert matcher.find_lines(joined) == {1: [0, 3], 0: [1, 3]}


def test_stored_normalised_text_gives_the_same_hits_as_normalising_at_the_check():
    from zhiren.quality.rules import normalize_many

    rule_set = RuleSet([Rule("ban", "forbidden", {"phrases": ["不归我管"], "speaker": "agent"}),
                        Rule("hello", "required", {"phrases": ["您好"], "first": 10}),
                        Rule("rate", "speech_rate", threshold=150)])
    turns = [Turn("customer", 0, 3, "我要退貨！"), Turn("agent", 4, 5, "這 不歸我管，ＯＫ？"), Turn("agent", 6, 8, "您好")]
    stored = normalize_many([t.text for t in turns])
    assert rule_set.check(turns, stored) == rule_set.check(turns)
    assert [h.rule for h in rule_set.check(turns)] == ["ban", "rate"]  # 9 characters in 3 s: 180 a minute
    # the stored form is what is searched (and counted)
    assert rule_set.check(turns, ["", "", "您好"]) == []
    assert [h.rule for h in rule_set.check(turns, ["", "不归我管", ""])] == ["ban", "hello"]
