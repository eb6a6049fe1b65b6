from __future__ import annotations

import pytest

from gridgov.data.enterprises.domain.credit_code import check_character, normalise_credit_code
from gridgov.data.errors import InvalidInput

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
