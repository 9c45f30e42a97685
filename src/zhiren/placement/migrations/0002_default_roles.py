"""The default role catalogue (seed 000 §03); editable afterwards, never overwritten."""

from django.db import migrations

DEFAULTS = (
    ("presales", 10, ["curious", "lively", "ambitious"], ["product", "selling"]),
    ("aftersales", 20, ["calm", "steady", "patient"], ["product", "aftersales_process"]),
    ("complaints", 30, ["calm", "resilient", "empathetic"], ["de_escalation", "policy"]),
    ("qa", 40, ["rigorous", "rule_abiding", "analytical"], ["qa_scoring", "policy"]),
    ("trainer", 50, ["articulate", "mentoring", "patient"], ["training_delivery", "product"]),
    ("operations", 60, ["analytical", "organised", "curious"], ["data_analysis", "process_improvement"]),
    ("lead_reserve", 70, ["mentoring", "decisive", "steady"], ["people_leadership", "data_analysis"]),
)


def add_defaults(apps, schema_editor):
    RoleProfile = apps.get_model("placement", "RoleProfile")
    for code, order, traits, skills in DEFAULTS:
        RoleProfile.objects.get_or_create(code=code, defaults={"order": order, "traits": traits, "skills": skills})


class Migration(migrations.Migration):
    dependencies = [("placement", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
