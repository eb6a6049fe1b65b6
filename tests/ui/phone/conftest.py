"""Helpers for the phone pages: signed-in clients, one-time tokens, photos as uploads, town boundaries."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from gridgov.data.org.models import Area
from gridgov.data.taxonomy.search import clear_cache
from tests.factories import TownWorld

TOKEN = re.compile(r'name="once_token" value="([^"]+)"')


def box(west: float, south: float, east: float, north: float) -> dict[str, object]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


# Village A (and its grid) is the western half of the town, village B the eastern half.
TOWN_BOX = box(122.0, 30.2, 122.2, 30.3)
IN_GRID_A = ("30.250000", "122.050000")
IN_GRID_B = ("30.250000", "122.150000")
OUT_OF_TOWN = ("31.230000", "121.470000")  # Shanghai


@pytest.fixture
def bounded(world: TownWorld) -> TownWorld:
    Area.objects.filter(pk=world.town.pk).update(boundary=TOWN_BOX)
    Area.objects.filter(pk__in=[world.village_a.pk, world.grid_a.pk]).update(boundary=box(122.0, 30.2, 122.1, 30.3))
    Area.objects.filter(pk__in=[world.village_b.pk, world.grid_b.pk]).update(boundary=box(122.1, 30.2, 122.2, 30.3))
    world.town.refresh_from_db()
    return world


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_cache()
    cache.clear()  # rate-limit counters and one-time tokens


def once_token(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    found = TOKEN.search(page.text)
    assert found is not None
    return found.group(1)


def jpeg_file(name: str = "scene.jpg", color: tuple[int, int, int] = (200, 80, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
