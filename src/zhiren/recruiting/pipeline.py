"""The candidate pipeline (招聘流程) as a state machine: plain Python, no Django.

applied → screened → tested → interviewed → offer → accepted → onboarded, and from any
open state to *rejected* (we say no) or *withdrawn* (the candidate says no), each with a
reason. A step may be skipped forward only where ``SKIPPABLE`` allows (an internal move or
a referral may go straight to interview; the test step is then left out). Nothing moves
back: a rejected candidate who applies again is a new application.
"""

from __future__ import annotations

APPLIED, SCREENED, TESTED, INTERVIEWED, OFFER, ACCEPTED, ONBOARDED = (
    "applied",
    "screened",
    "tested",
    "interviewed",
    "offer",
    "accepted",
    "onboarded",
)
REJECTED, WITHDRAWN = "rejected", "withdrawn"

FORWARD = (APPLIED, SCREENED, TESTED, INTERVIEWED, OFFER, ACCEPTED, ONBOARDED)
CLOSED = (ONBOARDED, REJECTED, WITHDRAWN)
# Steps that may be passed over on the way forward (no test for an internal move, say).
SKIPPABLE = frozenset({TESTED})

# Reasons, by code; the labels live with the model (translated).
REJECTION_REASONS = (
    "knockout",
    "test_score",
    "interview",
    "fit",
    "overqualified",
    "no_show",
    "position_filled",
    "other",
)
WITHDRAWAL_REASONS = (
    "other_offer",
    "salary",
    "shifts",
    "location",
    "no_response",
    "personal",
    "other",
)


class TransitionError(ValueError):
    """A move the pipeline does not allow; ``code`` says why (for tests and messages)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def next_states(state: str) -> tuple[str, ...]:
    """Where a candidate in ``state`` may go next (forward steps first, then the two exits)."""
    if state in CLOSED:
        return ()
    i = FORWARD.index(state)
    forward = [FORWARD[i + 1]]
    j = i + 1
    while FORWARD[j] in SKIPPABLE and j + 1 < len(FORWARD):
        j += 1
        forward.append(FORWARD[j])
    # Once accepted, only onboarding is left: an accepted offer is not rejected, it is withdrawn.
    exits = (WITHDRAWN,) if state == ACCEPTED else (REJECTED, WITHDRAWN)
    return (*forward, *exits)


def check_transition(state: str, target: str, reason: str = "") -> None:
    """Raise ``TransitionError`` unless ``state → target`` is allowed with this reason."""
    if state not in FORWARD and state not in CLOSED:
        raise TransitionError("unknown", f"unknown state {state!r}")
    if state in CLOSED:
        raise TransitionError("closed", f"{state} is final")
    if target not in next_states(state):
        raise TransitionError("not_allowed", f"{state} → {target} is not a step of the pipeline")
    if target == REJECTED and reason not in REJECTION_REASONS:
        raise TransitionError("reason", "a rejection needs a reason")
    if target == WITHDRAWN and reason not in WITHDRAWAL_REASONS:
        raise TransitionError("reason", "a withdrawal needs a reason")
    if target not in (REJECTED, WITHDRAWN) and reason:
        raise TransitionError("reason", "only a rejection or withdrawal takes a reason")


def reached(state: str, step: str) -> bool:
    """Whether a candidate now in ``state`` has got at least as far as ``step`` (forward states only)."""
    return state in FORWARD and FORWARD.index(state) >= FORWARD.index(step)
