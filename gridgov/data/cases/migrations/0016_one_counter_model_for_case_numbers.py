"""Case numbers move to the one counter model (``org.Counter``, series "case"); ``CaseCounter`` goes.

Reversible: going back recreates ``CaseCounter`` and copies the "case" rows back."""

from django.db import migrations

SERIES = "case"


def to_org_counter(apps, schema_editor):
    CaseCounter = apps.get_model("cases", "CaseCounter")
    Counter = apps.get_model("org", "Counter")
    for row in CaseCounter.objects.all():
        Counter.objects.update_or_create(
            series=SERIES, town_id=row.town_id, year=row.year, defaults={"last_value": row.last_value}
        )


def back_to_case_counter(apps, schema_editor):
    CaseCounter = apps.get_model("cases", "CaseCounter")
    Counter = apps.get_model("org", "Counter")
    for row in Counter.objects.filter(series=SERIES):
        CaseCounter.objects.create(town_id=row.town_id, year=row.year, last_value=row.last_value)
    Counter.objects.filter(series=SERIES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_daily_rollup_owned_by_cases"),
        ("org", "0006_numbered_series_counter"),
    ]

    operations = [
        migrations.RunPython(to_org_counter, back_to_case_counter),
        migrations.RemoveConstraint(model_name="casecounter", name="case_counter_unique"),
        migrations.DeleteModel(name="CaseCounter"),
    ]
