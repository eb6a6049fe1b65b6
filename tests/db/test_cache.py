"""The database cache never writes on a read: looking up an expired entry while an import holds the write lock
answers "not there" at once instead of waiting for the lock to delete it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from tests.locks import short_lock_wait, write_lock_held

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_cache(settings) -> Iterator[None]:
    settings.CACHES = {"default": {"BACKEND": "gridgov.db.cache.DatabaseCache", "LOCATION": "gridgov_cache_test"}}
    call_command("createcachetable")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE gridgov_cache_test")


def rows() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM gridgov_cache_test ORDER BY cache_key")
        return [row[0] for row in cursor.fetchall()]


def test_an_expired_entry_is_not_returned_and_not_deleted_by_a_read_under_the_write_lock(database_cache) -> None:
    cache.set("fresh", "value", timeout=3600)
    cache.set("expired", "value", timeout=0)  # expires at once
    with short_lock_wait(200), write_lock_held():
        assert cache.get_many(["fresh", "expired"]) == {"fresh": "value"}
        assert cache.get("expired", "default") == "default"
    assert rows() == [":1:expired", ":1:fresh"]  # the expired row waits for set() to cull it


def test_deleting_still_deletes(database_cache) -> None:
    cache.set("a", 1)
    cache.set("b", 2)
    cache.delete_many(["a"])
    cache.delete("b")
    assert rows() == []
