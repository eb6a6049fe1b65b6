"""What the ledger pages share: the town a signed-in user works in, whom an enterprise ledger's entry is for,
form errors, Excel responses, uploads, the list filters by status, and how a list page is paged and rendered.
The pages themselves live one module per ledger (``views_<ledger>.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from types import TracebackType

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.enums import AttachmentKind, Kind, Status
from gridgov.data.cases.models import Case
from gridgov.data.disputes.models import Dispute
from gridgov.data.errors import DomainError, NotFound
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Enterprise, User
from gridgov.data.problemlists.models import ProblemItem
from gridgov.data.rentals.models import Rectification
from gridgov.data.sheets.jobs import home_town
from gridgov.data.sheets.workbooks import workbook
from gridgov.types import CellValue, FromDjango, TemplateContext
from gridgov.ui.downloads import download
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import is_htmx
from gridgov.ui.web.menu import may_use_civic_ledgers
from gridgov.ui.web.views import case_or_404

type ListFilters = Mapping[str, str]  # an enterprise ledger list's filters: the request's GET, or a dict of them

STATUS_FILTERS = [
    ("", gettext_lazy("全部")),
    ("open", gettext_lazy("未办结")),
    (Status.CLOSED, gettext_lazy("已销号/办结")),
]


def staff_town(user: User, roles: tuple[Role, ...] | None = None) -> Area | None:
    """The first town in which ``user`` serves (in ``roles``, by default any staff role); None for others."""
    ids = permissions.staff_town_ids(user, roles) if roles else permissions.staff_town_ids(user)
    return Area.objects.filter(pk__in=ids, level=AreaLevel.TOWN).order_by("code").first() if ids else None


def town_or_404(town: Area | None) -> Area:
    """The town a ledger's pages work on for the user (found by the ledger's rule); a 404 when their account
    belongs to none."""
    if town is None:
        raise Http404(_("您的账号不属于任何乡镇"))
    return town


def civic_town(user: User) -> Area:
    """The town whose civic ledgers (inspections, problem lists, disputes) ``user`` works on; 403/404 otherwise."""
    if not may_use_civic_ledgers(user):
        raise PermissionDenied(_("督查、问题清单和信访纠纷只对本镇工作人员开放"))
    return town_or_404(home_town(user))


def entering_for(user: User, refusal: str) -> Enterprise | None:
    """Whom ``user`` enters an enterprise ledger's record (a hazard, a service request) for: town staff choose
    the enterprise (None); an enterprise user enters for its own one; anyone else gets a 404 with ``refusal``."""
    own = permissions.own_enterprise_ids(user)
    staff = bool(permissions.staff_town_ids(user))
    if not own and not staff:
        raise Http404(refusal)
    return None if staff else Enterprise.objects.filter(pk__in=own).order_by("pk").first()


def then_redirect(step: Callable[[], object], to: str, *args: int) -> HttpResponse:
    """A button's POST: take ``step`` (a domain function), then go to the page ``to`` (a URL name, with
    ``args``); 403 with the domain's message when the step is refused."""
    try:
        step()
    except DomainError as error:
        raise PermissionDenied(error.message) from None
    return redirect(to, *args)


def civic_keeper_town(user: User, refusal: str) -> Area:
    """The user's town when they keep its civic ledgers (the command room, leaders, admins); a 403 with
    ``refusal`` for anyone else."""
    town = civic_town(user)
    if "add" not in permissions.ledger_actions(user=user, ledger=permissions.Ledger.INSPECTIONS, town=town):
        raise PermissionDenied(refusal)
    return town


class FormRefusal(AbstractContextManager[None]):
    """``with common.FormRefusal(form):`` a form's domain write and what follows it (a redirect); when the domain
    refuses it (DomainError), the rest of the block is skipped and the refusal put beside the field it names
    (``show_refusal``), for the page to show the form again."""

    def __init__(self, form: Form) -> None:
        self.form = form

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool:
        if isinstance(error, DomainError):
            show_refusal(self.form, error)
            return True
        return False


