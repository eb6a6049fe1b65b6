"""Page weight: bytes over the wire (gzip) of a page's first load — the HTML and every script and stylesheet
it names — on the demo database (run `bin/demo` once first; it reads var/gridgov.sqlite3 or DATABASE_URL).

    uv run python bench/page_weight.py

Static files are counted as whitenoise sends them: gzipped at level 9 (collectstatic in production, the .gz
that `npm run build` writes beside the bundles for the demo). The dashboard's "with the map" adds Leaflet,
which it fetches when the map scrolls into view.
"""

from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GRIDGOV_DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "gridgov.settings"

import django

django.setup()

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from gridgov.data.org.models import User
from tests.ui.frontend import PageAssets, gzipped

PAGES = [
    ("lingdao", "/dashboard/"),
    ("lingdao", "/dashboard/development/"),
    ("wgy-shuanghe-1", "/m/"),
    ("wgy-shuanghe-1", "/m/report/"),
    ("wgy-shuanghe-1", "/m/verify/"),
]


def static_file(url: str) -> bytes:
    path = finders.find(url.removeprefix("/" + settings.STATIC_URL.lstrip("/")))
    if not isinstance(path, str):
        raise SystemExit(f"{url} not found: run `npm ci && npm run build` (bin/_setup.sh does)")
    return Path(path).read_bytes()


def kb(n: int) -> str:
    return f"{n / 1000:.1f} KB"


def main() -> None:
    print("| page | HTML | scripts + styles | first load | with the map |")
    print("|---|---|---|---|---|")
    for username, url in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, (url, response.status_code)
        html = gzip.decompress(response.content)
        assets = PageAssets()
        assets.feed(html.decode())
        files = sum(gzipped(static_file(src)) for src in assets.loaded)
        first = len(response.content) + files
        with_map = first + sum(gzipped(static_file(src)) for src in assets.on_demand)
        map_cell = kb(with_map) if assets.on_demand and url.startswith("/dashboard/") else "—"
        print(f"| `{url}` | {kb(len(response.content))} | {kb(files)} | {kb(first)} | {map_cell} |")


if __name__ == "__main__":
    main()
