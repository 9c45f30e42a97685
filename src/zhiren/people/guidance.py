"""What works for each motivator (seed 000 §01: 对症下药)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import CareerAspiration, Motivator

MOTIVATOR_GUIDANCE = {
    Motivator.ACHIEVEMENT: _("Give new challenges one after another and recognise each success promptly."),
    Motivator.INCOME: _("Show concretely how to earn more in this role: targets, bonuses, skills that pay."),
    Motivator.GROWTH: _("Offer training, stretch tasks and a visible path to the next step."),
    Motivator.STABILITY: _("Keep schedules predictable and explain changes early; value their steadiness."),
    Motivator.RECOGNITION: _("Praise specifically and in public; put their good work in front of the team."),
    Motivator.FLEXIBILITY: _("Be open about shift swaps and time off; agree the boundaries clearly."),
    Motivator.BELONGING: _("Involve them in team life and decisions; check in often and personally."),
}

ASPIRATION_GUIDANCE = {
    CareerAspiration.STAY_GROW: _("Deepen their mastery: harder queues, mentoring newcomers, case library."),
    CareerAspiration.LEAD: _("Let them run a morning meeting or a small project; consider the lead reserve."),
    CareerAspiration.OPERATIONS: _("Share data tasks and campaign work; recommend them when operations opens a role."),
    CareerAspiration.QA: _("Invite them to calibration sessions and peer reviews."),
    CareerAspiration.TRAINING: _("Let them co-run a training or write up cases for newcomers."),
    CareerAspiration.CHANGE_CAREER: _("Talk openly about their plans; help them grow useful skills and part on good terms."),
}


def motivator_guidance(motivators: list[str]) -> list[dict]:
    """Ranked motivators with labels and the approach that works for each."""
    labels = dict(Motivator.choices)
    return [
        {"code": code, "rank": i, "label": labels[code], "guidance": MOTIVATOR_GUIDANCE[code]}
        for i, code in enumerate(motivators, start=1)
        if code in labels
    ]
