"""The pure modules of recruiting against hand-computed cases (no database)."""

import datetime as dt

import pytest

from zhiren.recruiting import assessments, channels, gap, pipeline, survival

# --- the pipeline -------------------------------------------------------------------------------


def test_the_pipeline_moves_forward_one_step_or_skips_only_the_test():
    assert pipeline.next_states("applied") == ("screened", "rejected", "withdrawn")
    assert pipeline.next_states("screened") == ("tested", "interviewed", "rejected", "withdrawn")
    assert pipeline.next_states("offer") == ("accepted", "rejected", "withdrawn")
    assert pipeline.next_states("accepted") == ("onboarded", "withdrawn")
    for closed in ("onboarded", "rejected", "withdrawn"):
        assert pipeline.next_states(closed) == ()


@pytest.mark.parametrize(
    ("state", "target", "reason", "code"),
    [
        ("applied", "interviewed", "", "not_allowed"),  # no jumping over screening
        ("interviewed", "screened", "", "not_allowed"),  # never back
        ("screened", "rejected", "", "reason"),  # a rejection needs a reason
        ("screened", "rejected", "salary", "reason"),  # …one of the rejection reasons
        ("offer", "withdrawn", "knockout", "reason"),  # …and a withdrawal one of its own
        ("applied", "screened", "fit", "reason"),  # a forward step takes none
        ("rejected", "applied", "", "closed"),
        ("accepted", "rejected", "fit", "not_allowed"),  # accepted: only withdrawal is left
        ("nowhere", "applied", "", "unknown"),
    ],
)
def test_moves_the_pipeline_refuses(state, target, reason, code):
    with pytest.raises(pipeline.TransitionError) as caught:
        pipeline.check_transition(state, target, reason)
    assert caught.value.code == code


def test_moves_the_pipeline_allows():
    pipeline.check_transition("applied", "screened")
    pipeline.check_transition("screened", "interviewed")  # the test skipped (an internal move)
    pipeline.check_transition("tested", "rejected", "test_score")
    pipeline.check_transition("offer", "withdrawn", "other_offer")
    pipeline.check_transition("accepted", "onboarded")
    assert pipeline.reached("offer", "interviewed") and not pipeline.reached("rejected", "applied")


# --- Kaplan–Meier -------------------------------------------------------------------------------

# Six hires: left on days 5, 12, 12, 25; still here (censored) after 8 and 20 days.
#   day 5:  6 at risk, 1 left → S = 5/6
#   day 8:  one censored → 4 at risk on day 12
#   day 12: 4 at risk, 2 left → S = 5/6 × 2/4 = 5/12
#   day 20: one censored → 1 at risk on day 25
#   day 25: 1 at risk, 1 left → S = 0
HIRES = [(5, True), (8, False), (12, True), (12, True), (20, False), (25, True)]


def test_kaplan_meier_against_the_hand_computed_case():
    steps = survival.kaplan_meier(HIRES)
    assert [(s.day, s.at_risk, s.left) for s in steps] == [(5, 6, 1), (12, 4, 2), (25, 1, 1)]
    assert [s.survival for s in steps] == pytest.approx([5 / 6, 5 / 12, 0.0])


def test_retention_at_given_days_with_censoring():
    found = survival.retention_at(HIRES, (4, 10, 12, 22, 30))
    assert [r.value for r in found] == pytest.approx([1.0, 5 / 6, 5 / 12, 5 / 12, 0.0])
    assert [r.at_risk for r in found] == [6, 4, 4, 1, 0]
    # Censored beyond the last leaver: the curve is not known past the longest follow-up.
    late = survival.retention_at([(10, True), (50, False)], (30, 60))
    assert late[0].value == pytest.approx(0.5) and late[0].at_risk == 1
    assert late[1].value is None and late[1].at_risk == 0
    # A naive "share still here" would say 1/2 at day 30 for [(10, left), (20, here)]: KM says the
    # second hire was not followed to day 30, so S(30) is unknown.
    assert survival.retention_at([(10, True), (20, False)], (30,))[0].value is None


def test_a_leaver_and_a_censoring_on_the_same_day_the_leaver_goes_first():
    assert survival.kaplan_meier([(12, True), (12, False)])[0].survival == pytest.approx(0.5)
    with pytest.raises(ValueError):
        survival.kaplan_meier([(-1, True)])


