"""Regenerate the forecasting example files in this folder (deterministic).

.venv/bin/python docs/wfm/make_forecast_examples.py
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from zhiren.workforce.engine.forecast_synthetic import SyntheticSpec, generate

HERE = Path(__file__).resolve().parent


def main() -> None:
    spec = SyntheticSpec(
        start=dt.date(2025, 9, 1),
        days=49,  # 7 weeks, including National Day and two make-up workdays
        queues=("general", "vip"),
        base_daily=1200.0,
        promotions=[(dt.date(2025, 9, 20), dt.date(2025, 9, 20), 1.8)],
        seed=2025,
    )
    series = generate(spec)
    with (HERE / "forecast_history.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["interval_start", "queue", "volume", "aht_seconds"])
        for o in series.observations:
            aht = "" if o.aht_seconds is None else f"{o.aht_seconds:.0f}"
            w.writerow([o.start.strftime("%Y-%m-%dT%H:%M"), o.queue, int(o.volume), aht])
    (HERE / "forecast_events.csv").write_text(
        "name,family,peak_date,uplift\nautumn sale,大促,2025-09-20,\ndouble 11,,2025-11-11,2.5\n",
        encoding="utf-8",
    )
    (HERE / "forecast_holidays.csv").write_text(
        "date,kind,name\n"
        "2025-11-03,holiday,company day\n"
        "2027-02-06,holiday,Spring Festival\n"
        "2027-02-20,workday,Spring Festival swap\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
