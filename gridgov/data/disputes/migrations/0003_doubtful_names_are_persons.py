"""The parties that migration 0002 (or a form, the API or an import before this release) took for organisations by a
name the guess now knows to be a doubtful one — four characters or more ending in 店, 厂 or 局 and the like, which
a person's name can be — are persons again, and masked: a person taken for an organisation had their name and ID
number shown in full.

Only a party that the old guess calls an organisation and the new one (``disputes.names`` of this release, copied
here as the old one is, so that a later change of either does not change what this migration does) calls a person
is changed. A party given as 单位 with such a name (陈家小店) is masked from now on too: the safe side. Going back
changes nothing."""

from django.db import migrations

OLD_ENDINGS = (
    "公司", "厂", "集团", "合作社", "商行", "商店", "超市", "酒店", "饭店", "店", "经营部", "工作室", "事务所", "中心",
    "协会", "委员会", "学校", "医院", "银行", "局", "办公室", "项目部", "工程队", "物业",
)  # fmt: skip

ORGANISATION_ENDINGS = (
    "公司", "集团", "合作社", "联合社", "商行", "商店", "商场", "超市", "酒店", "饭店", "宾馆", "旅馆",
    "经营部", "门市部", "工作室", "事务所", "研究所", "派出所", "中心", "协会", "商会", "委员会", "村委会",
    "居委会", "办事处", "人民政府", "学校", "小学", "中学", "幼儿园", "医院", "卫生院", "银行", "办公室",
    "项目部", "工程队", "物业", "船厂", "工厂", "加工厂", "分局", "加油站",
)  # fmt: skip
FIRM_CHARACTERS = ("厂", "店", "局", "站", "所", "院", "馆")
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤翁鲍虞应"
)
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯", "宇文",
        "长孙", "端木", "南宫", "西门", "独孤", "轩辕", "呼延", "申屠", "澹台", "闻人", "太史", "公冶", "万俟",
    }
)  # fmt: skip


def old_guess(name: str) -> bool:
    return len(name) >= 4 and name.endswith(OLD_ENDINGS)


def new_guess(name: str) -> bool:
    if len(name) < 4:
        return False
    if len(name) == 4 and name[:2] in COMPOUND_SURNAMES:
        return False
    if name.endswith(ORGANISATION_ENDINGS):
        return True
    if name.endswith(FIRM_CHARACTERS):
        return len(name) >= 5 or name[0] not in COMMON_SURNAMES
    return False


def persons_again(apps, schema_editor):
    DisputeParty = apps.get_model("disputes", "DisputeParty")
    found = []
    for party in DisputeParty.objects.filter(kind="organisation").only("pk", "name").iterator(chunk_size=500):
        name = (party.name or "").strip()  # the encrypted field decrypts as it is read
        if old_guess(name) and not new_guess(name):
            found.append(party.pk)
    for start in range(0, len(found), 500):
        DisputeParty.objects.filter(pk__in=found[start : start + 500]).update(kind="person")


class Migration(migrations.Migration):
    dependencies = [("disputes", "0002_party_kind")]

    operations = [migrations.RunPython(persons_again, migrations.RunPython.noop)]
