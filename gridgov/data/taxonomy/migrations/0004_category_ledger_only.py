from django.db import migrations, models

# The ledgers' own major categories made before the flag: enterprise hazards, enterprise service requests, key
# projects' milestone supervision.
LEDGER_MAJORS = ("YH", "FW", "23")


def mark_ledger_categories(apps, schema_editor):
    Category = apps.get_model("taxonomy", "Category")
    Category.objects.filter(code__in=LEDGER_MAJORS, parent__isnull=True).update(ledger_only=True)
    Category.objects.filter(parent__code__in=LEDGER_MAJORS, parent__ledger_only=True).update(ledger_only=True)


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0003_ledger_category_names_en"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="ledger_only",
            field=models.BooleanField(
                default=False,
                help_text="台账自己的分类（企业安全隐患、企业服务诉求、重点项目督办）：其事件由台账登记，不能作为一般事件上报",
                verbose_name="仅供台账使用",
            ),
        ),
        migrations.RunPython(mark_ledger_categories, migrations.RunPython.noop),
    ]
