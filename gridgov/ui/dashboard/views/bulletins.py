"""Bulletins (通报): generate a draft for a period and scope, preview it, issue it with the next number,
export it as .docx (official-document look) or .xlsx, and browse the archive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.errors import DomainError, NotFound
from gridgov.data.org.models import Area
from gridgov.data.reports.domain.bulletins import (
    bulletin_for_town,
    bulletin_outline,
    generate_bulletin,
    issue_bulletin,
    issue_line,
    issue_plan,
)
from gridgov.data.reports.enums import BulletinStatus
from gridgov.data.reports.models import Bulletin
from gridgov.data.writers import write_docx, write_xlsx
from gridgov.ui.confirm import ask_first, confirmed
from gridgov.ui.dashboard.common import town_wide
from gridgov.ui.dashboard.filters import PERIOD_KINDS, read_filters
from gridgov.ui.downloads import DOCX, download
from gridgov.ui.signed_in import is_htmx, signed_in_user


@login_required
def bulletins(request: HttpRequest) -> HttpResponse:
    viewer, town = town_wide(request)
    filters = read_filters(request.GET, town=town, viewer=viewer)
    # The list shows each bulletin's heading, not its content (a sizeable JSON document each, left unread).
    archive = Bulletin.objects.filter(town=town).select_related("created_by", "issued_by").defer("content")
    return render(
        request,
        "dashboard/bulletins.html",
        {
            "viewer": viewer,
            "filters": filters,
            "period_kinds": PERIOD_KINDS,
            "issued": [b for b in archive if b.status == BulletinStatus.ISSUED],
            "drafts": [b for b in archive if b.status == BulletinStatus.DRAFT],
        },
    )


@login_required
@require_POST
def bulletin_generate(request: HttpRequest) -> HttpResponse:
    viewer, town = town_wide(request)
    filters = read_filters(request.POST, town=town, viewer=viewer, with_choices=False)
    if filters.errors:
        for message in filters.errors.values():
            messages.error(request, message)
        return redirect(f"{reverse('dashboard:bulletins')}?{filters.query()}")
    steps: list[str] = []
    bulletin = generate_bulletin(
        user=signed_in_user(request),
        scope=filters.scope,
        scope_key=filters.scope_value,
        period=filters.period,
        as_of=filters.as_of,
        progress=steps.append,
    )
    messages.success(request, _("通报草稿已生成：%(steps)s完成。") % {"steps": "".join(steps)})
    url = reverse("dashboard:bulletin", args=[bulletin.pk]) + f"?town={town.pk}"
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _bulletin(request: HttpRequest, bulletin_id: int) -> tuple[Area, Bulletin]:
    _viewer, town = town_wide(request)
    try:
        return town, bulletin_for_town(town=town, bulletin_id=bulletin_id)
    except NotFound as error:
        raise Http404(error.message) from None


@login_required
def bulletin(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    viewer, _town = town_wide(request)
    town, found = _bulletin(request, bulletin_id)
    # The preview's section headings, numbered exactly as in the .docx.
    keys = ["summary", *(["ranking"] if found.content["rankings"] else []), "overdue", "reworked", "praise"]
    texts = [block.text for block in bulletin_outline(found).blocks if block.kind == "heading"]
    return render(
        request,
        "dashboard/bulletin.html",
        {
            "viewer": viewer,
            "bulletin": found,
            "c": found.content,
            "issue_line": issue_line(found),
            "town": town,
            "headings": dict(zip(keys, texts, strict=True)),
        },
    )


@login_required
@require_POST
def bulletin_issue(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    """Issue a draft — after a confirmation that says what is issued and to whom: the first POST (without
    ``confirm``) answers that confirmation (the preview's card, swapped in by htmx; a page of its own without
    JavaScript), and issues nothing."""
    town, found = _bulletin(request, bulletin_id)
    if found.status == BulletinStatus.DRAFT and not confirmed(request):
        plan = issue_plan(bulletin=found)
        return ask_first(request, "dashboard/bulletin_issue.html", {"bulletin": found, "town": town, "plan": plan})
    try:
        issued = issue_bulletin(bulletin_id=found.pk, town=town, user=signed_in_user(request))
        messages.success(
            request,
            _("已印发：%(line)s，文号%(number)s") % {"line": issue_line(issued), "number": issued.document_number},
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("dashboard:bulletin", args=[found.pk]) + f"?town={town.pk}")


def _filename(found: Bulletin, suffix: str) -> str:
    if found.number is not None:
        return f"通报{found.year}年第{found.number}期.{suffix}"
    return f"通报草稿{found.pk}.{suffix}"


@login_required
def bulletin_docx(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    _town, found = _bulletin(request, bulletin_id)
    return download(write_docx(bulletin_outline(found)), _filename(found, "docx"), DOCX, plain_name="bulletin.docx")


@login_required
def bulletin_xlsx(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    _town, found = _bulletin(request, bulletin_id)
    content = write_xlsx(bulletin_outline(found), sheet_title=_("通报"))
    return download(content, _filename(found, "xlsx"), plain_name="bulletin.xlsx")
