from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.org.models import Department
from gridgov.data.sheets.importer import _REGISTRY
from gridgov.data.sheets.jobs import KEEP_UNCONFIRMED, forget_files, run_job
from gridgov.data.sheets.models import ImportJob, JobMode, JobState
from tests.data.sheets.importers import DEPARTMENTS
from tests.data.sheets.test_framework import HEADER, xlsx
from tests.factories import TownWorld


def signed_in(client: Client, world: TownWorld) -> Client:
    client.force_login(world.admin)
    return client


def upload(client: Client, content: bytes, name: str = "部门.xlsx"):
    return client.post(reverse("imports:upload", args=[DEPARTMENTS.name]), {"file": SimpleUploadedFile(name, content)})


def test_upload_check_confirm_import(client: Client, world: TownWorld, django_capture_on_commit_callbacks) -> None:
    signed_in(client, world)
    content = xlsx([HEADER, ["P1", "页面导入站", "站所"], ["P2", "页面导入科", "镇机关科室"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)
    check = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[check.pk])
    assert (check.mode, check.state, (check.report or {})["valid"]) == (JobMode.DRY_RUN, JobState.DONE, 2)
    assert not Department.objects.filter(code__in=["P1", "P2"]).exists()

    page = client.get(reverse("imports:job", args=[check.pk]))
    assert "确认导入2行" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("imports:confirm", args=[check.pk]))
    done = ImportJob.objects.exclude(pk=check.pk).get()
    assert confirmed["Location"] == reverse("imports:job", args=[done.pk])
    assert (done.mode, done.state, (done.report or {})["imported"]) == (JobMode.IMPORT, JobState.DONE, 2)
    assert set(Department.objects.filter(code__in=["P1", "P2"]).values_list("name", flat=True)) == {
        "页面导入站",
        "页面导入科",
    }
    assert "导入完成：新增2行，跳过已有的0行。" in client.get(reverse("imports:job", args=[done.pk])).content.decode()


def test_bad_rows_are_listed_and_cannot_be_confirmed(
    client: Client, world: TownWorld, django_capture_on_commit_callbacks
) -> None:
    signed_in(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx([HEADER, ["Q1", "好", "站所"], ["Q2", "坏", "站所", None, "-1"]]))
    job = ImportJob.objects.get()
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "<td>3</td><td>预算</td><td>金额不能为负数</td>" in html
    assert "确认导入" not in html
    refused = client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assert "只有检查通过的文件才能导入" in refused.content.decode()
    assert ImportJob.objects.count() == 1
    errors = load_workbook(io.BytesIO(client.get(reverse("imports:errors", args=[job.pk])).content))
    rows = list(errors.worksheets[0].iter_rows(values_only=True))
    assert rows == [("行号", "列", "原因"), (3, "预算", "金额不能为负数")]


def test_wrong_file_type_keeps_the_form_with_a_message(client: Client, world: TownWorld) -> None:
    signed_in(client, world)
    response = upload(client, b"a,b\n1,2\n", name="部门.csv")
    assert response.status_code == 200
    assert "请上传.xlsx格式（旧版.xls、CSV、WPS表格请先“另存为”.xlsx）" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_corrupt_file_fails_the_job_with_a_reason(
    client: Client, world: TownWorld, django_capture_on_commit_callbacks
) -> None:
    signed_in(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, b"PK\x03\x04 this is not really a workbook")
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "这不是Excel工作簿（.xlsx）文件" in html


