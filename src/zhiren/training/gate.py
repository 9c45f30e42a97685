"""The nesting graduation gate (出师考核): one pure function over the evidence, no Django.

Five checks, each *pass*, *fail* or *missing*:

1. ``evaluations``: at least ``min_evaluations`` released QA evaluations in nesting;
2. ``qa_score``: their average at least ``min_qa_score``;
3. ``critical``: no failed critical criterion among them;
4. ``aht``: the agent's average handle time at most the tenured median × (1 + ``aht_tolerance_pct`` / 100);
5. ``quiz``: the best final attempt of the certification quiz at least ``quiz_pass_mark``.

Evidence that is not there (no evaluations, no handled contacts, no tenured median, no
final attempt) is *missing*, never read as 0, and the gate passes only when every check
passes: it cannot pass on missing evidence. Each boundary is inclusive (exactly the
minimum passes).
"""

from __future__ import annotations

from dataclasses import dataclass

PASS, FAIL, MISSING = "pass", "fail", "missing"


@dataclass(frozen=True)
class GateRules:
    min_evaluations: int = 5
    min_qa_score: float = 80.0
    aht_tolerance_pct: float = 20.0
    quiz_pass_mark: float = 80.0


@dataclass(frozen=True)
class GateEvidence:
    qa_count: int = 0
    qa_average: float | None = None
    critical_fails: int = 0
    aht: float | None = None
    tenured_median_aht: float | None = None
    quiz_score: float | None = None


@dataclass(frozen=True)
class Check:
    key: str
    status: str
    value: float | None
    required: float | None


@dataclass(frozen=True)
class GateResult:
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(c.status == PASS for c in self.checks)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.checks if c.status == MISSING)

    def check(self, key: str) -> Check:
        return next(c for c in self.checks if c.key == key)


def _at_least(value: float | None, required: float) -> str:
    if value is None:
        return MISSING
    return PASS if value >= required - 1e-9 else FAIL


def aht_limit(rules: GateRules, median: float | None) -> float | None:
    return None if median is None else median * (1 + rules.aht_tolerance_pct / 100)


def evaluate(rules: GateRules, evidence: GateEvidence) -> GateResult:
    scored = evidence.qa_count > 0
    count_status = (
        MISSING if not scored else (PASS if evidence.qa_count >= rules.min_evaluations else FAIL)
    )
    score_status = _at_least(evidence.qa_average if scored else None, rules.min_qa_score)
    critical_status = MISSING if not scored else (PASS if evidence.critical_fails == 0 else FAIL)
    limit = aht_limit(rules, evidence.tenured_median_aht)
    if evidence.aht is None or limit is None:
        aht_status = MISSING
    else:
        aht_status = PASS if evidence.aht <= limit + 1e-9 else FAIL
    return GateResult(
        (
            Check(
                "evaluations",
                count_status,
                evidence.qa_count if scored else None,
                rules.min_evaluations,
            ),
            Check(
                "qa_score",
                score_status,
                evidence.qa_average if scored else None,
                rules.min_qa_score,
            ),
            Check("critical", critical_status, evidence.critical_fails if scored else None, 0),
            Check("aht", aht_status, evidence.aht, limit),
            Check(
                "quiz",
                _at_least(evidence.quiz_score, rules.quiz_pass_mark),
                evidence.quiz_score,
                rules.quiz_pass_mark,
            ),
        )
    )
