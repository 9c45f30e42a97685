"""The forecaster's tuning knobs."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import EngineInputError


@dataclass(frozen=True)
class ForecastConfig:
    """Tuning knobs; the defaults suit typical contact-centre history."""

    trend: str = "damped"  # "linear", "damped" or "none"
    trend_damping_days: float = 365.0  # damped: trend flattens with this time constant
    min_trend_days: int = 56  # fewer days of history: no trend term
    yearly_min_days: int = 365  # fewer days of history: no yearly (Fourier) terms
    yearly_harmonics: int = 3
    profile_half_life_weeks: float = 8.0  # recency weighting of intraday profiles and AHT
    profile_prior_days: float = 2.0  # shrinkage of a profile toward its group, in days of volume
    special_profile_prior_days: float = 0.25  # the same for holiday and event profiles
    aht_prior_contacts: float = 30.0  # shrinkage of a slot's AHT toward its group, in contacts
    huber_c: float = 2.0  # robust down-weighting of outlying days
    min_history_days: int = 14
    # promotion profiles (event_profiles.py): the days searched around each peak, the
    # prior sd of one occurrence's log effect around its family's, the same for a name
    # around its family, and the smallest log effect that widens a family's window
    event_days_before: int = 14
    event_days_after: int = 10
    event_occurrence_sd: float = 0.10
    event_name_sd: float = 0.15
    event_min_effect: float = 0.02
    # a day near a peak this far above the calendar spreads its extra contacts by their own
    # learned shape (the midnight rush), not by the calendar's
    event_min_excess_share: float = 0.15
    # recent level: the ratio of actual to fitted over the last ordinary days (half-life in
    # days, how many days back) corrects the forecast's level after a break in the trend
    recent_level_half_life_days: float = 14.0
    recent_level_days: int = 56

    def __post_init__(self) -> None:
        if self.trend not in ("linear", "damped", "none"):
            raise EngineInputError(f"trend must be linear, damped or none, got {self.trend!r}")
        if self.event_days_before < 0 or self.event_days_after < 0:
            raise EngineInputError("event_days_before and event_days_after must be >= 0")
