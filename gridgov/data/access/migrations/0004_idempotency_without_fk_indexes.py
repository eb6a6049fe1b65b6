"""Foreign keys that no page looks cases up by lose their own index (each index is written on every
report). Only the model state changes through AlterField; the database just drops the index (on SQLite
AlterField would copy the whole table once per field)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_api_token_expiry_signin"),
        ("cases", "0013_fk_indexes_not_written_per_report"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="idempotencyrecord",
                    name="case",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                migrations.AlterField(
                    model_name="idempotencyrecord",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "access_idempotencyrecord_case_id_bcec7628"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "access_idempotencyrecord_case_id_bcec7628" ON "access_idempotencyrecord" ("case_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "access_idempotencyrecord_user_id_1a85d43d"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "access_idempotencyrecord_user_id_1a85d43d" ON "access_idempotencyrecord" ("user_id")',
                ),
            ],
        ),
    ]
