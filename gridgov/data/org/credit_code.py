"""Unified social credit codes (统一社会信用代码, GB 32100-2015), and the enterprise of a town's register a code names.

18 characters from the 31-character set 0-9 and A-Z without I, O, Z, S, V:
1 registration authority, 2 organisation type, 3–8 administrative division code (digits),
9–17 organisation code, 18 check character: 31 − (Σ value(cᵢ) × 3ⁱ mod 31) mod 31, i = 0…16.

Here, beside the register (``org.models.Enterprise``), rather than in the enterprise ledgers' app: every ledger
that names a company by its code (hazards, service requests, yearly figures, the collective economy's partners)
looks it up the same way, and the ledger apps may not import one another.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import Area, Enterprise

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_SEPARATORS = re.compile(
    r"[\s\-\u2010\u2011\u2013\u2014]"
)  # spaces and the dashes people type between groups of characters


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (which must be valid characters)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(raw: str, *, field: str = "credit_code") -> str:
    """Half-width, upper-case, without spaces and dashes (9133-0921-… as some write it), and validated; raise
    InvalidInput with a Chinese reason if invalid."""
    code = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(raw or ""))).upper()
    if not code:
        raise InvalidInput(_("请填写统一社会信用代码"), field=field)
    if len(code) != 18:
        raise InvalidInput(
            _("统一社会信用代码应为18位，“%(code)s”为%(n)s位") % {"code": code, "n": len(code)}, field=field
        )
    bad = [c for c in code if c not in _VALUE]
    if bad:
        raise InvalidInput(
            _("统一社会信用代码“%(code)s”含有不允许的字符“%(c)s”（不使用 I、O、Z、S、V）")
            % {"code": code, "c": bad[0]},
            field=field,
        )
    if not code[2:8].isdigit():
        raise InvalidInput(_("统一社会信用代码“%(code)s”第3–8位应为行政区划代码（数字）") % {"code": code}, field=field)
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidInput(
            _("统一社会信用代码“%(code)s”校验位错误（应为 %(c)s），请核对") % {"code": code, "c": expected},
            field=field,
        )
    return code


def enterprise_by_credit_code(raw: str, *, town: Area, field: str = "credit_code") -> Enterprise:
    """The enterprise of ``town``'s register whose code ``raw`` is (as ``normalise_credit_code`` reads it), with its
    town and village; ``InvalidInput`` on ``field`` when the code is invalid or no enterprise of the town has it."""
    code = normalise_credit_code(raw, field=field)
    found = Enterprise.objects.select_related("town", "village").filter(town=town, credit_code=code).first()
    if found is None:
        raise InvalidInput(
            _("统一社会信用代码“%(code)s”不在本镇企业名录中，请先在企业名录中登记该企业") % {"code": code},
            field=field,
        )
    return found
