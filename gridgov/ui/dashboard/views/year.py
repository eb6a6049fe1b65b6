"""Year in review: the year's figures as the work report writes them; each number links to the records behind it —
its cases (``year_cases``), a ledger's list filtered to exactly the records counted (payments, cards, day care,
revitalised farmhouses), or the year review's own list of the persons and households behind a register figure
(``year_records``). Every list reads through the permission module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.access.permissions import visible_cases
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.errors import NotFound
from gridgov.data.metrics.indicators import Period
from gridgov.data.org.models import Area, User
from gridgov.data.people.domain import person_view
from gridgov.data.people.figures import managed_memberships
from gridgov.data.people.models import GroupMembership, Household, Resident
from gridgov.data.reports.domain.sentences import Piece
from gridgov.data.reports.domain.year_review import YearReview, figure_cases, year_outline, year_review
from gridgov.data.visits.figures import hardship_visits
from gridgov.data.visits.models import Visit
from gridgov.data.writers import write_docx
from gridgov.ui.dashboard.common import town_wide
from gridgov.ui.downloads import DOCX, download
from gridgov.ui.params import year_shown
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web import menu

PAGE_SIZE = 50


def _as_of(request: HttpRequest) -> datetime:
    raw = request.GET.get("as_of", "")
    try:
        parsed = parse_datetime(raw) if raw else None
    except ValueError:
        parsed = None
    return parsed if parsed is not None and timezone.is_aware(parsed) else timezone.now()


# The ledger lists that show exactly the records behind a figure: (source, key) → URL name, filters (and the year)
# and the header menu entry whose permission opens that page (a user it does not open sees the number unlinked).
# Their lists show the records as they are now: the year review's ``as_of`` is "now" unless asked for.
LEDGER_LISTS: dict[tuple[str, str], tuple[str, dict[str, str], str]] = {
    ("inspections", "inspection_bulletins"): ("ledgers:rounds", {}, "rounds"),  # each round's ranking and bulletin
    ("rentals", "farmhouses_revitalised"): ("ledgers:farmhouses", {"revitalised": "1"}, "rentals"),
    ("rentals", "farmhouses_added_income"): ("ledgers:farmhouses", {"revitalised": "1"}, "rentals"),
    ("assistance", "assistance_living"): ("ledgers:assistance_payments", {"kind": "group_living"}, "assistance"),
    ("assistance", "assistance_condolence"): (
        "ledgers:assistance_payments",
        {"kind": PaymentKind.CONDOLENCE},
        "assistance",
    ),
    ("assistance", "insurance_subsidies"): ("ledgers:assistance_payments", {"kind": "group_insurance"}, "assistance"),
    ("assistance", "veteran_cards_issued"): ("ledgers:assistance_cards", {"status": "issued"}, "assistance"),
    ("assistance", "day_care_persons"): ("ledgers:assistance_day_care", {}, "assistance"),
    ("enterprise_years", "enterprises_new_above_scale"): ("ledgers:enterprise_years", {"new": "1"}, "enterprise_years"),
    ("enterprise_years", "enterprises_above_scale"): ("ledgers:enterprise_years", {"above": "1"}, "enterprise_years"),
    ("enterprise_years", "key_investment"): ("ledgers:enterprise_years", {"key": "1"}, "enterprise_years"),
    ("enterprise_years", "low_efficiency"): ("ledgers:enterprise_years", {"low": "1"}, "enterprise_years"),
    ("enterprise_years", "low_efficiency_rectified"): (
        "ledgers:enterprise_years",
        {"rectified": "done"},
        "enterprise_years",
    ),
    ("enterprise_years", "low_efficiency_open"): (
        "ledgers:enterprise_years",
        {"rectified": "open"},
        "enterprise_years",
    ),
    # investment attraction (issue 16): the leads signed in the year, by flag or industry; the leads whose
    # enterprise was registered in the year; the year's arrivals by month
    ("investment", "leads_introduced"): ("ledgers:investment_leads", {}, "investment"),
    ("investment", "leads_billion"): ("ledgers:investment_leads", {"flag": "billion"}, "investment"),
    ("investment", "leads_major"): ("ledgers:investment_leads", {"flag": "major"}, "investment"),
    ("investment", "leads_enclave"): ("ledgers:investment_leads", {"flag": "enclave"}, "investment"),
    ("investment", "leads_enclave_amount"): ("ledgers:investment_leads", {"flag": "enclave"}, "investment"),
    ("investment", "introduced_petrochemical"): (
        "ledgers:investment_leads",
        {"industry": "petrochemical"},
        "investment",
    ),
    ("investment", "enterprises_added"): ("ledgers:investment_leads", {"by": "enterprise"}, "investment"),
    ("investment", "funds_arrived"): ("ledgers:investment_arrivals", {}, "investment"),
    # key projects (issue 16): the year's largest group, the finished projects ahead of schedule, the finished land
    # consolidation counted in 亩, the 乡村蝶变 projects
    ("projects", "group_projects"): ("ledgers:projects", {"group": "largest"}, "projects"),
    ("projects", "projects_ahead"): ("ledgers:projects", {"schedule": "ahead", "status": "finished"}, "projects"),
    ("projects", "land_mu"): ("ledgers:projects", {"type": "land", "status": "finished", "unit": "亩"}, "projects"),
    ("projects", "renewal_projects"): ("ledgers:projects", {"type": "village_renewal"}, "projects"),
    ("projects", "renewal_investment"): ("ledgers:projects", {"type": "village_renewal"}, "projects"),
    # The villages' collective economy: each figure links to the year's village table (the growth, the villages
    # over the threshold and those with income are read from its columns).
    **{
        ("collective", key): ("ledgers:collective", {}, "collective")
        for key in (
            "collective_income",
            "collective_operating",
            "collective_operating_growth",
            "villages_operating_over",
            "villages_with_income",
        )
    },
    ("collective_supports", "village_supports"): ("ledgers:collective_supports", {}, "collective"),
    ("collective_supports", "village_support_amount"): ("ledgers:collective_supports", {}, "collective"),
    ("collective_supports", "villages_paired"): ("ledgers:collective_supports", {"kind": "pairing"}, "collective"),
    ("collective_supports", "village_workshops"): ("ledgers:collective_supports", {"kind": "workshop"}, "collective"),
}


def _href(piece: Piece, review: YearReview, user: User) -> str:
    """Where the number of ``piece`` links to ("" for text, for a number without records behind it, and for a
    ledger list the user may not open)."""
    listed = LEDGER_LISTS.get((piece.source, piece.key))
    if listed is not None:
        name, filters, entry = listed
        if not menu.allows(user, entry):
            return ""
        return f"{reverse(name)}?{urlencode({'year': review.year, **filters})}"
    if not piece.linked:
        return ""
    if not piece.records:
        query = urlencode({"town": review.town.pk, "year": review.year, "as_of": review.as_of.isoformat()})
        return f"{reverse('dashboard:year_cases', args=[piece.source, piece.key])}?{query}"
    if (piece.source, piece.key) in RECORD_LISTS:
        query = urlencode({"town": review.town.pk, "year": review.year, "as_of": review.as_of.isoformat()})
        return f"{reverse('dashboard:year_records', args=[piece.source, piece.key])}?{query}"
    return ""


@login_required
def year(request: HttpRequest) -> HttpResponse:
    viewer, town = town_wide(request)
    user = signed_in_user(request)
    chosen = year_shown(request)
    review = year_review(town=town, year=chosen, as_of=_as_of(request))
    this_year = timezone.localdate().year
    return render(
        request,
        "dashboard/year.html",
        {
            "viewer": viewer,
            "town": town,
            "review": review,
            "sentences": [(s, [(p, _href(p, review, user)) for p in s.pieces]) for s in review.sentences],
            "years": list(range(this_year, this_year - 5, -1)),
            "as_of_param": review.as_of.isoformat(),
        },
    )


@login_required
def year_docx(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    review = year_review(town=town, year=year_shown(request), as_of=_as_of(request))
    return download(write_docx(year_outline(review)), f"{review.title}.docx", DOCX, plain_name="year.docx")


@login_required
def year_cases(request: HttpRequest, source: str, key: str) -> HttpResponse:
    viewer, town = town_wide(request)
    chosen = year_shown(request)
    as_of = _as_of(request)
    try:
        behind = figure_cases(town=town, year=chosen, source=source, key=key, as_of=as_of)
    except NotFound as error:
        raise Http404(error.message) from None
    qs = (
        visible_cases(signed_in_user(request), behind)
        .select_related("category", "village", "department")
        .order_by("-registered_at", "-reported_at", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/year_cases.html",
        {
            "viewer": viewer,
            "town": town,
            "year": chosen,
            "source": source,
            "key": key,
            "page": page,
            "base_query": f"town={town.pk}&year={chosen}&as_of={quote(as_of.isoformat())}",
        },
    )


# ---------------------------------------------------------------------------------------------------
# The persons and households behind the register's figures (no ledger lists them as the figure counts)


@dataclass(frozen=True)
class RecordRow:
    """One person or household behind a number: masked, with what the figure counted of them."""

    name: str  # the person's masked name, or the household's number
    village: str
    address: str
    detail: str  # the key groups joined in the year / how many visits
    day: date | None  # joined on / last visited on


def _managed(user: User, town: Area, period: Period, as_of: datetime) -> QuerySet[Resident]:
    """The persons brought under management that ``user`` may see, with the memberships they may see (a sensitive
    group's members only for its department and the leaders)."""
    memberships = permissions.visible_memberships(
        user, managed_memberships(town=town, start=period.start, end=period.end, as_of=as_of)
    )
    return (
        permissions.visible_residents(user)
        .filter(pk__in=memberships.values("resident_id"))
        .select_related("household__house__village")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=memberships.select_related("group").order_by("since", "id"), to_attr="joined"
            )
        )
        .order_by("household__house__village__path", "household__house__address", "id")
    )


