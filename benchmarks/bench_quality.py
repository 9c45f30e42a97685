"""Transcript rules: sentences per second against one compiled regular expression per phrase.

    .venv/bin/python benchmarks/bench_quality.py [--sentences 100000] [--full]

Generates contacts of 20 sentences of Chinese text (a seeded mix of ordinary phrases,
traditional characters, full-width letters and spaces) and 300 phrases, planted so
that about one sentence in five holds one. Rules: 300 phrases split into 10 forbidden
lists and 10 required lists, and 20 compound rules (all / any / not / near within 2
sentences, by speaker, first / last 30 seconds), plus silence, overlap and speech-rate
rules. Both paths normalise every sentence (``rules.normalize``) and must find the same
phrases in every sentence:

- *engine*: ``RuleSet.check`` per contact (one Aho-Corasick pass per sentence, then the
  expressions over sets of sentence numbers);
- *baseline*: the same rules, evaluated the same way, but finding the phrases with one
  compiled regular expression per phrase, each searched in each sentence. Both must give
  the same hits. "Matching alone" times just the phrase search on normalised text.

Goal: ≥ 200,000 sentences/s and ≥ 10× the baseline. The default size is modest
(100,000 sentences; the baseline on a tenth of it, scaled); ``--full`` runs 1,000,000.
The machine's load average is printed: on a shared machine, compare the ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from zhiren.quality.rules import Rule, RuleSet, Turn, normalize, normalize_many  # noqa: E402
from zhiren.quality.rules.matcher import PhraseMatcher  # noqa: E402

SENTENCES_PER_CONTACT = 20
FILLER = (
    "您好",
    "请问",
    "订单",
    "已经",
    "帮您",
    "查询",
    "一下",
    "物流",
    "退款",
    "售后",
    "麻烦",
    "稍等",
    "好的",
    "明白",
    "这边",
    "系统",
    "显示",
    "快递",
    "明天",
    "送达",
    "地址",
    "电话",
    "确认",
    "没问题",
    "谢谢",
)
CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理"


def make_phrases(rng: random.Random, count: int) -> list[str]:
    phrases: set[str] = set()
    while len(phrases) < count:
        phrases.add("".join(rng.choice(CHARS) for _ in range(rng.randint(3, 6))))
    return sorted(phrases)


def vary(rng: random.Random, text: str) -> str:
    """A variant a rule must still match: spaces, full-width letters, punctuation."""
    roll = rng.random()
    if roll < 0.2:
        return " ".join(text)
    if roll < 0.3:
        return text + "ＯＫ！"
    return text + "，"


def make_contacts(rng: random.Random, phrases: list[str], sentences: int) -> list[list[Turn]]:
    contacts = []
    for _ in range(max(1, sentences // SENTENCES_PER_CONTACT)):
        turns, clock = [], 0.0
        for n in range(SENTENCES_PER_CONTACT):
            words = [rng.choice(FILLER) for _ in range(rng.randint(4, 9))]
            if rng.random() < 0.2:
                words.insert(rng.randrange(len(words)), rng.choice(phrases))
            text = vary(rng, "".join(words))
            length = rng.uniform(1.5, 6)
            start = clock + rng.choice((0.3, 0.5, 1.0, 12.0)) * (n > 0)
            turns.append(Turn("agent" if n % 2 == 0 else "customer", start, start + length, text))
            clock = start + length
        contacts.append(turns)
    return contacts


def make_rules(phrases: list[str]) -> tuple[list[Rule], dict[str, list[str]]]:
    lists = {f"list{n}": phrases[n * 15 : (n + 1) * 15] for n in range(20)}
    rules = [
        Rule(f"forbidden{n}", "forbidden", {"list": f"list{n}", "speaker": "agent"})
        for n in range(10)
    ]
    rules += [Rule(f"required{n}", "required", {"list": f"list{n + 10}"}) for n in range(10)]
    for n in range(20):
        a, b, c = ({"phrases": phrases[(n * 7 + k * 31) % len(phrases) :][:3]} for k in range(3))
        shapes = (
            {"all": [a, {"not": b}]},
            {"any": [{**a, "speaker": "agent"}, {**b, "first": 30}]},
            {"near": [a, {**b, "speaker": "customer"}], "within": 2},
            {"all": [{"any": [a, b]}, {"not": {**c, "last": 30}}]},
        )
        rules.append(Rule(f"compound{n}", "forbidden", shapes[n % 4]))
    rules += [
        Rule("silence", "silence", threshold=10),
        Rule("overlap", "overlap", threshold=1),
        Rule("rate", "speech_rate", threshold=300),
    ]
    return rules, lists


def run_engine(rule_set: RuleSet, contacts: list[list[Turn]]) -> tuple[float, int]:
    started = time.perf_counter()
    hits = 0
    for turns in contacts:
        hits += len(rule_set.check(turns))
    return time.perf_counter() - started, hits


class RegexMatcher:
    """The baseline's matcher: the same phrase ids, one compiled regular expression per phrase."""

    def __init__(self, matcher: PhraseMatcher, phrases: list[str]) -> None:
        self.patterns = [(matcher.add(p), re.compile(re.escape(normalize(p)))) for p in phrases]

    def find(self, text: str) -> set[int]:
        return {phrase_id for phrase_id, pattern in self.patterns if pattern.search(text)}

    def find_lines(self, joined: str) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for line, text in enumerate(joined.split("\n")):
            for phrase_id in sorted(self.find(text)):
                found.setdefault(phrase_id, []).append(line)
        return found


