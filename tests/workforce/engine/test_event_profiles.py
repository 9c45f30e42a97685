"""Promotion profiles: the learner, its shrinkage, the midnight launch, the events file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math

import numpy as np
import pytest

from zhiren.workforce.engine.cli import main
from zhiren.workforce.engine.errors import EngineInputError
from zhiren.workforce.engine.event_profiles import (
    EffectSample,
    Occurrence,
    learn_effects,
    smooth,
)
from zhiren.workforce.engine.forecast import Event, fit_forecast_model
from zhiren.workforce.engine.forecast_io import read_events_csv
from zhiren.workforce.engine.synthetic_ecommerce import (
    development_spec,
    generate_ecommerce,
    peak_events,
)

from .forecast_support import settings  # noqa: F401

D = dt.date
PRIORS = {"occurrence_sd": 0.10, "name_sd": 0.15, "min_effect": 0.02}


def _samples(name, family, peaks, effects, poisson_var=1e-4, noise=None):
    out = []
    for j, peak in enumerate(peaks):
        for k, effect in effects.items():
            extra = 0.0 if noise is None else noise[j]
            out.append(EffectSample(Occurrence(name, family, peak), k, effect + extra, poisson_var))
    return out


def test_the_learner_recovers_a_known_profile_and_its_window():
    truth = {-6: 0.0, -5: 0.0, -4: 0.0, -3: 0.25, -2: 0.4, -1: 0.6, 0: 1.2, 1: 0.35, 2: 0.0}
    peaks = [D(2021, 11, 11), D(2022, 11, 11), D(2023, 11, 11)]
    samples = _samples("双11", "双11", peaks, truth, noise=[0.02, -0.02, 0.0])
    profiles = learn_effects(samples, **PRIORS)
    family = profiles.families["双11"]
    assert family.window == (-3, 1)  # the days with no effect are left out
    assert family.occurrences == 3
    for k in range(-3, 2):
        assert family.effect[k] == pytest.approx(truth[k], abs=0.02), k
    assert profiles.uplift("双11", "双11") == pytest.approx(math.exp(1.2), rel=0.02)
    # a day outside the window has no effect, whatever the occurrence
    assert profiles.log_effect(Occurrence("双11", "双11", D(2024, 11, 11)), -5) == 0.0
    assert profiles.log_effect(Occurrence("双11", "双11", D(2024, 11, 11)), 0) == pytest.approx(
        family.effect[0]
    )


def test_one_past_occurrence_is_shrunk_more_than_many():
    """The same small apparent effect: trusted after six occurrences, mostly noise after one."""
    effects = {-1: 0.06, 0: 0.06, 1: 0.06}
    peaks = [D(2018 + i, 6, 18) for i in range(6)]
    noise = [0.05, -0.05, 0.04, -0.04, 0.03, -0.03]
    many = _samples("618", "618", peaks, effects, noise=noise)
    one = _samples("own sale", "own sale", [D(2023, 9, 9)], effects)
    profiles = learn_effects(many + one, **PRIORS)
    kept_many = profiles.families["618"].kept[0]
    kept_one = profiles.families["own sale"].kept[0]
    assert kept_one < 0.3 < 0.75 < kept_many
    assert abs(profiles.families["own sale"].effect.get(0, 0.0)) < 0.02
    assert profiles.families["own sale"].window == (0, 0)
    assert 0.045 < profiles.families["618"].effect[0] <= 0.06  # shrunk a little
    # a strong peak keeps nearly all of its effect even after one occurrence
    strong = learn_effects(_samples("双12", "双12", [D(2023, 12, 12)], {0: 0.8}), **PRIORS)
    assert strong.families["双12"].effect[0] == pytest.approx(0.8, rel=0.05)


def test_a_name_with_one_occurrence_borrows_from_its_family():
    peaks = [D(2019 + i, 5, 20) for i in range(4)]
    family_days = {0: 0.7, 1: 0.2}
    spring = _samples("spring sale", "大促", peaks, family_days, noise=[0.03, -0.03, 0.02, -0.02])
    anniversary = _samples("anniversary", "大促", [D(2023, 9, 9)], {0: 1.1, 1: 0.2})
    profiles = learn_effects(spring + anniversary, **PRIORS)
    family_peak = profiles.families["大促"].effect[0]
    own_peak = profiles.names["anniversary"][0]
    assert family_peak < own_peak < 1.1  # pulled from its own 1.1 toward the family
    # a name never seen gets the family's profile
    new = Occurrence("summer sale", "大促", D(2024, 7, 7))
    assert profiles.log_effect(new, 0) == pytest.approx(family_peak)
    assert profiles.uplift("summer sale", "大促") == pytest.approx(math.exp(family_peak))


def test_smoothing_keeps_a_midnight_launch_at_midnight():
    v = np.zeros(96)
    v[:4] = 1.0
    s = smooth(v)
    assert int(np.argmax(s)) == 0
    assert s[:4].sum() > 0.85 * v[:4].sum()
    assert s[8:].sum() == 0


@pytest.fixture(scope="module")
def shop():
    """Hourly history of one queue, 双11 2024 held out: 2023's 双11 is its only past one."""
    spec = dataclasses.replace(
        development_spec(D(2023, 6, 5), 530), interval_minutes=60, queues=("presales",)
    )
    return spec, generate_ecommerce(spec)


def _fit(shop, with_events=True):
    spec, series = shop
    cut = D(2024, 11, 4)
    history = [o for o in series.observations if o.start.date() < cut]
    model = fit_forecast_model(history, events=peak_events(spec) if with_events else ())
    return model, model.predict(start=cut, days=14)


