"""The workspace's part of an agent's own data (privacy's export and 'my data' page)."""

from __future__ import annotations

from zhiren.leadership.models import Attendance, CardState
from zhiren.leadership.personal_data import collect

from .helpers import huddle


def test_the_agent_gets_their_huddles_and_the_tasks_handed_to_them_only(world):
    h = huddle(world.team_a1)
    Attendance.objects.create(huddle=h, agent=world.agent, present=False)
    Attendance.objects.create(huddle=h, agent=world.peer, present=True)
    lead = world.user("lead")
    CardState.objects.create(owner=lead, key="task:1", status="delegated", delegated_to=world.agent, note="回访")
    CardState.objects.create(owner=lead, key="task:2", status="delegated", delegated_to=world.peer, note="别人的")
    CardState.objects.create(owner=lead, key="task:3", status="done", note="没有交给谁")

    sections = {s.key: s for s in collect(world.agent)}

    (attended,) = sections["huddle_attendance"].rows
    assert attended["present"] is False and attended["team"] == world.team_a1.name
    assert [row["note"] for row in sections["delegated_cards"].rows] == ["回访"]