def baseline_rule_set(
    rules: list[Rule], lists: dict[str, list[str]], phrases: list[str]
) -> RuleSet:
    """The same rules, evaluated the same way, finding phrases with a regex per phrase."""
    rule_set = RuleSet(rules, lists)
    rule_set.matcher = RegexMatcher(rule_set.matcher, phrases)  # type: ignore[assignment]
    return rule_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--full", action="store_true", help="1,000,000 sentences")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    sentences = 1_000_000 if args.full else args.sentences
    rng = random.Random(args.seed)
    phrases = make_phrases(rng, 300)
    contacts = make_contacts(rng, phrases, sentences)
    count = len(contacts) * SENTENCES_PER_CONTACT
    rules, lists = make_rules(phrases)
    rule_set = RuleSet(rules, lists)
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)"
    )
    print(
        f"{count:,} sentences in {len(contacts):,} contacts; {len(rule_set.matcher)} phrases, "
        f"{sum(1 for r in rules if r.key.startswith('compound'))} compound rules, {len(rules)} rules in all"
    )

    seconds, hits = run_engine(rule_set, contacts)
    rate = count / seconds
    print(f"engine:   {seconds:7.2f} s  {rate:12,.0f} sentences/s  ({hits:,} rule hits)")

    # the baseline: the same rules with one regex per phrase, on a tenth of the contacts, same hits required
    share = contacts[: max(1, len(contacts) // 10)]
    baseline = baseline_rule_set(rules, lists, phrases)
    started = time.perf_counter()
    base_hits = [baseline.check(turns) for turns in share]
    base_seconds = time.perf_counter() - started
    base_rate = len(share) * SENTENCES_PER_CONTACT / base_seconds
    assert base_hits == [rule_set.check(turns) for turns in share], (
        "the engine and the baseline disagree"
    )
    print(
        f"baseline: {base_seconds:7.2f} s  {base_rate:12,.0f} sentences/s  (same rules, one regex per phrase, "
        f"{len(share) * SENTENCES_PER_CONTACT:,} sentences)"
    )
    matcher, patterns = rule_set.matcher, baseline.matcher.patterns
    texts = [text for turns in share for text in normalize_many([t.text for t in turns])]
    started = time.perf_counter()
    for text in texts:
        matcher.find(text)
    ac_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        [phrase_id for phrase_id, pattern in patterns if pattern.search(text)]
    regex_seconds = time.perf_counter() - started
    print(
        f"matching alone (normalised text): Aho-Corasick {len(texts) / ac_seconds:,.0f}/s, "
        f"regex per phrase {len(texts) / regex_seconds:,.0f}/s ({regex_seconds / ac_seconds:.0f}x)"
    )
    print(
        f"speed-up: {rate / base_rate:.1f}x  (goal ≥ 10x); goal ≥ 200,000 sentences/s: "
        f"{'met' if rate >= 200_000 else 'NOT met'}"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
