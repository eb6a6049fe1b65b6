"""Problem lists (问题清单): the items, the seven standing lists, progress and write-off."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.cases.domain.deadlines import ledger_overdue
from gridgov.data.cases.domain.personal_data import timeline
from gridgov.data.errors import NotFound
from gridgov.data.org.models import Area, Department, User
from gridgov.data.problemlists.domain import (
    ItemInput,
    add_item,
    ensure_seven_lists,
    list_progress,
    report_progress,
    write_off,
)
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_civic import ItemForm, NoteForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.params import id_param
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 200


def _items(user: User, town: Area, params: dict[str, str]) -> QuerySet[ProblemItem]:
    qs = (
        common.town_records(user, ProblemItem, town, params)
        .select_related("case", "problem_list", "department")
        .order_by("problem_list__sort_order", "-found_on", "-id")
    )
    if problem_list := id_param(params.get("list")):
        qs = qs.filter(problem_list_id=problem_list)
    if params.get("source") in Source.values:
        qs = qs.filter(source=params["source"])
    if department := id_param(params.get("department")):
        qs = qs.filter(department_id=department)
    return qs


ITEMS = LedgerList(town_of=common.civic_town, filters=("list", "source", "department", "status"))


@login_required
def problem_lists(request: HttpRequest) -> HttpResponse:
    shown = ITEMS.read(request)
    town = shown.town
    actions = permissions.ledger_actions(user=shown.user, ledger=permissions.Ledger.PROBLEM_LISTS, town=town)
    today = timezone.localdate()
    context = {
        "progress": [(p, common.figure_text(p.rate, "%")) for p in list_progress(town=town, as_of=timezone.now())]
        if "add" in actions
        else [],
        "items": _items(shown.user, town, shown.params)[:PAGE_SIZE],
        "today": today,
        "params": shown.params,
        "lists": ProblemList.objects.filter(town=town),
        "sources": Source.choices,
        "departments": common.department_choices(town),
        "status_filters": common.STATUS_FILTERS,
        "actions": actions,
    }
    return common.render_list(request, "ledgers/civic/problem_lists.html", context, rows="items")


@sheet(
    gettext_lazy("问题清单"),
    [
        gettext_lazy("清单名称"),
        gettext_lazy("事件编号"),
        gettext_lazy("问题描述"),
        gettext_lazy("问题来源"),
        gettext_lazy("责任单位"),
        gettext_lazy("责任人"),
        gettext_lazy("整改措施"),
        gettext_lazy("发现日期"),
        gettext_lazy("整改时限"),
        gettext_lazy("状态"),
        gettext_lazy("销号时间"),
    ],
)
def items_sheet(i: ProblemItem) -> list[CellValue]:
    return [
        i.problem_list.name,
        i.case.number,
        i.case.description,
        i.get_source_display(),
        i.department.name,
        i.responsible_person,
        i.plan,
        i.found_on,
        i.deadline,
        i.case.get_status_display(),
        i.case.closed_at,
    ]


problem_items_export = export_view(ITEMS, _items, items_sheet)


@login_required
@require_POST
def seven_lists(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.civic_town(user)
    return common.then_redirect(lambda: ensure_seven_lists(town=town, actor=user), "ledgers:problem_lists")


@login_required
def problem_item_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.civic_town(user)
    lists = list(ProblemList.objects.filter(town=town).values_list("pk", "name"))
    form = ItemForm(request.POST or None, lists=lists, departments=common.department_choices(town))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with common.FormRefusal(form):
            item = add_item(
                actor=user,
                data=ItemInput(
                    problem_list=ProblemList.objects.get(pk=data["problem_list"], town=town),
                    source=data["source"],
                    description=data["description"],
                    department=Department.objects.get(pk=data["department"], town=town),
                    responsible_person=data["responsible_person"],
                    plan=data["plan"],
                    deadline=data["deadline"],
                    found_on=data["found_on"],
                ),
            )
            return redirect("ledgers:problem_item", item.pk)
    return render(request, "ledgers/civic/problem_item_new.html", {"form": form})


def _item_for(user: User, item_id: int) -> ProblemItem:
    try:
        return permissions.record_for(
            user, ProblemItem.objects.select_related("case", "problem_list", "department"), item_id
        )
    except NotFound:
        raise Http404(_("问题不存在或您无权查看")) from None


@login_required
def problem_item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in_user(request)
    item = _item_for(user, item_id)
    actions = permissions.record_actions(user=user, record=item)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with common.FormRefusal(form):
            report_progress(item=item, actor=user, note=form.cleaned_data["note"])
            return redirect("ledgers:problem_item", item.pk)
    context = {
        "item": item,
        "case": item.case,
        "form": form,
        "progress": timeline(item.case, item.case.actions.filter(action="progress").order_by("seq")),
        "actions": actions,
        "overdue": ledger_overdue(status=item.case.status, deadline=item.deadline, today=timezone.localdate()),
    }
    return render(request, "ledgers/civic/problem_item.html", context)


@login_required
@require_POST
def problem_item_write_off(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in_user(request)
    item = _item_for(user, item_id)
    return common.then_redirect(lambda: write_off(item=item, actor=user), "ledgers:problem_item", item.pk)
