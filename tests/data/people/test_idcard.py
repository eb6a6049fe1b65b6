"""GB 11643 ID numbers (the one rule of ``gridgov.data.idcard``) and passport numbers."""

from __future__ import annotations

from datetime import date

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.idcard import check_id_number, check_passport_number, parse_id_number
from tests.data.people.factories import valid_id

TODAY = date(2026, 11, 23)


def test_a_valid_number_gives_its_birth_date_and_sex():
    # 11010519491231002X: the standard's own example (a woman born 1949-12-31)
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert (parsed.number, parsed.birth_date, parsed.sex) == ("11010519491231002X", date(1949, 12, 31), "f")
    man = parse_id_number(valid_id("33092119800101123"), today=TODAY)
    assert (man.birth_date, man.sex) == (date(1980, 1, 1), "m")


def test_a_lowercase_x_and_spaces_are_accepted_and_normalised():
    assert parse_id_number(" 110105 19491231002x ", today=TODAY).number == "11010519491231002X"


def test_full_width_digits_are_normalised():
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert parse_id_number(full_width, today=TODAY).number == "11010519491231002X"


def test_a_wrong_check_digit_is_refused_with_the_number_masked():
    with pytest.raises(InvalidInput) as error:
        parse_id_number("110105194912310021", today=TODAY)
    assert (error.value.message, error.value.field) == ("身份证号 110105********0021 校验位不正确", "id_number")


def test_a_wrong_length_is_refused():
    with pytest.raises(InvalidInput) as error:
        parse_id_number("3309211980010112", today=TODAY)
    assert error.value.message == "身份证号 330921******0112 应为18位"


def test_a_birth_date_after_today_is_refused():
    tomorrow = valid_id("33092120261124123")
    with pytest.raises(InvalidInput) as error:
        parse_id_number(tomorrow, today=TODAY)
    assert error.value.message == f"身份证号 330921********{tomorrow[-4:]} 中的出生日期晚于今天"
    assert parse_id_number(valid_id("33092120261123123"), today=TODAY).birth_date == TODAY


def test_an_impossible_birth_date_is_refused():
    february_30 = valid_id("33092119900230123")
    with pytest.raises(InvalidInput) as error:
        parse_id_number(february_30, today=TODAY)
    assert error.value.message == f"身份证号 330921********{february_30[-4:]} 中的出生日期无效"


def test_check_id_number_keeps_empty_empty():
    assert (check_id_number(""), check_id_number("  ")) == ("", "")
    assert check_id_number("11010519491231002x") == "11010519491231002X"


def test_passport_numbers_have_no_check_digit():
    assert check_passport_number(" e1234567８ ") == "E12345678"
    with pytest.raises(InvalidInput) as error:
        check_passport_number("E12#")
    assert error.value.message == "护照号码 **** 应为5至20位字母或数字"
