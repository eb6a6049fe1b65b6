"""English names: the default departments' (by code), and the rule for showing a name in the active language.

A model with ``name`` and ``name_en`` shows ``name_en`` when the language is English and it is filled, else
``name`` (the Chinese name is the data; the English one is a translation kept beside it)."""

from __future__ import annotations

from django.utils.translation import get_language

# The default department that attracts investment and keeps the enterprises' yearly figures (经济发展办).
ECONOMIC_DEPARTMENT_CODES = frozenset({"JFB"})

# The default departments of a town (see gridgov/ops/demo/town.py and the taxonomy's default routing).
DEPARTMENT_NAMES_EN: dict[str, str] = {
    "ZHS": "Integrated Information Command Room",
    "PAB": "Public Security Office (Comprehensive Governance Centre)",
    "SFS": "Judicial Office",
    "LDS": "Labour Security Office",
    "YJB": "Emergency Management Office (Work Safety Station)",
    "JSB": "Village and Town Construction Office",
    "HYB": "Ocean and Fisheries Office",
    "STB": "Ecology and Environment Office",
    "ZFZ": "Administrative Law Enforcement Squad",
    "NYB": "Agriculture and Rural Affairs Office",
    "SJS": "Market Supervision Office",
    "JFB": "Economic Development Office",
    "SHB": "Social Affairs Office",
    "WMB": "Publicity and Civilisation Office",
    "DZB": "Party and Government Office",
}


def english() -> bool:
    return (get_language() or "").startswith("en")


def local_name(name: str, name_en: str) -> str:
    return name_en if name_en and english() else name