def _cut_sheet(content: bytes) -> bytes:
    """``content`` with its first sheet's XML cut short: the workbook opens, its rows cannot be read."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for item in source.infolist():
            data = source.read(item.filename)
            damaged.writestr(item, data[:-40] if item.filename == "xl/worksheets/sheet1.xml" else data)
    return buffer.getvalue()


def test_a_damaged_sheet_fails_the_job_with_a_reason(
    client: Client, world: TownWorld, django_capture_on_commit_callbacks
) -> None:
    signed_in(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, _cut_sheet(xlsx([HEADER, ["D1", "损坏", "站所"]])))
    job = ImportJob.objects.get()
    assert (job.state, job.message, bytes(job.content)) == (
        JobState.FAILED,
        "Excel文件已损坏或无法读取，请重新保存后再上传",
        b"",
    )


def _job(world: TownWorld, importer: str) -> ImportJob:
    content = xlsx([HEADER, ["E1", "出错", "站所"]])
    return ImportJob.objects.create(
        town=world.town, user=world.admin, importer=importer, filename="x.xlsx", content=content
    )


def test_a_job_whose_importer_is_gone_fails_with_a_reason(world: TownWorld) -> None:
    job = _job(world, "no-such-importer")
    assert run_job(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.message, bytes(job.content)) == (
        JobState.FAILED,
        "没有名为“no-such-importer”的导入模板",
        b"",
    )


class _Broken(type(DEPARTMENTS)):  # type: ignore[misc]
    name = "test-broken"
    error: Exception = RuntimeError("not the file's fault")

    def parse_row(self, row, *, ctx):
        raise self.error


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            RuntimeError("not the file's fault"),
            "处理文件时出错，没有导入任何数据。请检查文件后重新上传；如仍出错，请联系系统管理员。",
        ),
        (OperationalError("database is locked"), "系统繁忙，没有导入任何数据，请稍后重新上传。"),
    ],
)
def test_an_unexpected_error_fails_the_job_and_forgets_the_file(
    world: TownWorld, monkeypatch, error: Exception, message: str
) -> None:
    broken = _Broken()
    broken.error = error
    monkeypatch.setitem(_REGISTRY, _Broken.name, broken)  # taken out again after the test
    job = _job(world, _Broken.name)
    with pytest.raises(type(error)):
        run_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.message, bytes(job.content)) == (JobState.FAILED, message, b"")


def test_template_download(client: Client, world: TownWorld) -> None:
    signed_in(client, world)
    response = client.get(reverse("imports:template", args=[DEPARTMENTS.name]))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]][:2] == ["*编码", "*名称"]


def test_importers_and_jobs_are_scoped(client: Client, world: TownWorld, django_capture_on_commit_callbacks) -> None:
    signed_in(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx([HEADER, ["S1", "名", "站所"]]))
    job = ImportJob.objects.get()
    other = Client()
    other.force_login(world.operator)
    assert other.get(reverse("imports:upload", args=[DEPARTMENTS.name])).status_code == 404
    assert other.get(reverse("imports:template", args=[DEPARTMENTS.name])).status_code == 404
    assert other.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert str(DEPARTMENTS.title) not in other.get(reverse("imports:index")).content.decode()
    assert client.get(reverse("imports:upload", args=["no-such-ledger"])).status_code == 404


def test_progress_partial_polls_while_running(client: Client, world: TownWorld) -> None:
    signed_in(client, world)
    job = ImportJob.objects.create(
        town=world.town, user=world.admin, importer=DEPARTMENTS.name, filename="x.xlsx", content=b"", mode="dry_run"
    )
    html = client.get(reverse("imports:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<div id="job-status"')
    assert 'hx-trigger="every 1s"' in html
    assert "<html" not in html


def test_the_uploaded_file_is_kept_only_while_it_is_needed(
    client: Client, world: TownWorld, django_capture_on_commit_callbacks
) -> None:
    """A register holds names and ID numbers in plain text: the file goes once its job no longer needs it."""
    signed_in(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx([HEADER, ["F1", "文件保留站", "站所"]]))
        upload(client, xlsx([HEADER, ["F2", "坏", "站所", None, "-1"]]))
    passed, failed = ImportJob.objects.order_by("pk")
    assert (len(bytes(passed.content)) > 0, bytes(failed.content)) == (True, b"")  # waits for 确认导入; refused
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[passed.pk]))
    imported = ImportJob.objects.get(mode=JobMode.IMPORT)
    passed.refresh_from_db()
    assert (imported.state, bytes(imported.content), bytes(passed.content)) == (JobState.DONE, b"", b"")
    assert Department.objects.filter(code="F1").exists()


def test_a_dry_run_left_unconfirmed_for_a_day_loses_its_file(
    client: Client, world: TownWorld, django_capture_on_commit_callbacks
) -> None:
    signed_in(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx([HEADER, ["G1", "过期站", "站所"]]))
    job = ImportJob.objects.get()
    assert job.finished_at is not None
    assert forget_files(now=job.finished_at + KEEP_UNCONFIRMED - timedelta(seconds=1)) == 0
    assert forget_files(now=job.finished_at + KEEP_UNCONFIRMED) == 1
    refused = client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assert "检查结果已超过一天，文件已删除，请重新上传" in refused.content.decode()
    assert (ImportJob.objects.count(), Department.objects.filter(code="G1").exists()) == (1, False)
