"""Settings for the test suite: the real settings, with a test secret and fast password hashing."""

import os
from pathlib import Path

os.environ.setdefault("GRIDGOV_SECRET_KEY", "gridgov-tests-only-secret-key-0123456789abcdef")
os.environ.setdefault("GRIDGOV_DEBUG", "0")
os.environ.setdefault("GRIDGOV_FIELD_ENCRYPTION_KEY", "Z3JpZGdvdi10ZXN0cy1maWVsZC1rZXktMzJieXRlcyE=")

from gridgov.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One process: an in-memory cache (production shares the database cache between processes).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The audit checkpoints: a fixed key; the file is set per test (tmp_path) where a test writes one; no daily run.
AUDIT_KEY = "gridgov-tests-audit-key"
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("GRIDGOV_AUDIT_CHECKPOINTS", str(VAR_DIR / f"test-audit-checkpoints-{os.getpid()}.jsonl"))  # noqa: F405
)
AUDIT_VERIFY_HOURS = 0
FIELD_KEY_CANARY_FILE = Path(
    os.environ.get("GRIDGOV_FIELD_KEY_CANARY", str(VAR_DIR / f"test-field-canary-{os.getpid()}.txt"))  # noqa: F405
)

# The second factor is switched on per test (tests/ui/web/test_signin.py); most tests sign in with force_login.
GRIDGOV_2FA_ROLES = []

# An API client's token is kept by the process for this long (3 s in production): a test's warm-up call and its
# counted call must not straddle an expiry on a slow, shared machine (query-count tests). Tests of the expiry
# itself set their own value.
GRIDGOV_API_TOKEN_CACHE_SECONDS = 3600
