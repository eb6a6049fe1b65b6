"""The village collective economy (村级集体经济): the year table of the town's villages (经营性 / 非经营性 / 补助 /
合计, last year's operating income, the growth, 超50万元), the 红榜 (villages ranked by operating income and by
growth), its Excel export, and a village's page (twelve months × kinds, the entry form swapped by htmx). Every read
goes through the permission module (``income_villages``, ``visible_incomes``), every write through
``collective.domain.record_income`` after ``may_record_income``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.collective.domain import IncomeInput, SupportInput, record_income, record_support
from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.data.collective.figures import OPERATING_THRESHOLD, RED_LIST_SIZE, VillageYear, red_list, village_years
from gridgov.data.collective.importers import INCOMES, SUPPORTS
from gridgov.data.collective.models import VillageIncome, VillageSupport
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_collective import IncomeForm, SupportForm
from gridgov.ui.ledgers.listing import sheet
from gridgov.ui.ledgers.templatetags.enterprise_ledgers import percent
from gridgov.ui.params import id_param, year_shown
from gridgov.ui.signed_in import is_htmx, signed_in_user
from gridgov.ui.web.menu import may_use_collective


def collective_town(user: User) -> Area:
    """The user's town, when the collective economy's pages answer them (``menu.may_use_collective``); 403
    otherwise."""
    if not may_use_collective(user):
        raise PermissionDenied(_("村级集体经济台账只对镇指挥室、领导和村干部开放"))
    return common.civic_town(user)


def _villages(user: User, town: Area) -> QuerySet[Area]:
    return permissions.income_villages(user, town)


@dataclass(frozen=True)
class Table:
    year: int
    villages: list[Area]  # those the user sees
    every: list[VillageYear]  # their years
    rows: list[VillageYear]  # those the village filter keeps
    chosen: str  # the village filter's value


def _table(request: HttpRequest, user: User, town: Area) -> Table:
    """The year table asked for (``?year=``, ``?village=``)."""
    year = year_shown(request)
    villages = list(_villages(user, town))
    chosen = id_param(request.GET.get("village"))
    shown = [v for v in villages if v.pk == chosen] if chosen else villages
    every = village_years(incomes=permissions.visible_incomes(user), villages=villages, year=year)
    rows = [r for r in every if r.village in shown]
    return Table(year, villages, every, rows, str(chosen or ""))


@login_required
def collective(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = collective_town(user)
    table = _table(request, user, town)
    rows = table.rows
    by_income, by_growth = red_list(table.every)
    context = {
        "year": table.year,
        "rows": rows,
        "villages": [(v.pk, v.name) for v in table.villages],
        "chosen": table.chosen,
        "query": request.GET.urlencode(),
        "totals": VillageYear(town, *(sum((getattr(r, f) for r in rows), Decimal(0)) for f in _AMOUNTS)),
        "by_income": by_income,
        "by_growth": by_growth,
        "red_size": RED_LIST_SIZE,
        "threshold": OPERATING_THRESHOLD,
        "may_import": INCOMES.allowed(user),
    }
    return common.render_list(request, "ledgers/collective/year.html", context, rows="rows")


_AMOUNTS = ("operating", "non_operating", "subsidy", "last_operating")


@sheet(
    gettext_lazy("村级集体经济"),
    [
        gettext_lazy("村"),
        gettext_lazy("年度"),
        gettext_lazy("经营性收入（元）"),
        gettext_lazy("非经营性收入（元）"),
        gettext_lazy("补助收入（元）"),
        gettext_lazy("合计（元）"),
        gettext_lazy("上年同期经营性收入（元）"),
        gettext_lazy("经营性收入增幅"),
        gettext_lazy("经营性收入超50万元"),
    ],
)
def collective_sheet(line: tuple[int, VillageYear]) -> list[CellValue]:
    year, r = line
    return [
        r.village.name,
        year,
        r.operating,
        r.non_operating,
        r.subsidy,
        r.total,
        r.last_operating,
        percent(r.growth),
        _("是") if r.over else "",
    ]


@login_required
def collective_export(request: HttpRequest) -> HttpResponse:
    """The year table as Excel (no personal data in it)."""
    user = signed_in_user(request)
    table = _table(request, user, collective_town(user))
    return collective_sheet.response((table.year, r) for r in table.rows)


@dataclass(frozen=True)
class Month:
    month: int
    cells: list[VillageIncome | None]  # one per kind, in the kinds' order


def _village_or_404(user: User, town: Area, village_id: int) -> Area:
    village = _villages(user, town).filter(pk=village_id).first()
    if village is None:
        raise Http404(_("村不存在或您无权查看"))
    return village


def _months(user: User, village: Area, year: int) -> tuple[list[Month], list[Decimal]]:
    """The village's twelve months × kinds (one query) and each kind's year total."""
    found = {
        (i.month, i.kind): i
        for i in permissions.visible_incomes(user)
        .filter(village=village, year=year)
        .select_related("created_by", "updated_by")
    }
    months = [Month(m, [found.get((m, k.value)) for k in IncomeKind]) for m in range(1, 13)]
    totals = [sum((i.amount for (_m, kind), i in found.items() if kind == k.value), Decimal(0)) for k in IncomeKind]
    return months, totals


@login_required
def collective_village(request: HttpRequest, village_id: int) -> HttpResponse:
    """A village's year, month by month, and the entry form (a POST records, or corrects, one month's income of a
    kind; htmx swaps the panel)."""
    user = signed_in_user(request)
    town = collective_town(user)
    village = _village_or_404(user, town, village_id)
    year = year_shown(request)
    may_record = permissions.may_record_income(user, village)
    form = IncomeForm(request.POST or None)
    recorded = False
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied(_("您无权登记%(village)s的集体经济收入") % {"village": village.name})
        if form.is_valid():
            data = form.cleaned_data
            with common.FormRefusal(form):
                record_income(
                    actor=user,
                    data=IncomeInput(
                        village=village,
                        year=year,
                        month=data["month"],
                        kind=data["kind"],
                        amount=data["amount"],
                        note=data["note"],
                    ),
                    now=timezone.now(),
                )
                if not is_htmx(request):
                    return redirect(f"{request.path}?year={year}")
                recorded = True
                form = IncomeForm()
    months, totals = _months(user, village, year)
    context = {
        "village": village,
        "year": year,
        "months": months,
        "kinds": IncomeKind.choices,
        "kind_totals": totals,
        "total": sum(totals, Decimal(0)),
        "form": form if may_record else None,
        "recorded": recorded,
    }
    template = "ledgers/collective/village.html"
    return render(request, f"{template}#panel" if is_htmx(request) else template, context)


# ---------------------------------------------------------------------------------------------------
# Enterprises' help to villages (企业助农): 村企结对 and 共富工坊


@dataclass(frozen=True)
class SupportFilter:
    """The supports page's filters: the year, and optionally the kind (村企结对 / 共富工坊) and the village."""

    year: int
    kind: str = ""
    village: int | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> SupportFilter:
        kind = request.GET.get("kind", "")
        return cls(
            year_shown(request),
            kind if kind in SupportKind.values else "",
            id_param(request.GET.get("village")),
        )

    def query(self) -> str:
        return urlencode({"year": self.year, "kind": self.kind, "village": self.village or ""})