def _managed_row(resident: Resident) -> RecordRow:
    joined: list[GroupMembership] = getattr(resident, "joined", [])
    house = resident.household.house
    return RecordRow(
        person_view(resident).name,
        house.village.name,
        house.address,
        "、".join(m.group.name for m in joined),
        joined[0].since if joined else None,
    )


def _hardship_visits(user: User, town: Area, period: Period, as_of: datetime) -> QuerySet[Visit]:
    return permissions.visible_visits(user, hardship_visits(town=town, start=period.start, end=period.end, as_of=as_of))


def _hardship(user: User, town: Area, period: Period, as_of: datetime) -> QuerySet[Household]:
    """The households visited in hardship that ``user`` may see (through the visits they may see)."""
    visits = _hardship_visits(user, town, period, as_of)
    return (
        permissions.visible_households(user)
        .filter(pk__in=visits.values("resident__household_id"))
        .select_related("house__village")
        .order_by("house__village__path", "house__address", "id")
    )


def _hardship_rows(visits: QuerySet[Visit], households: list[Household]) -> list[RecordRow]:
    """The page's households with the visits counted and the last of them (one query)."""
    found: dict[int, tuple[int, datetime]] = {
        row["resident__household_id"]: (row["n"], row["last"])
        for row in visits.filter(resident__household__in=households)
        .order_by()
        .values("resident__household_id")
        .annotate(n=Count("id"), last=Max("visited_at"))
    }
    rows = []
    for household in households:
        n, last = found.get(household.pk, (0, None))
        rows.append(
            RecordRow(
                str(household),
                household.house.village.name,
                household.house.address,
                str(n),
                timezone.localtime(last).date() if last else None,
            )
        )
    return rows