def test_the_curve_for_the_chart():
    assert survival.curve(HIRES, 180) == [
        (0, 1.0),
        (5, pytest.approx(5 / 6)),
        (12, pytest.approx(5 / 12)),
        (25, 0.0),
        (25, 0.0),
    ]
    assert survival.curve([(40, False)], 30) == [(0, 1.0), (30, 1.0)]


# --- gap → requisition --------------------------------------------------------------------------


def test_weekly_attrition():
    assert gap.weekly_attrition(13, 100, 26) == pytest.approx(0.005)
    assert gap.weekly_attrition(0, 100, 26) == 0
    assert gap.weekly_attrition(5, 0, 26) == 0


def test_gap_to_requisition_arithmetic():
    weeks = [dt.date(2026, 3, 16), dt.date(2026, 3, 23), dt.date(2026, 3, 30)]
    found = gap.queue_gap(
        "aftersales",
        "售后",
        weeks,
        [10, 12, 15],
        11,
        0.1,
        training_days=21,
        today=dt.date(2026, 3, 11),
    )
    # still here: 11 × 0.9 = 9.9, 11 × 0.81 = 8.91, 11 × 0.729 = 8.019
    assert [w.available for w in found.weeks] == [9.9, 8.91, 8.02]
    assert [w.gap for w in found.weeks] == [0.1, 3.09, 6.98]
    assert found.first_short == dt.date(2026, 3, 23)  # 0.1 FTE short is noise (< 0.5)
    assert found.headcount == 7  # ceil(6.981)
    assert found.needed_by == dt.date(2026, 3, 2)  # 21 days of training before the first short week
    assert found.late  # …which is already past on 11 March
    enough = gap.queue_gap(
        "q", "q", weeks, [5, 5, 5], 10, 0.0, training_days=7, today=dt.date(2026, 3, 11)
    )
    assert (enough.headcount, enough.first_short, enough.needed_by, enough.late) == (
        0,
        None,
        None,
        False,
    )


# --- the built-in tests -------------------------------------------------------------------------


def test_typing_ignores_whitespace_but_counts_punctuation():
    result = assessments.score_typing("您好，很高兴", "您好， 很高兴", 30)
    assert (result.typed, result.errors, result.cpm, result.accuracy) == (6, 0, 12.0, 1.0)
    missed_comma = assessments.score_typing("您好，很高兴", "您好很高兴", 30)
    assert (missed_comma.typed, missed_comma.errors) == (
        5,
        2,
    )  # against "您好，很高": the comma missing, 兴 one too many


def test_typing_errors_are_the_edit_distance_to_the_passage_typed_so_far():
    result = assessments.score_typing("您好很高兴为您服务", "您好很高心为您", 30)
    assert (result.typed, result.errors) == (7, 1)
    assert (result.cpm, result.net_cpm, result.accuracy) == (
        14.0,
        12.0,
        pytest.approx(6 / 7, abs=1e-4),
    )
    assert assessments.score_typing("您好", "", 10).accuracy is None
    with pytest.raises(ValueError):
        assessments.score_typing("您好", "您好", 0)
    assert assessments.edit_distance("kitten", "sitting") == 3


def test_situational_judgement_and_knockout():
    keys = {"a": {"x": 2, "y": 1, "z": 0}, "b": {"x": 0, "y": 2}}
    assert assessments.score_sjt(keys, {"a": "y", "b": "y"}) == 0.75  # (1 + 2) / 4
    assert assessments.score_sjt(keys, {}) == 0
    assert assessments.knocked_out(
        {"shifts": "yes", "age": "yes"}, {"shifts": "no", "age": "yes"}
    ) == ["shifts"]
    assert assessments.knocked_out({"shifts": "yes"}, {}) == ["shifts"]
    assert assessments.typing_band(49) == 1 and assessments.typing_band(70) == 3


# --- the channel report -------------------------------------------------------------------------


def test_channel_rows():
    today = dt.date(2026, 3, 11)
    people = [
        channels.Applicant(
            "referral",
            offered=True,
            offer_accepted=True,
            hired_on=today - dt.timedelta(days=100),
            qa60=90,
        ),
        channels.Applicant(
            "referral",
            offered=True,
            offer_accepted=True,
            hired_on=today - dt.timedelta(days=100),
            left_on=today - dt.timedelta(days=50),
            qa60=80,
        ),  # left on day 50
        channels.Applicant("referral", offered=True, offer_accepted=False),
        channels.Applicant("referral"),
        channels.Applicant("labour_market", offered=True),  # offer not decided yet
    ]
    rows = {r.channel: r for r in channels.channel_rows(people, today)}
    ref = rows["referral"]
    assert (ref.applicants, ref.hires, ref.hire_rate) == (4, 2, 0.5)
    assert (ref.offers_decided, ref.offers_accepted, ref.acceptance) == (3, 2, pytest.approx(2 / 3))
    assert [(r.day, r.value) for r in ref.retention] == [(30, 1.0), (90, 0.5), (180, None)]
    assert (ref.qa_mean, ref.qa_n) == (85, 2)
    lab = rows["labour_market"]
    assert (lab.hires, lab.hire_rate, lab.acceptance, lab.retention, lab.qa_mean) == (
        0,
        0,
        None,
        (),
        None,
    )