def test_a_multi_day_promotion_is_forecast_from_its_peak_day_only(shop):
    spec, series = shop
    model, result = _fit(shop)
    desc = model.fits["presales"].description
    first, last = desc.event_windows["双11"]
    assert first <= -5 and last >= 3  # build-up and after-sales tail found in the data
    assert desc.event_occurrences["双11"] == 1
    idx = {d: i for i, d in enumerate(series.dates)}
    by_day = {d.date: d for d in result.daily}
    for offset in range(-3, 4):
        day = D(2024, 11, 11) + dt.timedelta(days=offset)
        true = series.rates["presales"][idx[day]].sum()
        assert by_day[day].volume == pytest.approx(true, rel=0.08), offset
    assert by_day[D(2024, 11, 11)].events == ("双11",)
    assert by_day[D(2024, 11, 10)].events == ("双11 -1",)
    # without the events table the peak and its neighbours are far off
    _, plain = _fit(shop, with_events=False)
    peak = next(d for d in plain.daily if d.date == D(2024, 11, 11))
    assert peak.volume < 0.5 * by_day[D(2024, 11, 11)].volume


def test_the_peak_day_keeps_its_midnight_launch(shop):
    spec, series = shop
    _, result = _fit(shop)
    idx = {d: i for i, d in enumerate(series.dates)}
    peak = [r.volume for r in result.intervals if r.start.date() == D(2024, 11, 11)]
    true = series.rates["presales"][idx[D(2024, 11, 11)]]
    assert int(np.argmax(peak)) == 0  # 00:00-01:00 is the busiest hour
    assert peak[0] / sum(peak) == pytest.approx(true[0] / true.sum(), rel=0.2)
    ordinary = [r.volume for r in result.intervals if r.start.date() == D(2024, 11, 15)]
    assert ordinary[0] < 0.1 * max(ordinary)  # an ordinary night is quiet


def test_an_events_file_with_only_peak_days():
    events = read_events_csv(
        io.StringIO("name,peak_date,family\n双11,2024-11-11,\nanniversary,2025-09-09,大促\n")
    )
    assert [(e.name, e.family_name, e.peak, e.profiled) for e in events] == [
        ("双11", "双11", D(2024, 11, 11), True),
        ("anniversary", "大促", D(2025, 9, 9), True),
    ]
    assert events[0].start == events[0].end == D(2024, 11, 11)


def test_the_older_events_format_is_still_read():
    events = read_events_csv(
        io.StringIO(
            "name,start_date,end_date,uplift\n"
            "双11,2024-11-11,2024-11-11,\n"
            "live stream,2024-09-03,,1.5\n"
            "autumn sale,2024-09-20,2024-09-22,\n"
        )
    )
    one_day, given, span = events
    assert one_day.profiled and one_day.peak_day == D(2024, 11, 11) and one_day.peak is None
    assert not given.profiled and given.uplift == 1.5 and given.end == D(2024, 9, 3)
    assert not span.profiled and span.end == D(2024, 9, 22)


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("name,peak_date\n双11,2024-11-11\n双12,12/12/2024\n", 3, "peak_date"),
        ("name,peak_date\n双11,\n", 2, "peak_date"),
        ("name,peak_date,family\n,2024-11-11,x\n", 2, "name"),
        (
            "name,start_date,end_date,peak_date\nx,2024-11-01,2024-11-05,2024-11-11\n",
            2,
            "peak_date",
        ),
        ("name,start_date,end_date\nx,2024-11-05,2024-11-01\n", 2, "end_date"),
        ("name,peak_date,uplift\nx,2024-11-11,-2\n", 2, "uplift"),
        ("name,family\nx,y\n", 1, None),
    ],
)
def test_bad_events_rows_name_row_and_column(text, row, column):
    with pytest.raises(EngineInputError) as exc:
        read_events_csv(io.StringIO(text))
    assert exc.value.row == row
    assert exc.value.column == column


def test_the_cli_reads_peak_days_and_warns_on_a_family_never_seen(tmp_path, capsys):
    spec = dataclasses.replace(
        development_spec(D(2025, 8, 4), 35), interval_minutes=60, queues=("presales",)
    )
    series = generate_ecommerce(dataclasses.replace(spec, promotions=()))
    history = tmp_path / "h.csv"
    history.write_text(
        "interval_start,queue,volume\n"
        + "".join(
            f"{o.start:%Y-%m-%dT%H:%M},{o.queue},{int(o.volume)}\n" for o in series.observations
        ),
        encoding="utf-8",
    )
    events = tmp_path / "e.csv"
    events.write_text("name,peak_date\n双11,2025-09-10\n", encoding="utf-8")
    rc = main(["forecast", str(history), "--events", str(events), "--horizon-weeks", "1", "-q"])
    assert rc == 0
    assert "'双11' has no uplift and no past occurrence" in capsys.readouterr().err
    events.write_text("name,peak_date\n双11,2025-09-31\n", encoding="utf-8")
    assert main(["forecast", str(history), "--events", str(events)]) == 2
    assert "row 2, column 'peak_date'" in capsys.readouterr().err


def test_profiled_and_span_events_are_told_apart():
    assert Event("x", D(2024, 1, 1), D(2024, 1, 1)).profiled
    assert not Event("x", D(2024, 1, 1), D(2024, 1, 1), uplift=1.4).profiled
    assert not Event("x", D(2024, 1, 1), D(2024, 1, 3)).profiled
    assert Event("x", D(2024, 1, 1), D(2024, 1, 3), peak=D(2024, 1, 2)).profiled
    with pytest.raises(EngineInputError) as exc:
        Event("x", D(2024, 1, 1), D(2024, 1, 3), peak=D(2024, 1, 9))
    assert exc.value.column == "peak_date"
