"""Numbers issued per town and year without gaps (2026年第N期): one counter row per series, town and year."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from gridgov.data.org.models import Area, Counter


def next_value(*, series: str, town: Area, year: int) -> int:
    """The next number of ``series`` for the town's year (the first is 1).

    Call it inside the transaction that writes what it numbers: the bump holds the counter row's lock until
    that transaction ends and rolls back with it, so concurrent callers get consecutive numbers and a failed
    write leaves no gap."""
    counters = Counter.objects.filter(series=series, town=town, year=year)
    if not counters.update(last_value=F("last_value") + 1):
        try:
            with transaction.atomic():
                Counter.objects.create(series=series, town=town, year=year, last_value=1)
            return 1
        except IntegrityError:  # another transaction created the row first: bump that one
            counters.update(last_value=F("last_value") + 1)
    return counters.values_list("last_value", flat=True).get()
