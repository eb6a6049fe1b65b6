"""Resident ID numbers (居民身份证号码, GB 11643), one rule for the whole project, and passport numbers.

An ID number is 18 characters: a 6-digit area code, the birth date (YYYYMMDD), a 3-digit sequence whose last
digit is odd for a man and even for a woman, and a check digit: the first 17 digits weighted by
7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, summed, mod 11, looked up in "10X98765432". As people write it: with spaces,
in full-width digits (１２３), with a lowercase x — all normalised before the check. The errors name the number
masked as a private person's (330921********0123; ``org.disclosure.as_private``), never in full.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.org.disclosure import Item, as_private

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
MALE = "m"
FEMALE = "f"

_SHAPE = re.compile(r"\d{17}[\dX]")
_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


@dataclass(frozen=True, slots=True, kw_only=True)
class IdNumber:
    """A checked ID number: normalised, with the birth date and sex (``"m"``/``"f"``) it carries."""

    number: str
    birth_date: date
    sex: str


def normalise(value: str) -> str:
    """Full-width characters to ASCII (NFKC), spaces and hyphens out, upper case: the form kept and digested."""
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s\-]", "", text).upper()


def check_digit(body17: str) -> str:
    """The check character of the first 17 digits."""
    return CHECK_CHARACTERS[sum(int(digit) * weight for digit, weight in zip(body17, WEIGHTS, strict=True)) % 11]


def looks_like_id_number(value: str) -> bool:
    """Whether ``value`` (normalised) has the shape of an ID number (17 digits and a digit or X)."""
    return bool(_SHAPE.fullmatch(value))


def parse_id_number(value: str, *, today: date | None = None, field: str = "id_number") -> IdNumber:
    """Check an ID number (shape, check digit, birth date — a real date, not after ``today`` when given) and
    read its birth date and sex; InvalidInput naming ``field`` otherwise."""
    number = normalise(value)
    shown = {"v": as_private(number, item=Item.ID_NUMBER)}
    if not _SHAPE.fullmatch(number):
        raise InvalidInput(_("身份证号 %(v)s 应为18位") % shown, field=field)
    if check_digit(number[:17]) != number[17]:
        raise InvalidInput(_("身份证号 %(v)s 校验位不正确") % shown, field=field)
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidInput(_("身份证号 %(v)s 中的出生日期无效") % shown, field=field) from None
    if born.year < 1900:
        raise InvalidInput(_("身份证号 %(v)s 中的出生日期无效") % shown, field=field)
    if today is not None and born > today:
        raise InvalidInput(_("身份证号 %(v)s 中的出生日期晚于今天") % shown, field=field)
    return IdNumber(number=number, birth_date=born, sex=MALE if int(number[16]) % 2 else FEMALE)


def check_id_number(value: str, today: date | None = None) -> str:
    """An ID number checked and normalised (``parse_id_number``); "" stays ""."""
    if not value.strip():
        return ""
    return parse_id_number(value, today=today).number


def check_passport_number(value: str, *, field: str = "id_number") -> str:
    """A passport (or other travel document) number: 5 to 20 letters and digits, normalised; no check digit."""
    number = normalise(value)
    if not _PASSPORT.fullmatch(number):
        raise InvalidInput(
            _("护照号码 %(v)s 应为5至20位字母或数字") % {"v": as_private(number, item=Item.ID_NUMBER)}, field=field
        )
    return number
