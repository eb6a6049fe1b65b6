"""What an in-process benchmark sets before Django starts, in one place.

Each setting is a default: the caller's environment wins (``DATABASE_URL`` from ``bin/with-postgres``,
``GRIDGOV_DEBUG=1`` to read the queries). A run gets a throwaway directory for its files and, unless
``DATABASE_URL`` names another database, a fresh SQLite database in it; tasks are not queued (the dummy
backend), and no role needs a second factor (the benchmarks sign their users in through the test client).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django(*, debug: bool = False) -> None:
    """Fill in the benchmark settings and set Django up (once: a test importing the benchmark has done it)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("GRIDGOV_DEBUG", "1" if debug else "0")
    os.environ.setdefault("GRIDGOV_SECRET_KEY", "bench-only-secret-key-0123456789abcdef0123456789")
    os.environ.setdefault("GRIDGOV_FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=")
    os.environ.setdefault("GRIDGOV_TASK_BACKEND", "django.tasks.backends.dummy.DummyBackend")
    os.environ.setdefault("GRIDGOV_VAR_DIR", tempfile.mkdtemp(prefix="gridgov-bench-"))
    os.environ.setdefault("GRIDGOV_2FA_ROLES", "")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{os.environ['GRIDGOV_VAR_DIR']}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")

    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def prepare_database() -> None:
    """Migrate the benchmark's database and make its cache table; pages render with GRIDGOV_DEBUG off without
    ``collectstatic`` (static files served without the manifest)."""
    from django.conf import settings
    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