def _supports(user: User, town: Area, chosen: SupportFilter) -> list[VillageSupport]:
    """The 村企结对 and 共富工坊 records ``chosen`` names, of the villages ``user`` sees, newest first."""
    rows = permissions.visible_supports(user).filter(town=town, year=chosen.year)
    if chosen.kind:
        rows = rows.filter(kind=chosen.kind)
    if chosen.village:
        rows = rows.filter(village_id=chosen.village)
    return list(rows.select_related("village", "enterprise").order_by("-on", "-id"))


@sheet(
    gettext_lazy("村企结对和共富工坊"),
    [
        gettext_lazy("日期"),
        gettext_lazy("村"),
        gettext_lazy("助农类型"),
        gettext_lazy("结对单位"),
        gettext_lazy("统一社会信用代码"),
        gettext_lazy("帮扶金额（元）"),
        gettext_lazy("带动就业或受益人数"),
        gettext_lazy("备注"),
    ],
)
def supports_sheet(r: VillageSupport) -> list[CellValue]:
    return [
        r.on,
        r.village.name,
        r.get_kind_display(),
        r.partner_name,
        r.enterprise.credit_code if r.enterprise is not None else "",
        r.amount,
        r.people,
        r.note,
    ]


@login_required
def supports_export(request: HttpRequest) -> HttpResponse:
    """The year's 村企结对 and 共富工坊 records as Excel (no personal data in them)."""
    user = signed_in_user(request)
    return supports_sheet.response(_supports(user, collective_town(user), SupportFilter.of(request)))


@login_required
def supports(request: HttpRequest) -> HttpResponse:
    """The year's 村企结对 and 共富工坊 records of the villages the user sees, their count and total, and the form
    (for those who record for a village; a POST records one, then back to the list)."""
    user = signed_in_user(request)
    town = collective_town(user)
    shown = SupportFilter.of(request)
    recording = permissions.income_recording_villages(user, town)
    enterprises = list(Enterprise.objects.filter(town=town, active=True).order_by("name").values_list("pk", "name"))
    form = SupportForm(request.POST or None, villages=[(v.pk, v.name) for v in recording], enterprises=enterprises)
    if request.method == "POST":
        if not recording:
            raise PermissionDenied(_("您不能登记企业助农"))
        if form.is_valid():
            data = form.cleaned_data
            chosen = id_param(data["enterprise"])
            enterprise = Enterprise.objects.filter(pk=chosen, town=town).first() if chosen else None
            with common.FormRefusal(form):
                record_support(
                    actor=user,
                    data=SupportInput(
                        village=next((v for v in recording if str(v.pk) == data["village"]), None),
                        kind=data["kind"],
                        on=data["on"],
                        amount=data["amount"],
                        enterprise=enterprise,
                        partner=data["partner"],
                        people=data["people"],
                        note=data["note"],
                    ),
                    now=timezone.now(),
                )
                return redirect(f"{request.path}?year={data['on'].year}")
    records = _supports(user, town, shown)
    context = {
        "year": shown.year,
        "shown": shown,
        "kinds": SupportKind.choices,
        "villages": common.village_choices(town),
        "may_import": SUPPORTS.allowed(user),
        "records": records,
        "total": sum((r.amount for r in records), Decimal(0)),
        "form": form if recording else None,
    }
    return render(request, "ledgers/collective/supports.html", context)
