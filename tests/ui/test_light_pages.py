"""Light pages: HTML and JSON go out gzip-compressed to clients that accept it; the dashboard's first load
(the page, and every script and stylesheet it names) stays within 200 KB gzip and the phone pages within
60 KB; Leaflet is named only by pages that show a map. Sizes are counted, not timed: each static file is
gzipped here at level 9, as whitenoise does for collectstatic (and `npm run build` for the demo)."""

from __future__ import annotations

import gzip

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gridgov.data.cases.enums import Status
from tests.factories import MONDAY_0900, TownWorld, signed_in
from tests.ui.frontend import PageAssets, gzipped, needs_frontend_build, page_assets, require_build

KB = 1000
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
BOARD = "/dashboard/?period=year&date=2026-11-23"


def _gzipped_static(url: str) -> int:
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    assert url.startswith(prefix), url  # everything comes from our own static files, never a CDN
    path = finders.find(url.removeprefix(prefix))
    assert isinstance(path, str), f"{url} is named by the page but not found"
    with open(path, "rb") as file:
        return gzipped(file.read())


def _page_gzipped(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url, **GZIP)
    assert response.status_code == 200, url
    assert response["Content-Encoding"] == "gzip"
    return len(response.content), gzip.decompress(response.content).decode()


def first_load(client: Client, url: str) -> tuple[int, PageAssets, dict[str, int]]:
    """Bytes over the wire, gzip, for the page and everything it loads as it opens."""
    page_size, html = _page_gzipped(client, url)
    assets = page_assets(html)
    sizes = {"page": page_size} | {src: _gzipped_static(src) for src in assets.loaded}
    return sum(sizes.values()), assets, sizes


def test_html_is_gzipped_for_clients_that_accept_it(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    plain = client.get("/m/report/")
    assert plain.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get("/m/report/", **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert packed.content[:2] == b"\x1f\x8b"
    assert packed.content[3] & gzip.FNAME  # BREACH mitigation: random bytes in the gzip header's file name
    html = gzip.decompress(packed.content).decode()
    assert ">上报</button>" in html
    assert len(packed.content) * 3 < len(html.encode())


def test_json_is_gzipped_and_exports_are_left_alone(world: TownWorld) -> None:
    world.bring_to(Status.CLOSED, now=MONDAY_0900)
    client = signed_in(world.operator)
    cases = client.get("/api/cases", **GZIP)
    assert cases.status_code == 200
    assert cases["Content-Encoding"] == "gzip"
    assert gzip.decompress(cases.content).startswith(b"{")
    workbook = client.get("/cases/?format=xlsx", **GZIP)
    assert workbook.status_code == 200
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not workbook.has_header("Content-Encoding")  # a zip file already
    assert workbook.content[:2] == b"PK"


@needs_frontend_build
def test_dashboard_first_load_is_within_200_kb_gzip(world: TownWorld) -> None:
    require_build()
    world.bring_to(Status.CLOSED, now=MONDAY_0900)
    world.bring_to(Status.HANDLING, now=MONDAY_0900)
    total, assets, sizes = first_load(signed_in(world.leader), BOARD)
    assert "/static/vendor/echarts/charts.js" in assets.loaded  # only the ECharts parts the board draws
    assert not [src for src in assets.loaded if "leaflet" in src]  # Leaflet comes when the map is shown
    assert total <= 200 * KB, sizes
    # Scrolled down to the map: Leaflet's script and stylesheet, and our map.js, on top.
    assert sorted(assets.on_demand) == [
        "/static/dashboard/map.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet/leaflet.js",
    ]
    with_map = total + sum(_gzipped_static(src) for src in assets.on_demand)
    assert with_map <= 250 * KB, sizes


def test_dashboard_renders_without_the_built_bundle(world: TownWorld, settings, tmp_path) -> None:
    settings.STATICFILES_DIRS = []  # as where npm is missing: no charts, no map, and the page still works
    settings.STATIC_ROOT = tmp_path / "static"
    page = signed_in(world.leader).get(BOARD)
    assert page.status_code == 200
    assert "事件地图" in page.text
    assets = page_assets(page.text)
    assert [src for src in assets.loaded if "/vendor/" in src] == []
    assert assets.on_demand == []
    assert "/static/dashboard/board.js" in assets.loaded


@pytest.mark.parametrize("url", ["/m/", "/m/report/", "/m/verify/"])
def test_phone_pages_are_within_60_kb_gzip(world: TownWorld, url: str) -> None:
    world.bring_to(Status.HANDLING, now=MONDAY_0900)
    total, assets, sizes = first_load(signed_in(world.grid_worker_a), url)
    assert not [src for src in assets.loaded if "leaflet" in src or "echarts" in src]
    assert total <= 60 * KB, sizes


MAP_PAGES = {"dashboard:board", "dashboard:wall", "phone:report", "phone:public_report"}


def _pages_without_arguments() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) not in ("admin/", "api/", "open311/"):
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name and not pattern.pattern.converters and "<" not in str(pattern.pattern):
                found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, str(pattern.pattern)))

    walk(get_resolver().url_patterns, "")
    return found


def test_leaflet_is_named_only_by_pages_that_show_a_map(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING, now=MONDAY_0900)
    urls = [reverse(name) for name, _route in _pages_without_arguments()]
    urls += [reverse("web:case_detail", args=[case.pk]), reverse("phone:case", args=[case.pk])]
    visitors = [Client()] + [
        signed_in(user) for user in (world.admin, world.leader, world.operator, world.handler_a, world.grid_worker_a)
    ]
    with_leaflet: set[str] = set()
    html_pages = 0
    for url in urls:
        for client in visitors:
            response = client.get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            html_pages += 1
            assets = page_assets(response.text)
            assert not [src for src in assets.loaded if "leaflet" in src], url  # never in the first load
            if "leaflet" in response.text:
                match = response.resolver_match
                assert match is not None
                with_leaflet.add(match.view_name)
    assert html_pages >= 60  # the walk really looked at the pages
    assert with_leaflet == MAP_PAGES
