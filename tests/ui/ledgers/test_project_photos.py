"""Site photos (工地现场照片) of a project's monthly progress report: checked by content through the cases' photo
path, kept as a display copy and a thumbnail, shown on the project's page and served only within the project's
scope; a file that is not a photo refuses the whole report (nothing written) and the form asks for the photos
again. (The API's side: tests/ui/api/test_project_photos_api.py.)"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.errors import InvalidInput
from gridgov.data.projects.domain import ProgressInput, record_progress
from gridgov.data.projects.models import ProgressPhoto, ProgressReport
from tests.data.projects.builders import project, today
from tests.factories import TownWorld, jpeg, signed_in

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _form(**extra: object) -> dict[str, object]:
    base = today()
    return {"year": base.year, "month": base.month, "investment": "20万", "note": "主体施工", **extra}


def _photo(name: str = "site.jpg", size: tuple[int, int] = (400, 300)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(size=size), content_type="image/jpeg")


def test_photos_stored_as_display_and_thumbnail_and_shown(world: TownWorld) -> None:
    built = project(world)
    client = signed_in(world.handler_a)
    form = client.get(reverse("ledgers:project", args=[built.pk])).text
    assert 'enctype="multipart/form-data" hx-encoding="multipart/form-data"' in form
    assert '<input type="file" name="photos" accept="image/*" multiple' in form
    url = reverse("ledgers:project_progress", args=[built.pk])
    page = client.post(url, _form(photos=[_photo("east.jpg", (2400, 1800)), _photo("west.jpg")]), **HTMX)
    assert page.status_code == 200
    report = ProgressReport.objects.get()
    photos = list(ProgressPhoto.objects.order_by("pk"))
    assert [(p.report_id, p.original_name, p.width, p.height) for p in photos] == [
        (report.pk, "east.jpg", 2400, 1800),
        (report.pk, "west.jpg", 400, 300),
    ]
    with (
        photos[0].display.open("rb") as stored_display,
        photos[0].thumbnail.open("rb") as stored_thumb,
        Image.open(stored_display) as display,
        Image.open(stored_thumb) as thumb,
    ):
        assert (display.format, display.size, thumb.size) == ("JPEG", (1600, 1200), (320, 240))
    for p in photos:
        display_url = reverse("ledgers:project_photo", args=[built.pk, p.pk, "display"])
        thumb_url = reverse("ledgers:project_photo", args=[built.pk, p.pk, "thumb"])
        assert f'<a href="{display_url}"' in page.text
        assert f'<img src="{thumb_url}"' in page.text
    served = signed_in(world.leader).get(reverse("ledgers:project_photo", args=[built.pk, photos[0].pk, "thumb"]))
    assert (served.status_code, served["Content-Type"]) == (200, "image/jpeg")
    content = b"".join(served.streaming_content)
    with Image.open(BytesIO(content)) as shown:
        assert shown.size == (320, 240)


def test_a_file_that_is_not_a_photo_refuses_the_report_and_keeps_the_form(world: TownWorld) -> None:
    built = project(world)
    url = reverse("ledgers:project_progress", args=[built.pk])
    text = SimpleUploadedFile("进度表.jpg", b"not an image at all", content_type="image/jpeg")
    page = signed_in(world.handler_a).post(url, _form(photos=[_photo(), text]), **HTMX)
    assert page.status_code == 200
    assert "“进度表.jpg”不是有效的图片" in page.text
    assert 'id="photo-lost"' in page.text
    assert "主体施工" in page.text  # the rest of the form kept
    assert (ProgressReport.objects.count(), ProgressPhoto.objects.count()) == (0, 0)


def test_domain_refuses_a_bad_photo_naming_it_with_nothing_written(world: TownWorld) -> None:
    built = project(world)
    base = today()
    data = ProgressInput(
        project=built,
        year=base.year,
        month=base.month,
        investment="10万",
        photos=(Upload(name="a.jpg", data=jpeg()), Upload(name="报表.pdf", data=b"%PDF-1.4")),
    )
    with pytest.raises(InvalidInput) as refused:
        record_progress(actor=world.handler_a, data=data)
    assert (refused.value.field, refused.value.message) == (
        "photos",
        "工地现场照片：“报表.pdf”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）",
    )
    assert (ProgressReport.objects.count(), ProgressPhoto.objects.count()) == (0, 0)


def test_a_correction_adds_photos_up_to_nine(world: TownWorld) -> None:
    built = project(world)
    base = today()

    def report(count: int) -> ProgressReport:
        photos = tuple(Upload(name=f"{n}.jpg", data=jpeg(color=(n, 90, 90))) for n in range(count))
        return record_progress(
            actor=world.handler_a,
            data=ProgressInput(project=built, year=base.year, month=base.month, investment="10万", photos=photos),
        )

    first = report(6)
    assert report(3).pk == first.pk
    with pytest.raises(InvalidInput) as refused:
        report(1)
    assert "已有 9 张，每月最多 9 张" in refused.value.message
    assert ProgressPhoto.objects.filter(report=first).count() == 9
    assert ProgressReport.objects.get().investment == Decimal("100000.00")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("operator", 200), ("leader", 200), ("handler_a", 200), ("village_staff_a", 200),
     ("handler_b", 404), ("village_staff_b", 404), ("grid_worker_a", 404), ("resident", 404)],
)  # fmt: skip
def test_photo_served_only_within_the_project_scope(world: TownWorld, persona: str, status: int) -> None:
    built = project(world)
    base = today()
    record_progress(
        actor=world.handler_a,
        data=ProgressInput(
            project=built,
            year=base.year,
            month=base.month,
            investment="10万",
            photos=(Upload(name="a.jpg", data=jpeg()),),
        ),
    )
    photo = ProgressPhoto.objects.get()
    url = reverse("ledgers:project_photo", args=[built.pk, photo.pk, "display"])
    response = signed_in(getattr(world, persona)).get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG


def test_the_project_page_costs_the_same_queries_for_more_reports_and_photos(world: TownWorld) -> None:
    built = project(world, total="1亿")
    base = today()
    # this month and the two before it (across the new year in January and February)
    months = [
        ((base.year * 12 + base.month - 1 - n) // 12, (base.year * 12 + base.month - 1 - n) % 12 + 1) for n in range(3)
    ]
    client = signed_in(world.leader)
    url = reverse("ledgers:project", args=[built.pk])

    def report(year: int, month: int, photos: int) -> None:
        record_progress(
            actor=world.handler_a,
            data=ProgressInput(
                project=built,
                year=year,
                month=month,
                investment="10万",
                note="跨年度",
                photos=tuple(Upload(name=f"{month}-{n}.jpg", data=jpeg()) for n in range(photos)),
            ),
        )

    report(*months[0], 1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).text.count('<img src="') == 1
    for year, month in months[1:]:
        report(year, month, 3)
    report(*months[0], 2)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).text.count('<img src="') == 9
    assert len(more) == len(one)
