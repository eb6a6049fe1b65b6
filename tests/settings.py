"""Settings for the test suite: the real settings, with a test secret and fast password hashing."""

import os

os.environ.setdefault("GRIDGOV_SECRET_KEY", "gridgov-tests-only-secret-key-0123456789abcdef")
os.environ.setdefault("GRIDGOV_DEBUG", "0")

from gridgov.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One process: an in-memory cache (production shares the database cache between processes).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The second factor is switched on per test (tests/ui/web/test_signin.py); most tests sign in with force_login.
GRIDGOV_2FA_ROLES = []  # type: ignore[no-redef]
