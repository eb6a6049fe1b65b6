"""The day rollup model now belongs to cases (``cases.0015``): metrics forgets it, state only. The table, its
rows, indexes and constraints stay as they are; reversible."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0002_rollup_town_in_unique_only"),
        ("cases", "0015_daily_rollup_owned_by_cases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DailyRollup")],
            database_operations=[],
        ),
    ]
