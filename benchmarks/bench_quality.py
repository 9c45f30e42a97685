"""Transcript rules: sentences per second against one compiled regular expression per phrase.

    .venv/bin/python benchmarks/bench_quality.py [--sentences 100000] [--full] [--runs 5]

Generates contacts of 20 sentences of Chinese text (a seeded mix of ordinary phrases,
traditional characters, full-width letters and spaces) and 300 phrases, planted so
that about one sentence in five holds one. Rules: 300 phrases split into 10 forbidden
lists and 10 required lists, and 20 compound rules (all / any / not / near within 2
sentences, by speaker, first / last 30 seconds), plus silence, overlap and speech-rate
rules.

Sentences are normalised once, at import, and stored (``quality.services.save_turns``):
that is timed on its own. A check then gets the stored text, and so do both sides here:

- *engine*: ``RuleSet.check(turns, stored)`` per contact (one Aho-Corasick pass over the
  contact, then the expressions over sets of sentence numbers);
- *baseline*: the same ``RuleSet`` and the same stored text, finding the phrases with one
  compiled regular expression per phrase, each searched in each sentence.

Both must give the same hits (and the same as normalising at the check). Each figure is
the median of ``--runs`` runs (5), the two sides run in turns so that both meet the same
load; the baseline runs on a tenth of the contacts and is compared as a rate. Also printed: both sides normalising at each check (turns stored
before the normalised text was), and the phrase search alone.

Goals: ≥ 200,000 sentences/s and ≥ 10× the baseline, each printed as met or NOT met,
with the load average before and after: on a shared machine, compare the ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from zhiren.quality.rules import Rule, RuleSet, Turn, normalize, normalize_many  # noqa: E402
from zhiren.quality.rules.matcher import PhraseMatcher  # noqa: E402

SENTENCES_PER_CONTACT = 20
FILLER = ("您好", "请问", "订单", "已经", "帮您", "查询", "一下", "物流", "退款", "售后", "麻烦", "稍等", "好的",
          "明白", "这边", "系统", "显示", "快递", "明天", "送达", "地址", "电话", "确认", "没问题", "谢谢")
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
    lists = {f"list{n}": phrases[n * 15:(n + 1) * 15] for n in range(20)}
    rules = [Rule(f"forbidden{n}", "forbidden", {"list": f"list{n}", "speaker": "agent"}) for n in range(10)]
    rules += [Rule(f"required{n}", "required", {"list": f"list{n + 10}"}) for n in range(10)]
    for n in range(20):
        a, b, c = ({"phrases": phrases[(n * 7 + k * 31) % len(phrases):][:3]} for k in range(3))
        shapes = (
            {"all": [a, {"not": b}]},
            {"any": [{**a, "speaker": "agent"}, {**b, "first": 30}]},
            {"near": [a, {**b, "speaker": "customer"}], "within": 2},
            {"all": [{"any": [a, b]}, {"not": {**c, "last": 30}}]},
        )
        rules.append(Rule(f"compound{n}", "forbidden", shapes[n % 4]))
    rules += [Rule("silence", "silence", threshold=10), Rule("overlap", "overlap", threshold=1),
              Rule("rate", "speech_rate", threshold=300)]
    return rules, lists


def median_seconds(work, runs: int) -> tuple[float, object]:
    """The median wall time of ``runs`` runs of ``work()``, and the last run's result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def paired_medians(work_a, work_b, runs: int) -> tuple[float, float, object, object]:
    """``median_seconds`` of two works run in turns (a, b, a, b, …), so that both meet the same
    load on a shared machine; the medians and each one's last result."""
    times_a, times_b, result_a, result_b = [], [], None, None
    for _ in range(runs):
        started = time.perf_counter()
        result_a = work_a()
        times_a.append(time.perf_counter() - started)
        started = time.perf_counter()
        result_b = work_b()
        times_b.append(time.perf_counter() - started)
    return statistics.median(times_a), statistics.median(times_b), result_a, result_b


def check_all(rule_set: RuleSet, contacts: list[list[Turn]], stored: list[list[str]] | None) -> list:
    if stored is None:
        return [rule_set.check(turns) for turns in contacts]
    return [rule_set.check(turns, lines) for turns, lines in zip(contacts, stored, strict=True)]


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


