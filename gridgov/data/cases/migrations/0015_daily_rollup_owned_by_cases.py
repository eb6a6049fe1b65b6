"""The day rollup model moves from metrics to cases (its writer: the engine, in each case's transaction).

State only: the table keeps its name (``metrics_dailyrollup``), its rows, indexes and constraints; nothing in
the database changes. Reversible: back, metrics owns the model again (``metrics.0003``)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_partial_indexes_not_written_at_report"),
        ("metrics", "0002_rollup_town_in_unique_only"),
        ("org", "0005_signin_password_age_and_2fa_events"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DailyRollup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "dim",
                            models.CharField(
                                choices=[
                                    ("town", "全镇"),
                                    ("village", "村/社区"),
                                    ("grid", "网格"),
                                    ("department", "处置部门"),
                                    ("grid_worker", "网格员"),
                                    ("category", "小类"),
                                    ("major_category", "大类"),
                                    ("channel", "来源渠道"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("member", models.CharField(blank=True, max_length=32)),
                        ("day", models.DateField()),
                        ("reported", models.IntegerField(default=0)),
                        ("valid", models.IntegerField(default=0)),
                        ("cohort", models.IntegerField(default=0)),
                        ("closed", models.IntegerField(default=0)),
                        ("suspended", models.IntegerField(default=0)),
                        ("resolved", models.IntegerField(default=0)),
                        ("resolved_on_time", models.IntegerField(default=0)),
                        ("closed_on_time", models.IntegerField(default=0)),
                        ("reworked", models.IntegerField(default=0)),
                        ("rated", models.IntegerField(default=0)),
                        ("satisfied", models.IntegerField(default=0)),
                        ("late_resolved", models.IntegerField(default=0)),
                        (
                            "town",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="org.area",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "指标日汇总",
                        "verbose_name_plural": "指标日汇总",
                        "db_table": "metrics_dailyrollup",
                        "indexes": [models.Index(fields=["town", "dim", "day"], name="daily_rollup_dim_day")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("town", "dim", "member", "day"), name="daily_rollup_unique"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "dim__in",
                                        [
                                            "town",
                                            "village",
                                            "grid",
                                            "department",
                                            "grid_worker",
                                            "category",
                                            "major_category",
                                            "channel",
                                        ],
                                    )
                                ),
                                name="daily_rollup_dim_valid",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
