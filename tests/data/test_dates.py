"""Dates as people write them (``gridgov.data.dates``): 2026年3月5日 09:00, and 3月5日 09:00 in the reader's current
year — the month and day not padded, in local time, English through the catalogue."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import translation

from gridgov.data.dates import written_datetime, written_moment
from tests.factories import at


def test_a_moment_is_written_without_its_year_only_in_the_current_year() -> None:
    moment = at(2026, 3, 5, 9, 5)
    assert [
        written_moment(moment, this_year=2026),
        written_moment(moment, this_year=2027),
        written_moment(moment, this_year=None),
        written_datetime(moment),
        written_moment(datetime(2026, 12, 31, 16, 30, tzinfo=UTC), this_year=2026),  # 2027-01-01 00:30 local
    ] == ["3月5日 09:05", "2026年3月5日 09:05", "2026年3月5日 09:05", "2026年3月5日 09:05", "2027年1月1日 00:30"]
    with translation.override("en"):
        assert [written_moment(moment, this_year=2026), written_moment(moment, this_year=2027)] == [
            "3/5 09:05",
            "March 5, 2026 09:05",
        ]
