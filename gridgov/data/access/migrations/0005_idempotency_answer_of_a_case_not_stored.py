"""A new case's Idempotency-Key record stores no answer (NULL): a retry rebuilds the first answer from the case
(``create_once(first_answer=…)``), so that a report neither renders nor stores it. Records written before keep
their answer and replay it.

Reversible: going back, the records without an answer get an empty one (``{}``) so that the column can be NOT
NULL again — the earlier code would replay that empty answer to a retry of such a key (no second case is made);
the answer itself cannot be rebuilt here, as nothing in a record tells an API report from a phone's."""

from django.db import migrations, models


def empty_answers_for_the_earlier_code(apps, schema_editor):
    IdempotencyRecord = apps.get_model("access", "IdempotencyRecord")
    IdempotencyRecord.objects.filter(response_body__isnull=True).update(response_body={})


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_idempotency_without_fk_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="response_body",
            field=models.JSONField(default=dict, null=True),
        ),
        migrations.RunPython(migrations.RunPython.noop, empty_answers_for_the_earlier_code),
    ]
