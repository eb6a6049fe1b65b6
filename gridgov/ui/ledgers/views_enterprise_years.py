"""The enterprises' yearly figures (企业年度数据): the list with its filters and Excel export, one enterprise's years
with the entry form, and the 低效企业整治 list whose rows move the rectification on. Who sees and records is
``access.permissions`` (``visible_enterprise_years``, ``may_record_years``); the rules are the domain's."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.enterprises.domain.yearly import (
    YearInput,
    mark_below_threshold,
    record_year,
    set_rectification,
    set_threshold,
)
from gridgov.data.enterprises.enums import Rectification
from gridgov.data.enterprises.models_yearly import EfficiencyThreshold, EnterpriseYear
from gridgov.data.enterprises.yearly_figures import new_above_scale, rectified_by
from gridgov.data.errors import DomainError
from gridgov.data.org.models import Enterprise, User
from gridgov.types import CellValue, TemplateContext
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_enterprise_years import EnterpriseYearForm, RectificationForm, ThresholdForm
from gridgov.ui.ledgers.listing import sheet
from gridgov.ui.params import year_param, year_shown
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 50


def year_rows(user: User, params: common.ListFilters) -> QuerySet[EnterpriseYear]:
    """The rows ``user`` may see, narrowed by the list's filters (``year``; ``above``, ``key``, ``low``: 1 or 0;
    ``new``: 1 — newly above 规上; ``rectified``: done — rectified, open — low-efficiency not rectified)."""
    qs = permissions.visible_enterprise_years(user)
    if year := year_param(params.get("year")):
        qs = qs.filter(year=year)
    for key, field in (("above", "above_scale"), ("key", "key"), ("low", "low_efficiency")):
        if params.get(key) in ("1", "0"):
            qs = qs.filter(**{field: params.get(key) == "1"})
    if params.get("new") == "1":
        qs = qs.filter(new_above_scale())
    # rectified by the end of the year filtered (as the year figures count it), or at all without a year
    done = Q(low_efficiency=True, rectification=Rectification.DONE)
    if year:
        done &= Q(rectified_on__lt=date(year + 1, 1, 1))
    if params.get("rectified") == "done":
        qs = qs.filter(done)
    elif params.get("rectified") == "open":
        qs = qs.filter(low_efficiency=True).exclude(done)
    return qs.select_related("enterprise").order_by("-year", "enterprise__name", "id")


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context = {
        **common.page_context(request, year_rows(user, request.GET), PAGE_SIZE),
        "may_record": permissions.may_record_years(user),
    }
    return common.render_list(request, "ledgers/enterprise/years.html", context, rows="rows")


def _number(value: object) -> str:
    return "" if value is None else str(value)


@sheet(
    gettext_lazy("企业年度数据"),
    [
        gettext_lazy("企业名称"),
        gettext_lazy("统一社会信用代码"),
        gettext_lazy("年度"),
        gettext_lazy("规上"),
        gettext_lazy("首次进入规上年度"),
        gettext_lazy("重点"),
        gettext_lazy("固定资产投资"),
        gettext_lazy("用地面积（亩）"),
        gettext_lazy("税收"),
        gettext_lazy("产值"),
        gettext_lazy("亩均税收（元/亩）"),
        gettext_lazy("亩均产值（元/亩）"),
        gettext_lazy("低效"),
        gettext_lazy("整治状态"),
        gettext_lazy("整治日期"),
        gettext_lazy("整治措施"),
    ],
)
def years_sheet(r: EnterpriseYear) -> list[CellValue]:
    yes, no = _("是"), _("否")
    return [
        r.enterprise.name,
        r.enterprise.credit_code,
        r.year,
        yes if r.above_scale else no,
        _number(r.above_scale_since),
        yes if r.key else no,
        r.fixed_investment,
        _number(r.land_mu),
        r.tax,
        r.output,
        _number(r.tax_per_mu),
        _number(r.output_per_mu),
        yes if r.low_efficiency else no,
        r.get_rectification_display(),
        common.day_text(r.rectified_on),
        r.get_measure_display(),
    ]


@login_required
def years_export(request: HttpRequest) -> HttpResponse:
    return years_sheet.response(year_rows(signed_in_user(request), request.GET))


def _enterprise_or_404(user: User, enterprise_id: int) -> Enterprise:
    enterprise = permissions.visible_enterprises(user).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404(_("企业不存在或您无权查看"))
    return enterprise


def _year_input(enterprise: Enterprise, data: dict[str, object]) -> YearInput:
    return YearInput(
        enterprise=enterprise,
        year=str(data["year"]),
        above_scale=bool(data["above_scale"]),
        above_scale_since=str(data["above_scale_since"] or "") or None,
        key=bool(data["key"]),
        fixed_investment=str(data["fixed_investment"] or ""),
        land_mu=str(data["land_mu"] or ""),
        tax=str(data["tax"] or ""),
        output=str(data["output"] or ""),
        low_efficiency=bool(data["low_efficiency"]),
        rectification=str(data["rectification"] or ""),
        rectified_on=day if isinstance(day := data["rectified_on"], date) else None,
        measure=str(data["measure"] or ""),
        note=str(data["note"] or ""),
    )


@login_required
def enterprise_years(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """One enterprise's years; recorders enter (or correct) a year with the form, which htmx posts and swaps."""
    user = signed_in_user(request)
    enterprise = _enterprise_or_404(user, enterprise_id)
    may_record = permissions.may_record_years(user, enterprise)
    form = EnterpriseYearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied(_("您无权登记“%(name)s”的年度数据") % {"name": enterprise.name})
        if form.is_valid():
            with common.FormRefusal(form):
                record_year(actor=user, data=_year_input(enterprise, form.cleaned_data), now=timezone.now())
                form = EnterpriseYearForm(initial={"year": timezone.localdate().year})
    rows = permissions.visible_enterprise_years(user).filter(enterprise=enterprise).order_by("-year")
    context: TemplateContext = {"enterprise": enterprise, "rows": rows, "form": form, "may_record": may_record}
    template = "ledgers/enterprise/enterprise_years.html"
    return render(request, f"{template}#years" if request.headers.get("HX-Request") else template, context)


