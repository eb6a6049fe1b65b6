"""A person's rights under PIPL on the register's pages: the access request's export (导出个人信息, JSON or Excel,
logged) and erasure (删除个人信息, after a confirmation step; the resident's page then shows the placeholder)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.errors import DomainError
from gridgov.data.org.security import Client
from gridgov.data.people.domain import erase_person, export_person, person_view
from gridgov.data.sheets.workbooks import workbook
from gridgov.types import JSONObject
from gridgov.ui.downloads import download
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.views_residents import opened_resident, render_resident

# The Excel sheet's names of the record's fields (``people.domain.person_record``); a field not named here shows
# its JSON path.
RECORD_LABELS = {
    "resident.id": gettext_lazy("人员编号"),
    "resident.name": gettext_lazy("姓名"),
    "resident.id_number": gettext_lazy("证件号码"),
    "resident.phone": gettext_lazy("联系电话"),
    "resident.birth_date": gettext_lazy("出生日期"),
    "resident.sex": gettext_lazy("性别"),
    "resident.kind": gettext_lazy("人口类型"),
    "resident.relation": gettext_lazy("与户主关系"),
    "resident.moved_out_on": gettext_lazy("迁出日期"),
    "resident.registered_at": gettext_lazy("登记时间"),
    "household.id": gettext_lazy("户编号"),
    "household.number": gettext_lazy("户号"),
    "house.id": gettext_lazy("房屋编号"),
    "house.address": gettext_lazy("标准地址"),
    "house.village": gettext_lazy("村/社区"),
    "house.grid": gettext_lazy("网格"),
    "memberships.group": gettext_lazy("人员类别"),
    "memberships.since": gettext_lazy("纳管日期"),
    "memberships.until": gettext_lazy("解除日期"),
    "memberships.note": gettext_lazy("备注"),
}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _record_rows(record: JSONObject) -> list[list[str]]:
    """The record as (field, value) rows: the resident, household and house, then each membership numbered."""
    rows: list[list[str]] = []
    for section, value in record.items():
        if isinstance(value, dict):
            for key, item in value.items():
                path = f"{section}.{key}"
                rows.append([str(RECORD_LABELS.get(path, path)), _text(item)])
        elif isinstance(value, list):
            for n, entry in enumerate(value, start=1):
                for key, item in entry.items() if isinstance(entry, dict) else [("", entry)]:
                    path = f"{section}.{key}"
                    rows.append([f"{RECORD_LABELS.get(path, path)} {n}", _text(item)])
        else:
            rows.append([section, _text(value)])
    return rows


@login_required
@require_POST
def resident_export(request: HttpRequest, resident_id: int) -> HttpResponse:
    """导出个人信息: the person's record for an access request, as JSON or .xlsx (``?format=xlsx``); logged."""
    user, resident = opened_resident(request, resident_id)
    record = common.allowed_or_403(export_person, user=user, resident=resident, client=Client.of(request))
    name = _("个人信息%(n)s") % {"n": resident.pk}
    if request.POST.get("format") == "xlsx":
        return common.dated_xlsx(name, workbook(_("个人信息"), [_("项目"), _("内容")], _record_rows(record)))
    content = json.dumps(record, ensure_ascii=False, indent=2).encode()
    return download(content, f"{name}.json", "application/json; charset=utf-8")


@login_required
def resident_erase(request: HttpRequest, resident_id: int) -> HttpResponse:
    """删除个人信息: a confirmation page (GET), then the erasure (POST with ``confirm``); the page then shows the
    placeholder."""
    user, resident = opened_resident(request, resident_id)
    if not permissions.may_erase_person(user=user, resident=resident):
        raise PermissionDenied(_("您的角色不能删除该人员的个人信息"))
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            erase_person(user=user, resident=resident, now=timezone.now(), client=Client.of(request))
        except DomainError as error:
            return render_resident(request, resident, error=error.message, status=400)
        return redirect("ledgers:resident", resident.pk)
    return render(request, "ledgers/people/erase.html", {"resident": resident, "person": person_view(resident)})
