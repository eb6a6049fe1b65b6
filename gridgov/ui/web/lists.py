"""Case lists (triage queue, department inbox, all cases) and the notifications page: filterable, sortable,
paginated, searchable, exportable to .xlsx with the same filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.access.permissions import out_of_reach, own_channel
from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.deadlines import deadline_views
from gridgov.data.cases.domain.export import cases_workbook, notifications_workbook
from gridgov.data.cases.domain.notification_inbox import mark_read, notifications_for
from gridgov.data.cases.domain.notifications import notification_text
from gridgov.data.cases.domain.queries import DEFAULT_SORT, CaseFilter, Queue, filter_villages, list_cases, towns_of
from gridgov.data.cases.enums import Channel
from gridgov.data.cases.models import Case
from gridgov.data.taxonomy.models import Category
from gridgov.ui.downloads import download
from gridgov.ui.signed_in import is_htmx, signed_in_user
from gridgov.ui.web.forms import ListForm
from gridgov.ui.web.menu import may_triage, may_use_inbox

PAGE_SIZE = 25


def _case_list(request: HttpRequest, *, queue: str, title: str, url_name: str) -> HttpResponse:
    user = signed_in_user(request)
    now = timezone.now()
    towns = towns_of(user) if not user.is_superuser else None
    categories_qs = Category.objects.filter(active=True).select_related("parent").order_by("code")
    if towns is not None:
        categories_qs = categories_qs.filter(town_id__in=towns)
    form = ListForm(
        request.GET or None,
        categories=[
            (c.pk, str(c) if c.parent_id else _("【%(name)s】") % {"name": c.local_name}) for c in categories_qs
        ],
        villages=[(v.pk, v.name) for v in filter_villages(user)],
    )
    form.is_valid()  # invalid fields are left out (and shown); the valid ones still filter
    data = form.cleaned_data if form.is_bound else {}
    case_filter = CaseFilter(
        statuses=tuple(data.get("status") or ()),
        category_id=data.get("category"),
        village_id=data.get("village"),
        channel=data.get("channel") or "",
        lamp=data.get("lamp") or "",
        search=data.get("q") or "",
        sort=data.get("sort") or DEFAULT_SORT,
        queue=queue,
        pending_extension=bool(data.get("extension")),
    )
    cases = list_cases(user=user, case_filter=case_filter, now=now)
    if request.GET.get("format") == "xlsx":
        stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
        return download(
            cases_workbook(cases.queryset, now=now, calendar=reference.calendar(), title=title),
            f"{url_name}-{stamp}.xlsx",
        )
    page: Page[Case] = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = deadline_views(page.object_list, now=now, calendar=reference.calendar())
    context = {
        "title": title,
        "form": form,
        "page": page,
        "rows": rows,
        "sort": case_filter.sort,
        "url_name": f"web:{url_name}",
        # a resident's list is of their own reports: the way to make one is beside it
        "reports_as_resident": own_channel(user) == Channel.RESIDENT,
    }
    template = "web/case_list.html#results" if is_htmx(request) else "web/case_list.html"
    return render(request, template, context)


@login_required
def triage(request: HttpRequest) -> HttpResponse:
    if not may_triage(signed_in_user(request)):
        raise PermissionDenied(_("只有指挥室受理员和管理员可以受理派遣"))
    return _case_list(request, queue=Queue.TRIAGE, title=_("受理派遣"), url_name="triage")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not may_use_inbox(signed_in_user(request)):
        raise PermissionDenied(_("只有部门处置人员、村干部和管理员有部门待办"))
    return _case_list(request, queue=Queue.INBOX, title=_("本单位待办"), url_name="inbox")


@login_required
def all_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(request, queue=Queue.ALL, title=_("全部事件"), url_name="cases")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    unread_only = request.GET.get("unread") == "1"
    search = request.GET.get("q", "")[:100]
    rows = notifications_for(user_id=user.pk, unread_only=unread_only, search=search)
    if request.GET.get("sort") == "created_at":
        rows = rows.order_by("created_at", "id")
    if request.GET.get("format") == "xlsx":
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return download(notifications_workbook(rows, title=_("消息提醒")), f"notifications-{stamp}.xlsx")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # A case that has left the reader (returned, reassigned) keeps its message, without a dead link: it says why.
    left = out_of_reach(user=user, case_ids={row.case_id for row in shown})
    lines = [(row, notification_text(row), left.get(row.case_id)) for row in shown]  # in the reader's language
    return render(
        request,
        "web/notifications.html",
        {"page": page, "lines": lines, "unread_only": unread_only, "q": search, "sort": request.GET.get("sort", "")},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    mark_read(user_id=user.pk, notification_ids=ids or None)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("web:notifications")
