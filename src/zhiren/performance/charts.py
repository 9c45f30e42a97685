"""ECharts options for the dashboards, built from selector data (labels translated here)."""

from __future__ import annotations

from django.utils.translation import gettext as _

PALETTE = ["#206bc4", "#2fb344", "#f59f00", "#d63939", "#ae3ec9", "#17a2b8", "#74b816", "#f76707"]


def _labels(trend: dict) -> list[str]:
    """A point's label: MM-DD for a day, YYYY-MM for a month (long ranges, ``months.MONTH``)."""
    if trend.get("grain") == "month":
        return [d[:7] for d in trend["days"]]
    return [d[5:] for d in trend["days"]]


def _base(trend: dict):
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 48, "right": 48, "top": 36, "bottom": 28},
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": _labels(trend), "boundaryGap": False},
    }


def trend(trend: dict, code: str, label: str, *, median_key: str | None = None, target: float | None = None,
          unit: str = "") -> dict:
    option = _base(trend)
    series = [{"name": label, "type": "line", "data": trend[code], "smooth": True, "connectNulls": False,
               "showSymbol": False}]
    if median_key:
        series.append({"name": _("Team median"), "type": "line", "data": trend[median_key], "smooth": True,
                       "showSymbol": False, "lineStyle": {"type": "dashed"}})
    if target is not None:
        series[0]["markLine"] = {"symbol": "none", "label": {"formatter": _("Target")},
                                 "lineStyle": {"color": "#d63939"}, "data": [{"yAxis": target}]}
    option["series"] = series
    option["yAxis"] = {"type": "value", "scale": True, "name": unit}
    return option


def volume_and_quality(trend: dict) -> dict:
    option = _base(trend)
    option["yAxis"] = [
        {"type": "value", "name": _("Contacts")},
        {"type": "value", "name": "%", "min": 50, "max": 100},
    ]
    option["xAxis"]["boundaryGap"] = True
    option["series"] = [
        {"name": _("Contacts handled"), "type": "bar", "data": trend["volume"], "itemStyle": {"opacity": 0.55}},
        {"name": _("Customer satisfaction"), "type": "line", "yAxisIndex": 1, "data": trend["csat"], "smooth": True,
         "showSymbol": False},
        {"name": _("First contact resolution"), "type": "line", "yAxisIndex": 1, "data": trend.get("fcr", []),
         "smooth": True, "showSymbol": False},
    ]
    return option


def histogram(dist: dict, label: str) -> dict:
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 16, "top": 24, "bottom": 40},
        "xAxis": {"type": "category", "data": dist["labels"], "name": label, "nameLocation": "middle",
                  "nameGap": 28},
        "yAxis": {"type": "value", "minInterval": 1, "name": _("Agents")},
        "series": [{"name": _("Agents"), "type": "bar", "data": dist["counts"]}],
    }


def teams_csat(trend: dict) -> dict:
    option = _base(trend)
    option["yAxis"] = {"type": "value", "scale": True, "name": "%"}
    option["series"] = [
        {"name": t["name"], "type": "line", "data": t["csat"], "smooth": True, "showSymbol": False}
        for t in trend["teams"]
    ]
    return option


def intraday(data: dict) -> dict:
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 48, "right": 48, "top": 36, "bottom": 28},
        "xAxis": {"type": "category", "data": data["slots"][32:88]},
        "yAxis": [{"type": "value", "name": _("Contacts / day")}, {"type": "value", "name": "%", "max": 100}],
        "series": [
            {"name": _("Offered per 15 minutes"), "type": "bar", "data": data["offered"][32:88]},
            {"name": _("Service level"), "type": "line", "yAxisIndex": 1, "data": data["service_level"][32:88],
             "showSymbol": False, "connectNulls": True},
        ],
    }


def sparkline_points(values: list, width: int = 120, height: int = 28) -> str:
    """SVG polyline points of a sparkline (gaps skipped)."""
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return ""
    low, high = min(present), max(present)
    span = (high - low) or 1
    step = width / max(1, len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in enumerate(values)
        if v is not None
    )


def agent_intraday(data: dict) -> dict:
    """An agent's half-hours: contacts handled per day worked (bars) and AHT (line)."""
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 48, "right": 48, "top": 36, "bottom": 28},
        "xAxis": {"type": "category", "data": data["slots"]},
        "yAxis": [{"type": "value", "name": _("Contacts / day")}, {"type": "value", "name": "s", "scale": True}],
        "series": [
            {"name": _("Contacts handled per half hour"), "type": "bar", "data": data["volume"]},
            {"name": _("Average handle time"), "type": "line", "yAxisIndex": 1, "data": data["aht"],
             "showSymbol": False, "connectNulls": False},
        ],
    }
