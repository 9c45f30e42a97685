from __future__ import annotations

from django.urls import reverse

from zhiren.audit.models import AuditAction, AuditEvent
from zhiren.audit.selectors import audit_events
from zhiren.audit.services import record, record_many


def test_record_keeps_field_names_never_values(world, rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    event = record(
        actor=world.user("lead"),
        action=AuditAction.READ,
        obj=world.peer,
        fields=["birthday", "name", "birthday"],
        subject_agent_id=world.peer.pk,
        request=request,
    )
    assert event.object_type == "org.agent"
    assert event.object_id == str(world.peer.pk)
    assert event.fields == ["birthday", "name"]
    assert event.actor_name == "lead"
    assert event.ip_address == "192.0.2.7"
    stored = str(AuditEvent.objects.filter(pk=event.pk).values().get())
    assert world.peer.name not in stored
    assert str(world.peer.birthday) not in stored


def test_record_many_writes_one_event_per_subject_in_one_insert(world, rf, django_assert_num_queries):
    request = rf.get("/", REMOTE_ADDR="192.0.2.8")
    subjects = [world.agent.pk, world.peer.pk, world.a2_agent.pk]
    with django_assert_num_queries(1):
        record_many(actor=world.user("hr"), action=AuditAction.READ, obj=world.team_a1, fields=["note", "note"],
                    subject_agent_ids=subjects, purpose="talk", request=request)
    events = list(AuditEvent.objects.order_by("pk").values(
        "actor_name", "action", "object_type", "object_id", "subject_agent_id", "fields", "purpose", "ip_address"))
    assert events == [
        {"actor_name": "hr", "action": "read", "object_type": "org.team", "object_id": str(world.team_a1.pk),
         "subject_agent_id": subject, "fields": ["note"], "purpose": "talk", "ip_address": "192.0.2.8"}
        for subject in subjects
    ]
    assert all(event.at is not None for event in AuditEvent.objects.all())


def test_system_actor_is_named(world):
    event = record(actor=None, action=AuditAction.UPDATE, object_type="x", object_id=1)
    assert event.actor_id is None and event.actor_name == "system"


def test_forwarded_for_is_ignored_unless_trusted(world, rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert record(actor=None, action="read", object_type="x", request=request).ip_address == "10.1.1.1"
    settings.TRUST_X_FORWARDED_FOR = True
    assert record(actor=None, action="read", object_type="x", request=request).ip_address == "203.0.113.9"


def test_only_admins_query_the_log(world):
    record(actor=world.user("hr"), action=AuditAction.READ, obj=world.far, subject_agent_id=world.far.pk)
    assert audit_events(world.user("admin")).count() == 1
    assert audit_events(world.user("hr")).count() == 0
    assert audit_events(world.user("manager")).count() == 0


def test_admin_filters_the_log_page(world, client_for):
    record(actor=world.user("hr"), action=AuditAction.READ, obj=world.far, subject_agent_id=world.far.pk)
    record(actor=world.user("lead"), action=AuditAction.EXPORT, object_type="org.agent")
    client = client_for(world.user("admin"))
    page = client.get(reverse("audit:list"), {"action": "export"}).context["page"]
    assert [e.actor_name for e in page.object_list] == ["lead"]
    page = client.get(reverse("audit:list"), {"agent": str(world.far.pk)}).context["page"]
    assert [e.actor_name for e in page.object_list] == ["hr"]


def test_log_page_names_models_and_fields_in_the_readers_language(world, client_for):
    """Not "org.agent #" and "birthday": the model's and the fields' verbose names."""
    import re

    record(actor=world.user("hr"), action=AuditAction.READ, obj=world.far, fields=["birthday"],
           subject_agent_id=world.far.pk)
    record(actor=world.user("lead"), action=AuditAction.EXPORT, object_type="org.agent")
    client = client_for(world.user("admin"))
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("audit:list")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "org.agent" not in text and "birthday" not in text
    assert f"坐席 #{world.far.pk}" in text and "生日" in text
