"""The importer base's shared steps: a domain check's refusal as a row's error, the import's user, a row's key, what an
import looks up once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from gridgov.data.errors import Conflict, InvalidInput, NotAllowed
from gridgov.data.org.models import Area, User
from gridgov.data.sheets.importer import ImportContext, RowInvalid, per_import, refused_as_row, row_key

COLUMNS = {"year": "month", "month": "month", "amount": "amount"}


def _refusal(error: Exception, **kwargs: dict[str, str]) -> tuple[str | None, str]:
    with pytest.raises(RowInvalid) as raised, refused_as_row(**kwargs):
        raise error
    return raised.value.column, raised.value.message


def test_a_domain_refusal_names_the_column_its_field_was_read_from() -> None:
    assert _refusal(InvalidInput("年度晚于今年", field="year"), columns=COLUMNS) == ("month", "年度晚于今年")
    assert _refusal(InvalidInput("金额须大于0", field="amount"), columns=COLUMNS) == ("amount", "金额须大于0")


def test_a_field_no_column_was_read_into_names_no_column() -> None:
    assert _refusal(InvalidInput("备注过长", field="note"), columns=COLUMNS) == (None, "备注过长")
    assert _refusal(InvalidInput("数据有误"), columns=COLUMNS) == (None, "数据有误")


def test_without_columns_the_field_is_the_column() -> None:
    assert _refusal(InvalidInput("整改期限早于发现日期", field="deadline")) == ("deadline", "整改期限早于发现日期")
    assert _refusal(InvalidInput("数据有误")) == (None, "数据有误")


def test_a_check_that_passes_gives_its_values_and_other_errors_pass_through() -> None:
    with refused_as_row(columns=COLUMNS):
        year, month = 2026, 3
    assert (year, month) == (2026, 3)
    with pytest.raises(Conflict), refused_as_row(columns=COLUMNS):
        raise Conflict("已被他人修改")


def test_rows_are_written_in_the_name_of_the_signed_in_user_only() -> None:
    town, now = Area(name="岱西镇"), datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    user = User(username="operator")
    assert ImportContext(town=town, user=user, now=now).signed_in_user() is user
    with pytest.raises(NotAllowed) as refused:
        ImportContext(town=town, user=None, now=now).signed_in_user()
    assert refused.value.message == "导入需要登录用户"


def test_a_ledger_that_says_who_is_missing_refuses_each_row_without_the_user_in_its_words() -> None:
    town, now = Area(name="岱西镇"), datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    user = User(username="operator")
    assert ImportContext(town=town, user=user, now=now).signed_in_user(missing="导入人员库需要登记人") is user
    with pytest.raises(RowInvalid) as refused:
        ImportContext(town=town, user=None, now=now).signed_in_user(missing="导入人员库需要登记人")
    assert (refused.value.column, refused.value.message) == (None, "导入人员库需要登记人")


def test_a_row_key_is_the_digest_of_its_parts_as_the_ledgers_stored_it() -> None:
    # The keys of rows imported before: a house's (parts joined by \x1f) and an inspection problem's (by |).
    assert row_key("house", "双合村1组1号", length=32) == "6d90f22dddc86e0c8916a73c0d98dd28"
    parts = (7, 12, 3, "村口", "2026-11-23T09:30:00+08:00")
    assert row_key(*parts, separator="|", length=64) == (
        "291e103a2cddcc70ecc0ae067082835e345087abc9330a046955878493454617"
    )
    assert row_key("原", "行", length=40) == row_key("原\x1f行", length=40)


def test_what_an_import_looks_up_is_looked_up_once_for_that_import_and_again_for_the_next() -> None:
    town, now = Area(name="岱西镇"), datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    asked: list[ImportContext] = []

    @per_import
    def look_up(ctx: ImportContext) -> int:
        asked.append(ctx)
        return len(asked)

    first, second = ImportContext(town=town, user=None, now=now), ImportContext(town=town, user=None, now=now)
    assert [look_up(first), look_up(first), look_up(second), look_up(second)] == [1, 1, 2, 2]
    answers: list[int] = []
    elsewhere = threading.Thread(target=lambda: answers.append(look_up(second)))
    elsewhere.start()
    elsewhere.join()
    assert answers == [3]  # another thread runs its own import
    assert asked == [first, second, second]
