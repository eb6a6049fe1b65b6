"""``ui/ledgers/listing.py``: a ledger export's sheet is declared once, at import, with lazy headers; each download
reads them in the language of its own request."""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from gridgov.types import CellValue
from gridgov.ui.ledgers.listing import sheet


@sheet(gettext_lazy("信访与矛盾纠纷"), [gettext_lazy("类型"), gettext_lazy("受理日期")])
def _received(row: tuple[str, date]) -> list[CellValue]:
    return [row[0], row[1]]


def _read(content: bytes) -> tuple[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(content))
    return book.active.title, list(book.active.iter_rows(values_only=True))


def test_one_sheet_answers_each_request_in_its_language() -> None:
    with translation.override("en"):
        english = _read(_received.response([("婚姻家庭", date(2026, 3, 2))]).content)
    with translation.override("zh-hans"):
        chinese = _read(_received.response([]).content)
    assert english[0] == "Petitions and disputes"
    assert english[1][0] == ("Type", "Date received")
    assert english[1][1][0] == "婚姻家庭"
    assert chinese == ("信访与矛盾纠纷", [("类型", "受理日期")])


@sheet(gettext_lazy("企业名录"), [gettext_lazy("企业名称")])
def _named(name: str) -> list[CellValue]:
    return [name]


def test_a_sheet_is_downloaded_under_its_title_and_todays_date_in_the_requests_language() -> None:
    today = timezone.localtime().strftime("%Y%m%d")
    with translation.override("en"):
        english = _named.response(["舟山市某某水产有限公司"])
    with translation.override("zh-hans"):
        chinese = _named.response([])
    assert english["Content-Disposition"] == f"attachment; filename*=UTF-8''Enterprise%20directory{today}.xlsx"
    assert _read(english.content) == ("Enterprise directory", [("Enterprise name",), ("舟山市某某水产有限公司",)])
    assert chinese["Content-Disposition"] == (
        f"attachment; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95{today}.xlsx"
    )
