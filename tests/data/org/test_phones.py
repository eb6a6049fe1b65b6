from __future__ import annotations

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.org.phones import check_phone, written_phone


def test_spaces_and_hyphens_are_taken_out() -> None:
    assert written_phone(" 0571-8888\t1234 ") == "057188881234"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("", ""),
        ("8888123", "8888123"),
        ("0571-8888 1234", "057188881234"),
        ("+86 139 1234 5678", "+8613912345678"),
        ("123456789012345", "123456789012345"),
    ],
)
def test_a_phone_is_kept_as_written_without_spaces(given: str, kept: str) -> None:
    assert check_phone(given, field="phone", label="联系电话") == kept


@pytest.mark.parametrize("given", ["888812", "1234567890123456", "12ab345678", "86+13912345678"])
def test_a_number_out_of_shape_names_the_field_and_the_number(given: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_phone(given, field="contact_phone", label="联系电话")
    assert (caught.value.message, caught.value.field) == (f"联系电话“{given}”格式不正确", "contact_phone")


def test_a_register_may_leave_the_number_out_of_the_message() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_phone("12", field="phone", label="联系电话", echo=False)
    assert (caught.value.message, caught.value.field) == ("联系电话格式不正确", "phone")
