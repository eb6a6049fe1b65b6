"""A dispute party is a person or an organisation (``DisputeParty.kind``): a company's name is not personal data
and is shown in full, a person's is masked.

The parties already written are told by their names, by the rule that told new ones when this migration was
written (``disputes.names``, copied here so that a later change of that rule does not change what this migration
did). Going back drops the column."""

from django.db import migrations, models

ORGANISATION_ENDINGS = (
    "公司", "厂", "集团", "合作社", "商行", "商店", "超市", "酒店", "饭店", "店", "经营部", "工作室", "事务所", "中心",
    "协会", "委员会", "学校", "医院", "银行", "局", "办公室", "项目部", "工程队", "物业",
)


def names_an_organisation(name: str) -> bool:
    name = name.strip()
    return len(name) >= 4 and name.endswith(ORGANISATION_ENDINGS)


def organisations_by_name(apps, schema_editor):
    DisputeParty = apps.get_model("disputes", "DisputeParty")
    found = []
    for party in DisputeParty.objects.only("pk", "name").iterator(chunk_size=500):
        if names_an_organisation(party.name or ""):  # the encrypted field decrypts as it is read
            found.append(party.pk)
    for start in range(0, len(found), 500):
        DisputeParty.objects.filter(pk__in=found[start : start + 500]).update(kind="organisation")


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0001_disputes_and_parties"),
        ("org", "0009_person_registered_elsewhere_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="disputeparty",
            name="kind",
            field=models.CharField(
                choices=[("person", "个人"), ("organisation", "单位")],
                default="person",
                max_length=16,
                verbose_name="当事人类型",
            ),
        ),
        migrations.AddConstraint(
            model_name="disputeparty",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["person", "organisation"])), name="party_kind_valid"
            ),
        ),
        migrations.RunPython(organisations_by_name, migrations.RunPython.noop),
    ]
