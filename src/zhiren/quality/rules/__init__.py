"""Transcript rules (智能质检): normalisation, the phrase matcher and the rule engine (plain Python)."""

from .engine import (
    AGENT,
    CUSTOMER,
    FORBIDDEN,
    KINDS,
    OVERLAP,
    REQUIRED,
    SILENCE,
    SPEECH_RATE,
    Hit,
    Rule,
    RuleError,
    RuleSet,
    Turn,
    transcript_errors,
)
from .matcher import PhraseMatcher
from .normalize import normalize, normalize_many

__all__ = [
    "AGENT", "CUSTOMER", "FORBIDDEN", "KINDS", "OVERLAP", "REQUIRED", "SILENCE", "SPEECH_RATE", "Hit", "PhraseMatcher",
    "Rule", "RuleError", "RuleSet", "Turn", "normalize", "normalize_many", "transcript_errors",
]
