"""Who sees what in recruiting, always through ``zhiren.org``.

- HR (the recruiter role, "Recruiter / HR") at a site: that site's candidates with their
  personal data, requisitions, interviews and every submitted scorecard;
- an interviewer: the candidates they interview (personal data and the kit), their own
  scorecard, and the others' scorecards of that interview once their own is submitted —
  the hiring manager of a requisition is one of its interviewers and sees no more;
- the site manager (and the admin): requisitions of their sites, which they approve, the
  staffing gap and the channel report (figures, no candidate's personal data);
- planners who raise requisitions: the site manager, HR and the admin.
Anything outside that is a 404.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from zhiren.org import selectors as org_selectors
from zhiren.org.access import load_access
from zhiren.org.models import Role, Site
from zhiren.org.scoping import get_or_404

from .models import Candidate, Interview, InterviewScorecard, ListeningClip, Requisition

RECRUITER_ROLES = (Role.HR,)
PLANNER_ROLES = (Role.SITE_MANAGER, Role.HR, Role.ADMIN)
APPROVER_ROLES = (Role.SITE_MANAGER, Role.ADMIN)
REPORT_ROLES = (Role.SITE_MANAGER, Role.HR, Role.ADMIN)


def recruiter_sites(user) -> QuerySet[Site]:
    return org_selectors.managed_sites(user, RECRUITER_ROLES)


def planner_sites(user) -> QuerySet[Site]:
    return org_selectors.managed_sites(user, PLANNER_ROLES)


def approver_sites(user) -> QuerySet[Site]:
    return org_selectors.managed_sites(user, APPROVER_ROLES)


def report_sites(user) -> QuerySet[Site]:
    return org_selectors.managed_sites(user, REPORT_ROLES)


def is_recruiter(user) -> bool:
    return load_access(user).has_role(*RECRUITER_ROLES) and recruiter_sites(user).exists()


def may_plan(user) -> bool:
    return load_access(user).has_role(*PLANNER_ROLES) and planner_sites(user).exists()


def may_report(user) -> bool:
    return load_access(user).has_role(*REPORT_ROLES) and report_sites(user).exists()


def is_interviewer(user) -> bool:
    if not load_access(user).is_authenticated:
        return False
    return InterviewScorecard.objects.filter(interviewer=user).exists()


def visible_clips(user) -> QuerySet[ListeningClip]:
    """Listening clips (and their transcripts) of the sites where the user is HR."""
    if not load_access(user).has_role(*RECRUITER_ROLES):
        return ListeningClip.objects.none()
    return ListeningClip.objects.filter(site__in=recruiter_sites(user)).select_related("site")


def get_clip(user, pk) -> ListeningClip:
    return get_or_404(visible_clips(user), pk)


def visible_requisitions(user) -> QuerySet[Requisition]:
    if not load_access(user).has_role(*PLANNER_ROLES):
        return Requisition.objects.none()
    return Requisition.objects.filter(site__in=planner_sites(user)).select_related(
        "site", "role", "team"
    )


def get_requisition(user, pk) -> Requisition:
    return get_or_404(visible_requisitions(user), pk)


def visible_candidates(user) -> QuerySet[Candidate]:
    """Candidates whose personal data the user may see: HR of the site, or an interviewer of theirs."""
    access = load_access(user)
    if not access.is_authenticated:
        return Candidate.objects.none()
    mine = InterviewScorecard.objects.filter(interviewer_id=access.user_id).values(
        "interview__candidate_id"
    )
    condition = Q(pk__in=mine)
    if access.has_role(*RECRUITER_ROLES):
        condition |= Q(site__in=recruiter_sites(user))
    return Candidate.objects.filter(condition).select_related("site", "requisition__role")


def get_candidate(user, pk) -> Candidate:
    return get_or_404(visible_candidates(user), pk)


def recruited_candidates(user) -> QuerySet[Candidate]:
    """Candidates the user manages as a recruiter (moves, tests, offers): HR of the site only."""
    if not load_access(user).has_role(*RECRUITER_ROLES):
        return Candidate.objects.none()
    return Candidate.objects.filter(site__in=recruiter_sites(user)).select_related(
        "site", "requisition__role"
    )


def get_recruited_candidate(user, pk) -> Candidate:
    return get_or_404(recruited_candidates(user), pk)


def get_own_scorecard(user, pk) -> InterviewScorecard:
    """The user's own scorecard (to fill in), or 404."""
    access = load_access(user)
    qs = InterviewScorecard.objects.filter(interviewer_id=access.user_id).select_related(
        "interview__kit", "interview__candidate"
    )
    return get_or_404(qs if access.is_authenticated else qs.none(), pk)


def _readable(
    cards: list[InterviewScorecard], user_id: int | None, recruiter: bool
) -> list[InterviewScorecard]:
    own = next((c for c in cards if c.interviewer_id == user_id), None)
    sees_others = recruiter or (own is not None and own.submitted_at is not None)
    return [c for c in cards if c is own or (sees_others and c.submitted_at is not None)]


def visible_scorecards(user, interview: Interview) -> list[InterviewScorecard]:
    """The scorecards of an interview the user may read.

    Their own always; the others' submitted ones once their own is submitted, or all
    submitted ones for HR of the site. Unsubmitted cards are seen by their author only.
    """
    cards = list(interview.scorecards.select_related("interviewer").order_by("pk"))
    recruiter = recruited_candidates(user).filter(pk=interview.candidate_id).exists()
    return _readable(cards, load_access(user).user_id, recruiter)


def candidate_scorecards(
    user, candidate: Candidate, *, recruiter: bool
) -> dict[int, list[InterviewScorecard]]:
    """``visible_scorecards`` for every interview of the candidate, in one query."""
    by_interview: dict[int, list[InterviewScorecard]] = {}
    for card in (
        InterviewScorecard.objects.filter(interview__candidate=candidate)
        .select_related("interviewer")
        .order_by("interview_id", "pk")
    ):
        by_interview.setdefault(card.interview_id, []).append(card)
    user_id = load_access(user).user_id
    return {pk: _readable(cards, user_id, recruiter) for pk, cards in by_interview.items()}


INTERVIEWER_ROLES = (Role.TEAM_LEAD, Role.QA, Role.TRAINER, Role.HR, Role.SITE_MANAGER)


def interviewer_choices() -> QuerySet[User]:
    """Who may sit on an interview panel: staff with a lead, QA, trainer, HR or site-manager role."""
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=INTERVIEWER_ROLES)
        .distinct()
        .order_by("username")
    )
