"""Starting the web application as gunicorn does (``import gridgov.wsgi``) in a fresh process with production
settings, for the tests of what refuses to start."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def start_wsgi(**env: str) -> subprocess.CompletedProcess[str]:
    """``import gridgov.wsgi`` with DEBUG off, a production secret and audit key, and ``env`` on top."""
    production = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gridgov.settings",
        "GRIDGOV_DEBUG": "0",
        "GRIDGOV_SECRET_KEY": "x" * 50,
        "GRIDGOV_AUDIT_KEY": "audit",
    }
    return subprocess.run(
        [sys.executable, "-c", "import gridgov.wsgi"],
        env={**production, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