RECORD_LISTS = {
    ("people", "managed_persons"): gettext_lazy("纳管人员"),
    ("visits", "hardship_households_visited"): gettext_lazy("走访的困难对象户"),
}


@login_required
def year_records(request: HttpRequest, source: str, key: str) -> HttpResponse:
    """The persons or households behind a register figure of the year in review, those the user may see."""
    viewer, town = town_wide(request)
    title = RECORD_LISTS.get((source, key))
    if title is None:
        raise Http404(_("该数字没有对应的记录清单"))
    user = signed_in_user(request)
    chosen = year_shown(request)
    as_of = _as_of(request)
    period = Period.year(chosen)
    page: Page[Resident] | Page[Household]
    if source == "people":
        persons = Paginator(_managed(user, town, period, as_of), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [_managed_row(r) for r in persons.object_list]
        page, columns = persons, (_("重点人员类别"), _("纳管日期"))
    else:
        households = Paginator(_hardship(user, town, period, as_of), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = _hardship_rows(_hardship_visits(user, town, period, as_of), list(households.object_list))
        page, columns = households, (_("走访次数"), _("最近走访"))
    return render(
        request,
        "dashboard/year_records.html",
        {
            "viewer": viewer,
            "town": town,
            "year": chosen,
            "title": title,
            "page": page,
            "rows": rows,
            "columns": columns,
            "base_query": urlencode({"town": town.pk, "year": chosen, "as_of": as_of.isoformat()}),
        },
    )
