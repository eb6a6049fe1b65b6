"""The ledgers' figures pages: hazards and services per book, and the civic ledgers' figures."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.access import permissions
from gridgov.data.cases.enums import Kind
from gridgov.data.cases.models import Case
from gridgov.data.disputes import figures as dispute_figures
from gridgov.data.enterprises.figures import figures_by_book, year_figures
from gridgov.data.enterprises.models import Hazard
from gridgov.data.inspections import figures as inspection_figures
from gridgov.data.problemlists import figures as problem_figures
from gridgov.data.rentals import figures as rental_figures
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.params import year_shown
from gridgov.ui.signed_in import signed_in_user


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Figures per book (scoped: an enterprise user sees its own), and the services' figures for staff."""
    user = signed_in_user(request)
    year = year_shown(request)
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    now = timezone.now()
    visible = permissions.visible_cases(user, Case.objects.filter(kind=Kind.HAZARD)).values("pk")
    hazards = Hazard.objects.filter(case_id__in=visible, found_on__gte=start, found_on__lt=end)
    town = common.staff_town(user)
    services = year_figures(town=town, start=start, end=end, as_of=now) if town else None
    return render(
        request,
        "ledgers/enterprise/figures.html",
        {"year": year, "books": figures_by_book(hazards=hazards, as_of=now), "services": services},
    )


@login_required
def civic_figures(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.civic_keeper_town(user, _("只有镇指挥室、领导或管理员可以查看全镇数据"))
    year = year_shown(request)
    as_of: datetime = timezone.now()
    groups = []
    for title, module in (
        (_("督查"), inspection_figures),
        (_("问题清单"), problem_figures),
        (_("信访与矛盾纠纷"), dispute_figures),
        (_("群租房与闲置农房"), rental_figures),
    ):
        figures = module.year_figures(town=town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=as_of)
        groups.append((title, [(key, f.label, common.figure_text(f.value, f.unit)) for key, f in figures.items()]))
    return render(request, "ledgers/civic/figures.html", {"groups": groups, "year": year, "as_of": as_of})
