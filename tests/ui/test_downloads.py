"""The one download response: the file's own name in any script, and an ASCII name for old clients when given."""

from __future__ import annotations

from gridgov.ui.downloads import DOCX, download


def test_a_download_carries_its_name_percent_encoded():
    response = download(b"xlsx", "隐患台账 2026.xlsx")
    assert (response["Content-Type"], response["Content-Disposition"], response.content) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment; filename*=UTF-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6%202026.xlsx",
        b"xlsx",
    )


def test_a_plain_name_comes_first_for_clients_that_read_only_filename():
    response = download(b"docx", "通报2026年第3期.docx", DOCX, plain_name="bulletin.docx")
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        DOCX,
        'attachment; filename="bulletin.docx"; '
        "filename*=UTF-8''%E9%80%9A%E6%8A%A52026%E5%B9%B4%E7%AC%AC3%E6%9C%9F.docx",
    )