def _low_rows(user: User, year: int) -> QuerySet[EnterpriseYear]:
    return (
        permissions.visible_enterprise_years(user)
        .filter(year=year, low_efficiency=True)
        .select_related("enterprise")
        .order_by("enterprise__name", "id")
    )


@login_required
def rectifications(request: HttpRequest) -> HttpResponse:
    """The 低效企业整治 list of a year: each low-efficiency enterprise with its status, and (for recorders) the form
    that moves it on."""
    user = signed_in_user(request)
    year = year_shown(request)
    rows = list(_low_rows(user, year))
    end = date(year + 1, 1, 1)
    done = {r.pk for r in _low_rows(user, year).filter(rectified_by(end=end, as_of=timezone.now()))}
    may_record = permissions.may_record_years(user)
    town = common.staff_town(user)
    threshold = EfficiencyThreshold.objects.filter(town=town, year=year).first() if may_record and town else None
    context: TemplateContext = {
        "threshold": threshold,
        "threshold_form": ThresholdForm(initial={"tax_per_mu": threshold.tax_per_mu if threshold else ""}),
        "year": year,
        "rows": [(r, RectificationForm(initial=_initial(r), prefix=f"r{r.pk}")) for r in rows],
        "done": len(done),
        "may_record": may_record,
    }
    return render(request, "ledgers/enterprise/rectifications.html", context)


def _initial(row: EnterpriseYear) -> dict[str, object]:
    return {"rectification": row.rectification, "rectified_on": row.rectified_on, "measure": row.measure}


@login_required
@require_POST
def rectify(request: HttpRequest, row_id: int) -> HttpResponse:
    """Move one low-efficiency enterprise's rectification on; htmx swaps its row."""
    user = signed_in_user(request)
    row = permissions.visible_enterprise_years(user).select_related("enterprise").filter(pk=row_id).first()
    if row is None:
        raise Http404(_("记录不存在或您无权查看"))
    if not permissions.may_record_years(user, row.enterprise):
        raise PermissionDenied(_("您无权登记“%(name)s”的年度数据") % {"name": row.enterprise.name})
    form = RectificationForm(request.POST, prefix=f"r{row.pk}")
    if form.is_valid():
        with common.FormRefusal(form):
            row = set_rectification(
                actor=user,
                row=row,
                status=form.cleaned_data["rectification"],
                rectified_on=form.cleaned_data["rectified_on"],
                measure=form.cleaned_data["measure"],
                now=timezone.now(),
            )
            form = RectificationForm(initial=_initial(row), prefix=f"r{row.pk}")
    context: TemplateContext = {"row": row, "form": form, "may_record": True}
    return render(request, "ledgers/enterprise/rectifications.html#row", context)


@login_required
@require_POST
def threshold(request: HttpRequest) -> HttpResponse:
    """Set the year's 亩均税收 threshold of the user's town and mark the enterprises below it as low-efficiency."""
    user = signed_in_user(request)
    year = year_shown(request)
    town = common.staff_town(user)
    if town is None or not permissions.may_record_years(user):
        raise PermissionDenied(_("您无权设定亩均税收门槛"))
    given = request.GET.get("year") or request.POST.get("year")
    if given and year_param(given) is None:  # a write never falls back to this year as a page may
        messages.error(request, _("年份“%(v)s”无效，未设定门槛") % {"v": given[:10]})
        return redirect(reverse("ledgers:enterprise_rectifications"))
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            set_threshold(
                actor=user, town=town, year=year, tax_per_mu=form.cleaned_data["tax_per_mu"], now=timezone.now()
            )
            marked = mark_below_threshold(actor=user, town=town, year=year, now=timezone.now())
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已设定门槛，新标记低效企业%(n)s家") % {"n": marked})
    return redirect(f"{reverse('ledgers:enterprise_rectifications')}?year={year}")
