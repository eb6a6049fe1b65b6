"""Departments say themselves whether they are the town's economic department (经济发展办). Existing departments that
the earlier rule recognised — the default code JFB, or a name with 经济/经发 — keep their right."""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Q


def mark_economic(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    department = apps.get_model("org", "Department")
    earlier_rule = Q(code="JFB") | Q(name__contains="经济") | Q(name__contains="经发")
    department.objects.filter(earlier_rule).update(economic=True)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_personal_data_export_erase_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="economic",
            field=models.BooleanField(
                default=False,
                help_text="负责招商引资和企业年度数据：其处置人员可登记招商线索和企业年度数据",
                verbose_name="经济发展部门",
            ),
        ),
        migrations.RunPython(mark_economic, migrations.RunPython.noop),
    ]
