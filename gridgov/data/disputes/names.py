"""How a party's name tells a company or another organisation from a person, when the party's kind is not given —
plain Python on a string, with no models. The forms, the API and the imports guess by this one function
(``names_an_organisation``, through ``disputes.domain.parties.kind_of_name``); the migration that first gave parties
their kind keeps its own copy of the rule of its day.

The rule, in order:

1. Fewer than four characters: a person (张三, 欧阳锋). No organisation's name is that short.
2. Four characters beginning with a compound surname (欧阳建国, 司马晓东): a person — the typical name of one.
3. Ending in a word only an organisation's name ends in (有限公司, 合作社, 村委会, 经营部, 商行, 中心, 学校, 医院 …,
   ``ORGANISATION_ENDINGS``): an organisation (岱西船舶修造有限公司, 双合村股份经济合作社).
4. Ending in one character that names a firm or an office (厂, 店, 局, 站, 所, 院, 馆; ``FIRM_CHARACTERS``): an
   organisation only when the name is long enough to be a firm's — five characters or more (岱山县公安局), or four
   not beginning with a common surname (岱西油站). Four characters beginning with a common surname are a person
   (a name with two surnames such as 张王建厂, or a family shop such as 陈家小店).
5. Anything else: a person.

When the guess is wrong it must be wrong on the safe side: a person taken for an organisation would have their
name and ID number shown in full, an organisation taken for a person is only masked. So a doubtful name is a
person's (陈家小店 is masked unless its 当事人类型 says 单位).
"""

from __future__ import annotations

# Words only the names of companies and other organisations end in.
ORGANISATION_ENDINGS = (
    "公司",
    "集团",
    "合作社",
    "联合社",
    "商行",
    "商店",
    "商场",
    "超市",
    "酒店",
    "饭店",
    "宾馆",
    "旅馆",
    "经营部",
    "门市部",
    "工作室",
    "事务所",
    "研究所",
    "派出所",
    "中心",
    "协会",
    "商会",
    "委员会",
    "村委会",
    "居委会",
    "办事处",
    "人民政府",
    "学校",
    "小学",
    "中学",
    "幼儿园",
    "医院",
    "卫生院",
    "银行",
    "办公室",
    "项目部",
    "工程队",
    "物业",
    "船厂",
    "工厂",
    "加工厂",
    "分局",
    "加油站",
)

# One character that ends the name of a firm or an office — and, rarely, a person's given name.
FIRM_CHARACTERS = ("厂", "店", "局", "站", "所", "院", "馆")

# The commonest single surnames (borne by most of the population) and the compound surnames.
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


def names_an_organisation(name: str) -> bool:
    """Whether ``name`` is an organisation's by the rule above (a doubtful name is a person's)."""
    name = name.strip()
    if len(name) < 4:
        return False
    if len(name) == 4 and name[:2] in COMPOUND_SURNAMES:
        return False
    if name.endswith(ORGANISATION_ENDINGS):
        return True
    if name.endswith(FIRM_CHARACTERS):
        return len(name) >= 5 or name[0] not in COMMON_SURNAMES
    return False
