"""The bulletin numbers move to the one counter model (org.Counter, series "inspection_bulletin"), with their values."""

from django.db import migrations

SERIES = "inspection_bulletin"


def to_org_counter(apps, schema_editor):
    old = apps.get_model("inspections", "BulletinCounter")
    new = apps.get_model("org", "Counter")
    new.objects.bulk_create(
        new(series=SERIES, town_id=row.town_id, year=row.year, last_value=row.last_value) for row in old.objects.all()
    )


def from_org_counter(apps, schema_editor):
    old = apps.get_model("inspections", "BulletinCounter")
    new = apps.get_model("org", "Counter")
    rows = new.objects.filter(series=SERIES)
    old.objects.bulk_create(old(town_id=row.town_id, year=row.year, last_value=row.last_value) for row in rows)
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_rounds_problems_bulletins"),
        ("org", "0006_numbered_series_counter"),
    ]

    operations = [
        migrations.RunPython(to_org_counter, from_org_counter),
        migrations.RemoveConstraint(model_name="bulletincounter", name="inspection_bulletin_counter_unique"),
        migrations.DeleteModel(name="BulletinCounter"),
    ]
