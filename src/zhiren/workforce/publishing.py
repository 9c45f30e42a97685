"""Writes to the published schedule: the active shifts of agents and days, with change notices.

Publishing a roster, approving a swap and approving leave all end here, so an agent whose
shift changes is told the same way whatever changed it.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PublishedShift, ShiftNotice


def describe(shift: PublishedShift | None) -> str:
    if shift is None:
        return _("day off")
    return (
        f"{shift.template} {shift.start_minute // 60 % 24:02d}:{shift.start_minute % 60:02d}–"
        f"{shift.end_minute // 60 % 24:02d}:{shift.end_minute % 60:02d}"
    )


def replace_published(agent_ids, start: date, end: date, new: dict, *, notify_reason: str) -> int:
    """Make ``new`` {(agent, day): PublishedShift} the active schedule of these agents and days.

    Changed (agent, day) pairs that had a published shift before are notified. Returns changes.
    """
    old = {
        (p.agent_id, p.day): p
        for p in PublishedShift.objects.filter(
            agent_id__in=agent_ids, day__range=(start, end), active=True
        )
    }
    changed = []
    for key in set(old) | set(new):
        before, after = old.get(key), new.get(key)
        if (
            before
            and after
            and (before.start_minute, before.end_minute, before.activities)
            == (after.start_minute, after.end_minute, after.activities)
        ):
            new.pop(key)
            old.pop(key)
            continue
        changed.append((key, before, after))
    PublishedShift.objects.filter(pk__in=[p.pk for p in old.values()]).update(active=False)
    PublishedShift.objects.bulk_create(list(new.values()), batch_size=1000)
    today = timezone.localdate()
    notices = [
        ShiftNotice(
            agent_id=agent_id,
            day=day,
            text=_("%(day)s: your shift changed from %(before)s to %(after)s (%(reason)s).")
            % {
                "day": day.strftime("%m-%d"),
                "before": describe(before),
                "after": describe(after),
                "reason": notify_reason,
            },
        )
        for (agent_id, day), before, after in changed
        if before is not None and day >= today
    ]
    ShiftNotice.objects.bulk_create(notices)
    return len(changed)
