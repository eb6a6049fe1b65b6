"""The front-end files `npm run build` makes (bin/_setup.sh runs it after npm ci): tests that need them are
skipped only where npm is missing; where npm is there (CI), a missing build fails them."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings

needs_frontend_build = pytest.mark.skipif(
    shutil.which("npm") is None, reason="npm is not installed, so the ECharts bundle and Leaflet are not built"
)


def require_build() -> None:
    """Fails with the remedy when npm is installed but the build has not run."""
    built = settings.BASE_DIR / "frontend-build" / "vendor" / "echarts" / "charts.js"
    assert built.is_file(), f"{built} is missing: run `npm ci && npm run build` (bin/_setup.sh does)"