def dated_xlsx(name: str, content: bytes) -> HttpResponse:
    """An Excel download named ``name`` and today's date."""
    return download(content, f"{name}{timezone.localtime().strftime('%Y%m%d')}.xlsx")


def list_xlsx(title: str, headers: Sequence[str | Promise], rows: Iterable[Sequence[CellValue]]) -> HttpResponse:
    """A ledger list as an Excel download: one sheet titled ``title``, the file named ``title`` and today's date."""
    return dated_xlsx(title, workbook(title, headers, rows))


def uploads(request: HttpRequest, kind: AttachmentKind) -> list[Upload]:
    return [Upload(name=f.name or "photo", data=f.read(), kind=kind) for f in request.FILES.getlist("photos")]


def day_text(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def area_choices(town: Area) -> list[tuple[int, str]]:
    return [
        (a.pk, a.name if a.level == AreaLevel.VILLAGE else f"　{a.name}")
        for a in Area.objects.filter(town=town, level__in=[AreaLevel.VILLAGE, AreaLevel.GRID]).order_by("path")
    ]


def village_choices(town: Area) -> list[tuple[int, str]]:
    return list(
        Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code").values_list("pk", "name")
    )


def department_choices(town: Area) -> list[tuple[int, str]]:
    return list(Department.objects.filter(town=town, active=True).values_list("pk", "name"))


def status_filter(qs: QuerySet[FromDjango], status: str, prefix: str = "case__") -> QuerySet[FromDjango]:
    if status == "open":
        return qs.exclude(**{f"{prefix}status__in": [Status.CLOSED, Status.REJECTED]})
    if status in Status.values:
        return qs.filter(**{f"{prefix}status": status})
    return qs


def town_records[R: (Dispute, ProblemItem, Rectification)](
    user: User, model: type[R], town: Area, params: ListFilters
) -> QuerySet[R]:
    """A civic ledger's records of ``town`` that ``user`` may see, narrowed by the list's status filter."""
    return status_filter(permissions.visible_records(user, model).filter(town=town), params.get("status", ""))


def found_or_404[**P, T](find: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """What a permissions lookup finds for the page; its NotFound (unseen or absent: never told apart) as a 404."""
    try:
        return find(*args, **kwargs)
    except NotFound as error:
        raise Http404(error.message) from None


def allowed_or_403[**P, T](act: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """What a domain function that shows or hands out a person's data answers; its refusal (DomainError) as a 403
    with the domain's message."""
    try:
        return act(*args, **kwargs)
    except DomainError as error:
        raise PermissionDenied(error.message) from None


def ledger_case(user: User, case_id: int, kind: Kind) -> Case:
    case = case_or_404(user, case_id)
    if case.kind != kind:
        raise Http404(_("事件不存在或您无权查看"))
    return case


def figure_text(value: int | Decimal | None, unit: str) -> str:
    """98.0% / 1605.00万元 / 188条 / — for an empty denominator."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"
    if unit == _("元"):
        amount = Decimal(value)
        if amount >= 10_000:
            return _("%(n)s万元") % {"n": (amount / 10_000).quantize(Decimal("0.01"))}
        return _("%(n)s元") % {"n": amount.quantize(Decimal("0.01"))}
    return f"{value}{unit}"


def list_params(request: HttpRequest, *keys: str) -> dict[str, str]:
    """A civic ledger list's filters from the query string ("" when absent): for the list, its export and the
    filter form."""
    return {key: request.GET.get(key, "") for key in keys}


def page_context(request: HttpRequest, records: QuerySet[FromDjango], size: int) -> TemplateContext:
    """An enterprise ledger list's page: the page asked for (``?page=``), and the filters as the query string the
    pager and the export link repeat (``query``) and as the form's values (``params``)."""
    return {
        "page": Paginator(records, size).get_page(request.GET.get("page")),
        "query": request.GET.urlencode(),
        "params": request.GET,
    }


def render_list(request: HttpRequest, template: str, context: TemplateContext, *, rows: str) -> HttpResponse:
    """A ledger list page; when htmx asks (a filter changed), only its ``rows`` partial, which htmx swaps in."""
    return render(request, f"{template}#{rows}" if is_htmx(request) else template, context)
