"""Foreign keys that no page looks cases up by lose their own index (each index is written on every
report). Only the model state changes through AlterField; the database just drops the index (on SQLite
AlterField would copy the whole table once per field)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0001_indicator_weights_and_daily_rollups"),
        ("org", "0005_signin_password_age_and_2fa_events"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dailyrollup",
                    name="town",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="org.area"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "metrics_dailyrollup_town_id_a5a96fe0"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "metrics_dailyrollup_town_id_a5a96fe0" ON "metrics_dailyrollup" ("town_id")',
                ),
            ],
        ),
    ]
