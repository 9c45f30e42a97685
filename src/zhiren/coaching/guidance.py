"""What each situational state asks of the lead, in the seed's terms (001 第二讲, 第四讲; 004 二)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .situational import CHECK_AFTER_DAYS, QUESTIONS, State, delegation_modes

STATE_GUIDANCE = {
    State.DIRECTING: {
        "term": _("Directing"),
        "axes": _("Low ability, low willingness"),
        "directive": _("high"),
        "supportive": _("low"),
        "lead": _("Give clear instructions: what, how, by when. Show the steps, check often, and praise each "
                  "step done right so that confidence grows with skill."),
        "talk": _("Be specific and brief, one instruction at a time; ask them to repeat back what they will do."),
    },
    State.COACHING: {
        "term": _("Coaching"),
        "axes": _("Low ability, high willingness"),
        "directive": _("high"),
        "supportive": _("high"),
        "lead": _("Explain the why and teach the how; ask for their ideas and keep their enthusiasm alive by "
                  "recognising progress. A GROW session fits well."),
        "talk": _("Ask first, listen, then teach; agree small next steps and follow up on them."),
    },
    State.MOTIVATING: {
        "term": _("Motivating"),
        "axes": _("High ability, low willingness"),
        "directive": _("low"),
        "supportive": _("high"),
        "lead": _("They can do it; find out what switched their willingness off — motivation, confidence or "
                  "commitment — and involve them in decisions. Remove what gets in the way."),
        "talk": _("Open questions, real listening, sincere recognition of their skill; no lecturing."),
    },
    State.DELEGATING: {
        "term": _("Delegating"),
        "axes": _("High ability, high willingness"),
        "directive": _("low"),
        "supportive": _("low"),
        "lead": _("Agree the result and the check points, then let them choose the way. Give them visible "
                  "responsibility: mentoring newcomers, a project, the morning meeting."),
        "talk": _("Short and results-focused; ask what support they need and recognise their work in public."),
    },
    State.UNKNOWN: {
        "term": _("Unknown"),
        "axes": _("Not enough data"),
        "directive": "—",
        "supportive": "—",
        "lead": _("There is not enough data to place this agent. Rate their willingness with evidence, add a "
                  "skill assessment, or wait for KPI data — the state is never guessed."),
        "talk": _("Start with a conversation: ask how the work is going and what would help."),
    },
}

THREE_BELIEFS = (
    _("Believe they want to do the job well."),
    _("Believe they can do the job well."),
    _("Believe they will do even better next time."),
)

WILLINGNESS_ELEMENTS = (
    ("motivation", _("Motivation"), _("Do they want to do it? Is the work meaningful to them?")),
    ("confidence", _("Confidence"), _("Do they believe they can do it?")),
    ("commitment", _("Commitment"), _("Do they stick with it when it gets hard?")),
)

SOURCE_LABELS = {
    "kpi": _("KPIs"),
    "qa": _("Quality scores"),
    "skills": _("Skill assessments"),
    "lead": _("Lead's rating of ability"),
}

QUESTION_TEXT = {
    "what": {
        "label": _("What is the task?"),
        "tell": _("State the task and its scope in concrete terms."),
        "ask": _("Ask them to describe the task in their own words."),
    },
    "why": {
        "label": _("Why does it matter?"),
        "tell": _("Explain why it matters — to customers, the team and to them."),
        "ask": _("Ask why they think it matters, and to whom."),
    },
    "good": {
        "label": _("What does good look like?"),
        "tell": _("Show the standard: an example, the measure, the deadline."),
        "ask": _("Ask what a great result would look like and how you will both know."),
    },
    "resources": {
        "label": _("What resources are there?"),
        "tell": _("List the tools, people and time they can use."),
        "ask": _("Ask what resources or help they will need."),
    },
    "obstacles": {
        "label": _("What could get in the way?"),
        "tell": _("Name the likely obstacles and how to handle each."),
        "ask": _("Ask what could get in the way and how they would handle it."),
    },
    "check": {
        "label": _("When do we check?"),
        "tell": _("Fix when and how progress is checked."),
        "ask": _("Ask when they would like to review progress together."),
    },
}

MODE_LABELS = {"tell": _("Tell"), "ask": _("Ask")}


def delegation_questions(state: str) -> list[dict]:
    """The six guiding questions with the way to put each one for this state."""
    return [
        {
            "code": code,
            "label": QUESTION_TEXT[code]["label"],
            "mode": mode,
            "mode_label": MODE_LABELS[mode],
            "hint": QUESTION_TEXT[code][mode],
        }
        for code, mode in delegation_modes(state)
    ]


def check_after_days(state: str) -> int:
    return CHECK_AFTER_DAYS[State(state)]


assert tuple(QUESTION_TEXT) == QUESTIONS