def baseline_rule_set(rules: list[Rule], lists: dict[str, list[str]], phrases: list[str]) -> RuleSet:
    """The same rules, evaluated the same way, finding phrases with a regex per phrase."""
    rule_set = RuleSet(rules, lists)
    rule_set.matcher = RegexMatcher(rule_set.matcher, phrases)  # type: ignore[assignment]
    return rule_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--full", action="store_true", help="1,000,000 sentences")
    parser.add_argument("--runs", type=int, default=5, help="runs per side; the median is compared")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    sentences = 1_000_000 if args.full else args.sentences
    runs = args.runs
    rng = random.Random(args.seed)
    phrases = make_phrases(rng, 300)
    contacts = make_contacts(rng, phrases, sentences)
    count = len(contacts) * SENTENCES_PER_CONTACT
    rules, lists = make_rules(phrases)
    rule_set = RuleSet(rules, lists)
    baseline = baseline_rule_set(rules, lists, phrases)
    share = contacts[: max(1, len(contacts) // 10)]  # the baseline's sample: a tenth, as a rate
    share_count = len(share) * SENTENCES_PER_CONTACT
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(f"{count:,} sentences in {len(contacts):,} contacts; {len(rule_set.matcher)} phrases, "
          f"{sum(1 for r in rules if r.key.startswith('compound'))} compound rules, {len(rules)} rules in all; "
          f"each figure the median of {runs} runs")

    # At import: each sentence normalised once and stored (quality.services.save_turns).
    import_seconds, stored = median_seconds(lambda: [normalize_many([t.text for t in turns]) for turns in contacts],
                                            runs)
    print(f"import:   normalising {count / import_seconds:12,.0f} sentences/s (once per sentence, stored)")

    # A check: the stored sentences through the rules. Both sides get the same stored text and
    # evaluate the rules the same way; they differ only in how phrases are found.
    seconds, base_seconds, hits, base_hits = paired_medians(
        lambda: check_all(rule_set, contacts, stored), lambda: check_all(baseline, share, stored[: len(share)]), runs)
    rate = count / seconds
    print(f"engine:   {seconds:7.3f} s  {rate:12,.0f} sentences/s  ({sum(map(len, hits)):,} rule hits)")
    base_rate = share_count / base_seconds
    print(f"baseline: {base_seconds:7.3f} s  {base_rate:12,.0f} sentences/s  (same rules and stored text, "
          f"one regex per phrase, {share_count:,} sentences)")
    assert base_hits == hits[: len(share)], "the engine and the baseline disagree"
    assert hits[: len(share)] == check_all(rule_set, share, None), "stored and fresh normalisation disagree"

    # Unstored turns (imported before the text was stored) are normalised at each check: both sides pay it.
    fresh_seconds, fresh_base, _a, _b = paired_medians(
        lambda: check_all(rule_set, share, None), lambda: check_all(baseline, share, None), runs)
    print(f"normalising at each check instead: engine {share_count / fresh_seconds:,.0f}/s, baseline "
          f"{share_count / fresh_base:,.0f}/s ({fresh_base / fresh_seconds:.1f}x)")

    matcher, patterns = rule_set.matcher, baseline.matcher.patterns
    texts = [text for lines in stored[: len(share)] for text in lines]
    ac_seconds, regex_seconds, _a, _b = paired_medians(
        lambda: [matcher.find(text) for text in texts],
        lambda: [[i for i, pattern in patterns if pattern.search(text)] for text in texts], runs)
    print(f"matching alone (normalised text): Aho-Corasick {len(texts) / ac_seconds:,.0f}/s, "
          f"regex per phrase {len(texts) / regex_seconds:,.0f}/s ({regex_seconds / ac_seconds:.0f}x)")
    ratio = rate / base_rate
    print(f"speed-up: {ratio:.1f}x the baseline; goal ≥ 10x: {'met' if ratio >= 10 else 'NOT met'}")
    print(f"goal ≥ 200,000 sentences/s: {'met' if rate >= 200_000 else 'NOT met'} ({rate:,.0f}/s)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
