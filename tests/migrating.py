"""Moving the test database through its migrations, for the tests of a data migration.

A test goes back to the state before the migration it tests and must then leave the database as every other test
expects it: at the latest migration of every app, not only at the migration under test (going back to ``cases
0017`` unapplies 0018 *and* whatever came after it)."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> None:
    """Apply or unapply migrations until the database stands at ``targets`` (app, migration name)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def migrate_to_latest() -> None:
    """Every app at its latest migration, as the test database was built."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
