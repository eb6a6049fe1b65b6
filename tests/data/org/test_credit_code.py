from __future__ import annotations

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.org.credit_code import check_character, enterprise_by_credit_code, normalise_credit_code
from gridgov.data.org.domain import create_area
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Enterprise
from tests.factories import TownWorld

# Published codes of well-known companies (public registry data).
REAL_CODES = ["91330100799655058B", "9144030071526726XG", "914403001922038216"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert normalise_credit_code(code) == code


def test_lower_case_and_spaces_are_normalised() -> None:
    assert normalise_credit_code(" 9144 0300 7152 6726xg ") == "9144030071526726XG"


def test_check_character_is_computed_per_gb_32100() -> None:
    # Σ value×3^i mod 31 for 91330100799655058 is 20, so the check is 31 − 20 = 11 → "B".
    assert check_character("91330100799655058") == "B"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请填写统一社会信用代码"),
        ("91330100799655058", "统一社会信用代码应为18位，“91330100799655058”为17位"),
        ("91330100799655058BB", "统一社会信用代码应为18位，“91330100799655058BB”为19位"),
        ("91330100799655058A", "统一社会信用代码“91330100799655058A”校验位错误（应为 B），请核对"),
        ("91330100799655O58B", "统一社会信用代码“91330100799655O58B”含有不允许的字符“O”（不使用 I、O、Z、S、V）"),
        ("91A30100799655058B", "统一社会信用代码“91A30100799655058B”第3–8位应为行政区划代码（数字）"),
    ],
)
def test_invalid_codes_are_refused_with_a_reason(code: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalise_credit_code(code)
    assert info.value.message == message
    assert info.value.field == "credit_code"


def test_full_width_codes_are_read_as_typed() -> None:
    typed = "".join(chr(ord(c) + 0xFEE0) for c in "91330100799655058b")  # an IME left on full width
    assert normalise_credit_code(typed) == "91330100799655058B"


def test_a_code_names_an_enterprise_of_the_towns_register_only(world: TownWorld) -> None:
    code = "91330100799655058B"
    other_town = create_area(code="330921103", name="秀山乡", level=AreaLevel.TOWN, parent=world.county)
    Enterprise.objects.create(town=other_town, name="秀山船厂", credit_code=code)
    with pytest.raises(InvalidInput) as error:
        enterprise_by_credit_code(code.lower(), town=world.town)
    assert (error.value.message, error.value.field) == (
        "统一社会信用代码“91330100799655058B”不在本镇企业名录中，请先在企业名录中登记该企业",
        "credit_code",
    )
    ours = Enterprise.objects.create(town=world.town, name="岱西船厂", credit_code=code)
    assert enterprise_by_credit_code(f" {code[:9]} {code[9:]}", town=world.town) == ours