def test_correlations_need_thirty_pairs():
    today = dt.date(2026, 3, 11)
    few = [
        channels.Applicant(
            "campus", hired_on=today - dt.timedelta(days=120), typing=50 + n, qa60=80 + n
        )
        for n in range(29)
    ]
    assert channels.typing_vs_qa(few) == channels.Correlation(29, None)
    assert not channels.typing_vs_qa(few).enough
    enough = [
        *few,
        channels.Applicant("campus", hired_on=today - dt.timedelta(days=120), typing=90, qa60=120),
    ]
    found = channels.typing_vs_qa(enough)
    assert found.n == 30 and found.r == pytest.approx(1.0)
    # retention: fast typists stay, slow ones left within 90 days; recent hires are not counted
    mixed = [
        channels.Applicant("campus", hired_on=today - dt.timedelta(days=200), typing=80)
        for _ in range(15)
    ]
    mixed += [
        channels.Applicant(
            "campus",
            hired_on=today - dt.timedelta(days=200),
            left_on=today - dt.timedelta(days=150),
            typing=40,
        )
        for _ in range(15)
    ]
    mixed += [channels.Applicant("campus", hired_on=today - dt.timedelta(days=10), typing=40)]
    found = channels.typing_vs_retention(mixed, today)
    assert found.n == 30 and found.r == pytest.approx(1.0)
    assert channels.pearson([1, 1], [2, 3]) is None


def test_the_same_figures_by_recruiter_band_and_interviewer():
    today = dt.date(2026, 3, 11)
    hired = today - dt.timedelta(days=100)
    people = [
        channels.Applicant(
            "referral", hired_on=hired, typing=72, recruiter="hr1", interviewers=("lead", "qa")
        ),
        channels.Applicant("campus", typing=29.9, recruiter="hr1", interviewers=("lead",)),
        channels.Applicant("campus", typing=30, recruiter="hr2"),
        channels.Applicant("campus"),
    ]
    bands = {
        r.channel: (r.applicants, r.hires)
        for r in channels.group_rows(people, today, channels.typing_band_label)
    }
    assert bands == {"≥ 70": (1, 1), "< 30": (1, 0), "30–49": (1, 0)}  # no score: in no band
    panel = {
        r.channel: (r.applicants, r.hires)
        for r in channels.group_rows(people, today, lambda a: a.interviewers)
    }
    assert panel == {"lead": (2, 1), "qa": (1, 1)}  # a candidate counts for each interviewer
    by_recruiter = {
        r.channel: r.hire_rate
        for r in channels.group_rows(people, today, lambda a: (a.recruiter,) if a.recruiter else ())
    }
    assert by_recruiter == {"hr1": 0.5, "hr2": 0.0}


def test_service_vs_sales_orientation():
    keys = ("a1", "a2", "a3", "a4", "a5", "a6")
    service = assessments.score_orientation(keys, dict.fromkeys(keys, "a") | {"a6": "b", "a5": "b"})
    assert (service.service_share, service.profile, service.answered) == (
        pytest.approx(4 / 6, abs=1e-4),
        "service",
        6,
    )
    sales = assessments.score_orientation(
        keys, {"a1": "a", "a2": "b", "a3": "b", "a4": "b", "a5": "b", "a6": "a"}
    )
    assert sales.profile == "sales"  # 2 of 6: at most 1/3
    balanced = assessments.score_orientation(
        keys, {"a1": "a", "a2": "a", "a3": "a", "a4": "b", "a5": "b", "a6": "b"}
    )
    assert balanced.profile == "balanced"
    assert assessments.score_orientation(keys, {"a1": "x"}) is None
    assert assessments.role_orientation("presales") == "sales"
    assert assessments.role_orientation("aftersales") == "service"
    assert assessments.role_orientation("qa") is None
