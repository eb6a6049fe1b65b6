"""The front-end files `npm run build` makes (bin/_setup.sh runs it after npm ci): tests that need them are
skipped only where npm is missing; where npm is there (CI), a missing build fails them."""

from __future__ import annotations

import gzip
import shutil
from html.parser import HTMLParser

import pytest
from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page

needs_frontend_build = pytest.mark.skipif(
    shutil.which("npm") is None, reason="npm is not installed, so the ECharts bundle and Leaflet are not built"
)


def require_build() -> None:
    """Fails with the remedy when npm is installed but the build has not run."""
    built = settings.BASE_DIR / "frontend-build" / "vendor" / "echarts" / "charts.js"
    assert built.is_file(), f"{built} is missing: run `npm ci && npm run build` (bin/_setup.sh does)"


class PageAssets(HTMLParser):
    """The static files a page loads as it opens: <script src> and <link rel=stylesheet href>; and the
    data-leaflet-* and data-map-js attributes of a map that loads Leaflet (and our map.js) when it is shown
    (shared with bench/page_weight.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.on_demand: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.loaded.append(str(found["src"]))
        if tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.loaded.append(str(found["href"]))
        for name in ("data-leaflet-js", "data-leaflet-css", "data-map-js"):
            if found.get(name):
                self.on_demand.append(str(found[name]))


def page_assets(html: str) -> PageAssets:
    parser = PageAssets()
    parser.feed(html)
    return parser


def gzipped(data: bytes) -> int:
    """Bytes over the wire for ``data`` gzipped at level 9, as whitenoise sends static files."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def watch_csp(page: Page, violations: list[str]) -> None:
    """Collect the browser's Content-Security-Policy complaints (a blocked script, style or image) on ``page``."""

    def seen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", seen)
