"""A town's villages (and grids) by the names people write in a sheet: one rule for every import.

A name matches an area when it is the area's name or code, or the same name once full-width characters are
halved, spaces dropped, numbers written in digits and the trailing 村/社区/网格 left off (双合 and 双 合村 are
双合村; 双合村第一网格 and 双合村第1网格 are one grid). A village that is not found is refused with the town's
villages named, so the one who typed it sees what to write instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area

_CHINESE_DIGITS = {digit: value for value, digit in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CHINESE_NUMBER = re.compile(r"[〇零一二两三四五六七八九十]+")


def _chinese_number(match: re.Match[str]) -> str:
    """一 → 1, 十二 → 12, 二十 → 20, 二十三 → 23 (the numbers of grids and groups); other spellings unchanged."""
    text = match[0]
    tens, _ten, units = text.partition("十")
    if not _ten:
        return str(_CHINESE_DIGITS[text]) if len(text) == 1 else text
    if len(tens) > 1 or len(units) > 1:
        return text
    return str((_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0))


def area_key(name: str) -> str:
    """An area's name as it is compared: full width halved, no spaces, numbers in digits, without the trailing
    村/社区/网格."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    return _CHINESE_NUMBER.sub(_chinese_number, text).rstrip("村社区网格")


def areas_named(name: str, candidates: Iterable[Area]) -> list[Area]:
    """The ``candidates`` that ``name`` names: those whose name or code it is exactly, else those it names once
    both are compared by ``area_key`` (双合社区 is 双合社区 even where 双合村 is also 双合)."""
    raw = name.strip()
    short = area_key(raw)
    areas = list(candidates)
    exact = [a for a in areas if raw in (a.name, a.code)]
    return exact or [a for a in areas if short in (area_key(a.name), a.code)]


def town_villages(town: Area) -> list[Area]:
    """``town``'s villages (communities) in the order of their codes."""
    return list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("code", "pk"))


def village_named(name: str, *, town: Area, villages: Sequence[Area] | None = None, field: str = "village") -> Area:
    """The village (community) of ``town`` that ``name`` names. ``villages``: the town's villages when the caller
    has them loaded already (an import reads them once). ``InvalidInput`` on ``field`` otherwise:
    村社“双河村”不存在，本镇的村社有：双合村、火箭村."""
    raw = name.strip()
    candidates = town_villages(town) if villages is None else sorted(villages, key=lambda v: (v.code, v.pk))
    if not raw:
        raise InvalidInput(_("请填写村社"), field=field)
    found = areas_named(raw, candidates)
    if len(found) == 1:
        return found[0]
    if found:
        codes = "、".join(f"{v.name} {v.code}" for v in found)
        raise InvalidInput(
            _("村社“%(name)s”不唯一（%(codes)s），请填写区划代码") % {"name": raw, "codes": codes}, field=field
        )
    if not candidates:
        raise InvalidInput(_("村社“%(name)s”不存在，本镇尚未设立村社") % {"name": raw}, field=field)
    names = "、".join(v.name for v in candidates)
    raise InvalidInput(_("村社“%(name)s”不存在，本镇的村社有：%(names)s") % {"name": raw, "names": names}, field=field)
