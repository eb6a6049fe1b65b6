"""How a party's name tells a company or another organisation from a person — plain Python on a string, with no
models, so that the migration that gave parties their kind classifies the parties already written by the same rule
as the forms, the API and the imports classify new ones."""

from __future__ import annotations

# How the names of companies and other organisations end (有限公司, 合作社, 村民委员会 …). A person's name does not
# end so once it is four characters or longer; a shorter name is a person's.
ORGANISATION_ENDINGS = (
    "公司",
    "厂",
    "集团",
    "合作社",
    "商行",
    "商店",
    "超市",
    "酒店",
    "饭店",
    "店",
    "经营部",
    "工作室",
    "事务所",
    "中心",
    "协会",
    "委员会",
    "学校",
    "医院",
    "银行",
    "局",
    "办公室",
    "项目部",
    "工程队",
    "物业",
)


def names_an_organisation(name: str) -> bool:
    name = name.strip()
    return len(name) >= 4 and name.endswith(ORGANISATION_ENDINGS)
