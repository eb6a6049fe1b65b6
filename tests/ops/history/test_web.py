"""History import from the web: the generic import pages of the sheets framework, for administrators only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.sheets.models import ImportJob, JobMode, JobState
from tests.ops.history.test_import import GOOD, xlsx

pytestmark = pytest.mark.django_db


def test_an_administrator_checks_then_imports_an_export(
    client: Client, world, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.admin)
    assert "历史事件（原平台导出）" in client.get(reverse("imports:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:upload", args=["history"]), {"file": SimpleUploadedFile("原平台.xlsx", xlsx(GOOD))}
        )
    check = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[check.pk])
    assert (check.mode, check.state, (check.report or {})["valid"], Case.objects.count()) == (
        JobMode.DRY_RUN,
        JobState.DONE,
        5,
        0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[check.pk]))
    done = ImportJob.objects.exclude(pk=check.pk).get()
    assert (done.state, (done.report or {})["imported"]) == (JobState.DONE, 5)
    assert Case.objects.filter(imported=True).count() == 5
    assert set(CaseAction.objects.values_list("action", flat=True)) == {Action.IMPORT}
    assert CaseAction.objects.filter(data__imported_by__id=world.admin.pk).count() == CaseAction.objects.count()


def test_the_template_lists_the_columns(client: Client, world) -> None:
    client.force_login(world.admin)
    response = client.get(reverse("imports:template", args=["history"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["*事件编号", "*事件分类", "所属村（社区）", "所属网格", "*来源渠道", "*事件描述"]
    assert [cell.value for cell in sheet[2]][:2] == ["SJ2022-000123", "1201"]


def test_only_administrators_import_history(client: Client, world) -> None:
    client.force_login(world.operator)
    assert client.get(reverse("imports:upload", args=["history"])).status_code == 404
    assert "历史事件（原平台导出）" not in client.get(reverse("imports:index")).content.decode()
