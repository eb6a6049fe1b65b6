from django.db import migrations


def fill_ledger_categories(apps, schema_editor):
    """The ledgers' own categories (enterprise hazards and service requests, project milestone supervision), which
    their installers made without an English name, get theirs by code."""
    from gridgov.data.taxonomy.english import MAJOR_NAMES_EN, SUB_NAMES_EN

    Category = apps.get_model("taxonomy", "Category")
    for code in ("YH", "FW", "23"):
        Category.objects.filter(code=code, parent__isnull=True, name_en="").update(name_en=MAJOR_NAMES_EN[code])
    for code, name_en in SUB_NAMES_EN.items():
        if code.startswith(("YH", "FW", "23")):
            Category.objects.filter(code=code, parent__isnull=False, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0002_category_name_en_pages"),
    ]

    operations = [
        migrations.RunPython(fill_ledger_categories, migrations.RunPython.noop),
    ]
