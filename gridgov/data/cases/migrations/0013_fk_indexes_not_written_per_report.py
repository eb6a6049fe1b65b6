"""Foreign keys that no page looks cases up by lose their own index (each index is written on every
report). Only the model state changes through AlterField; the database just drops the index (on SQLite
AlterField would copy the whole table once per field)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_fewer_single_column_indexes"),
        ("org", "0005_signin_password_age_and_2fa_events"),
        ("taxonomy", "0002_category_name_en_pages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="area",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.area",
                        verbose_name="所在区域",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="category",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.category",
                        verbose_name="分类",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="duplicate_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="cases.case",
                        verbose_name="重复于",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="grid",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.area",
                        verbose_name="网格",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="handler",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="处置人",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="major_category",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.category",
                        verbose_name="大类",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="village",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.area",
                        verbose_name="村/社区",
                    ),
                ),
                migrations.AlterField(
                    model_name="caseaction",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_case_area_id_040d4987"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "cases_case_area_id_040d4987" ON "cases_case" ("area_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_case_category_id_c6dc5a5a"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "cases_case_category_id_c6dc5a5a" ON "cases_case" ("category_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_case_grid_id_af7609ce"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "cases_case_grid_id_af7609ce" ON "cases_case" ("grid_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_case_handler_id_21cefe0d"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "cases_case_handler_id_21cefe0d" ON "cases_case" ("handler_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_case_major_category_id_bca27cae"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "cases_case_major_category_id_bca27cae" ON "cases_case" ("major_category_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_case_village_id_9afc21ac"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "cases_case_village_id_9afc21ac" ON "cases_case" ("village_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_case_duplicate_of_id_1796dfe5"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "cases_case_duplicate_of_id_1796dfe5" ON "cases_case" ("duplicate_of_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_caseaction_actor_id_f793b3dd"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "cases_caseaction_actor_id_f793b3dd" ON "cases_caseaction" ("actor_id")',
                ),
            ],
        ),
    ]
