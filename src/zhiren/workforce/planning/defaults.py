"""What a site starts with: three shift templates, labour rules and shrinkage by kind.

The setup pages show these (unsaved) until the planner's first change stores them
(``services.ensure_site_setup``), so opening a page never writes.
"""

from __future__ import annotations

from zhiren.org.models import Site

from ..models import ShiftTemplate, Shrinkage, ShrinkageKind

DEFAULT_TEMPLATES = (
    # name, earliest, latest, length, late
    ("早班", 8 * 60, 9 * 60, 9 * 60, False),
    ("中班", 11 * 60, 12 * 60, 9 * 60, False),
    ("晚班", 13 * 60, 14 * 60, 9 * 60, True),
)
DEFAULT_BREAKS = [
    {"kind": "break", "length": 15, "earliest_after": 90, "latest_after": 150, "paid": True},
    {"kind": "lunch", "length": 60, "earliest_after": 210, "latest_after": 300, "paid": False},
    {"kind": "break", "length": 15, "earliest_after": 360, "latest_after": 450, "paid": True},
]
DEFAULT_SHRINKAGE = {
    ShrinkageKind.BREAKS: (7.0, True),
    ShrinkageKind.MEETINGS: (3.0, False),
    ShrinkageKind.TRAINING: (4.0, False),
    ShrinkageKind.COACHING: (2.0, False),
    ShrinkageKind.LEAVE: (6.0, False),
}


def default_templates(site: Site) -> list[ShiftTemplate]:
    """The default shift templates of a site that has none, unsaved."""
    return [
        ShiftTemplate(
            site=site,
            name=name,
            earliest_start=earliest,
            latest_start=latest,
            length_minutes=length,
            start_step=30,
            late=late,
            breaks=DEFAULT_BREAKS,
        )
        for name, earliest, latest, length, late in DEFAULT_TEMPLATES
    ]


def missing_shrinkage(site: Site, kinds: set[str]) -> list[Shrinkage]:
    """The default shrinkage of the kinds a site lacks (it has ``kinds``), unsaved."""
    return [
        Shrinkage(site=site, kind=kind, percent=percent, planned_in_roster=planned)
        for kind, (percent, planned) in DEFAULT_SHRINKAGE.items()
        if kind not in kinds
    ]
