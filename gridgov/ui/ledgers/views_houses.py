"""The people register's houses and households (实有房屋、户): the list with its Excel export, the house form, the
house page with its households, and the household page with its residents (masked) and the resident form.

Who sees and writes what is ``access.permissions``'s answer (``visible_houses``, ``writable_houses``…); the
rules of a house or a resident are the domain's (``people.domain``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.people.domain import (
    HouseholdInput,
    HouseInput,
    PersonView,
    ResidentInput,
    person_view,
    register_house,
    register_household,
    register_resident,
    update_house,
    update_household,
)
from gridgov.data.people.domain.common import check_writes_house, check_writes_household
from gridgov.data.people.enums import HouseUse, Relation, ResidentKind, Sex
from gridgov.data.people.models import House, Household, Resident
from gridgov.data.sheets.jobs import home_town
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_people import HouseForm, HouseholdForm, ResidentForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 50


def people_town(user: User) -> Area:
    """The town whose register ``user`` works on: the town's staff who see residents (403 for others)."""
    if not permissions.may_see_people(user):
        raise PermissionDenied(_("实有人口、实有房屋只对本镇工作人员开放"))
    return common.town_or_404(home_town(user))


def opened[R](request: HttpRequest, find: Callable[[User, int], R], record_id: int) -> tuple[User, R]:
    """The signed-in user, if they work on the people register (403 else), and the record of it they open: what
    ``find`` gives for ``record_id`` (404 if they may not see it)."""
    user = signed_in_user(request)
    people_town(user)
    return user, find(user, record_id)


def _writes_house(user: User, house: House) -> bool:
    return permissions.writable_houses(user, House.objects.filter(pk=house.pk)).exists()


def _writes_household(user: User, household: Household) -> bool:
    return permissions.writable_households(user, Household.objects.filter(pk=household.pk)).exists()


def _grid_label(grid: Area) -> str:
    return f"{grid.parent.name if grid.parent else ''} / {grid.name}"


def grid_choices(town: Area) -> list[tuple[int, str]]:
    return [
        (a.pk, _grid_label(a))
        for a in Area.objects.filter(town=town, level=AreaLevel.GRID).select_related("parent").order_by("path")
    ]


def _area(town: Area, value: str | None, level: AreaLevel) -> Area | None:
    return Area.objects.filter(town=town, level=level, pk=value).first() if value and value.isdigit() else None


# ---------------------------------------------------------------------------------------------------
# The houses list


def _houses(user: User, town: Area, params: dict[str, str]) -> QuerySet[House]:
    qs = permissions.visible_houses(user).filter(town=town).select_related("village", "grid")
    if params["village"].isdigit():
        qs = qs.filter(village_id=int(params["village"]))
    if params["grid"].isdigit():
        qs = qs.filter(grid_id=int(params["grid"]))
    if params["use"] in HouseUse.values:
        qs = qs.filter(use=params["use"])
    return qs.order_by("village__path", "address", "id")


def _seen(user: User) -> tuple[QuerySet[Household], QuerySet[Resident]]:
    """What the reader sees of each house (a handler: their groups' members and their households)."""
    households = permissions.visible_households(user)
    residents = permissions.visible_residents(user).filter(moved_out_on__isnull=True, erased_at__isnull=True)
    return households, residents


def _counted(user: User, houses: list[House]) -> list[House]:
    """The houses of one page with the households and residents the reader sees in each, counted for those houses
    only (two grouped queries, whatever the size of the register)."""
    households, residents = _seen(user)
    ids = [h.pk for h in houses]
    in_households = dict(
        households.filter(house_id__in=ids).values_list("house_id").annotate(n=Count("pk")).values_list("house_id", "n")
    )
    in_residents = dict(
        residents.filter(household__house_id__in=ids)
        .values_list("household__house_id")
        .annotate(n=Count("pk"))
        .values_list("household__house_id", "n")
    )
    for house in houses:
        house.household_count = in_households.get(house.pk, 0)  # type: ignore[attr-defined]  # shown by the row
        house.resident_count = in_residents.get(house.pk, 0)  # type: ignore[attr-defined]  # shown by the row
    return houses


HOUSES = LedgerList(town_of=people_town, filters=("village", "grid", "use"))


@login_required
def houses(request: HttpRequest) -> HttpResponse:
    shown = HOUSES.read(request)
    context = common.page_context(request, _houses(shown.user, shown.town, shown.params), PAGE_SIZE)
    context["page"].object_list = _counted(shown.user, list(context["page"].object_list))
    context = {
        **context,
        "params": shown.params,
        "villages": common.village_choices(shown.town),
        "grids": grid_choices(shown.town),
        "uses": HouseUse.choices,
        "may_write": permissions.may_write_people(shown.user),
    }
    return common.render_list(request, "ledgers/people/houses.html", context, rows="rows")


type HouseLine = tuple[str, str, str | None, str, int, int, int, str]
HOUSE_COLUMNS = ("address", "village__name", "grid__name", "use", "rooms", "household_count", "resident_count", "note")


def _exported(user: User, town: Area, params: dict[str, str]) -> Iterable[HouseLine]:
    """The listed houses, each with the households and residents the reader sees in it."""
    households, residents = _seen(user)
    listed = _houses(user, town, params).annotate(
        household_count=Count("households", filter=Q(households__in=households.values("pk")), distinct=True),
        resident_count=Count(
            "households__residents", filter=Q(households__residents__in=residents.values("pk")), distinct=True
        ),
    )
    return listed.values_list(*HOUSE_COLUMNS)


@sheet(
    gettext_lazy("实有房屋"),
    [
        gettext_lazy("标准地址"),
        gettext_lazy("村/社区"),
        gettext_lazy("网格"),
        gettext_lazy("用途"),
        gettext_lazy("间数"),
        gettext_lazy("户数"),
        gettext_lazy("人数"),
        gettext_lazy("备注"),
    ],
)
def houses_sheet(line: HouseLine) -> list[CellValue]:
    address, village, grid, use, rooms, households, people, note = line
    return [address, village, grid or "", HouseUse(use).label, rooms, households, people, note]


houses_export = export_view(HOUSES, _exported, houses_sheet)


# ---------------------------------------------------------------------------------------------------
# The house form


def _places(user: User, town: Area) -> tuple[list[Area], list[Area]]:
    """The villages and grids ``user`` may register a house in (``permissions.may_write_area``): the whole town for
    the command room, their village and its grids for village staff, their grid and its village for a grid worker —
    so the form offers no place the save would refuse."""
    areas = Area.objects.filter(town=town, level__in=[AreaLevel.VILLAGE, AreaLevel.GRID]).select_related("parent")
    grids = [a for a in areas.order_by("path") if a.level == AreaLevel.GRID and permissions.may_write_area(user, a)]
    of_grids = {g.parent_id for g in grids}
    villages = [
        a
        for a in areas.filter(level=AreaLevel.VILLAGE).order_by("sort_order", "code")
        if a.pk in of_grids or permissions.may_write_area(user, a)
    ]
    return villages, grids


def _house_form(request: HttpRequest, user: User, town: Area, initial: dict[str, object] | None = None) -> HouseForm:
    """The house form with the places ``user`` may register in; for a new house, a single village is chosen
    already, and so is a grid worker's grid (they register in their grid, not in the whole village)."""
    villages, grids = _places(user, town)
    if initial is None:
        initial = {"village": villages[0].pk} if len(villages) == 1 else {}
        if len(grids) == 1 and not any(permissions.may_write_area(user, v) for v in villages):
            initial["grid"] = grids[0].pk
    return HouseForm(
        request.POST or None,
        initial=initial,
        villages=[(v.pk, v.name) for v in villages],
        grids=[(g.pk, _grid_label(g)) for g in grids],
    )


def _house_input(town: Area, form: HouseForm) -> HouseInput:
    data = form.cleaned_data
    village = _area(town, data["village"], AreaLevel.VILLAGE)
    if village is None:
        raise Http404(_("村/社区不存在"))
    return HouseInput(
        town=town,
        village=village,
        grid=_area(town, data["grid"], AreaLevel.GRID),
        address=data["address"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        use=HouseUse(data["use"]),
        rooms=data["rooms"],
        note=data["note"],
    )


@login_required
def house_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = people_town(user)
    if not permissions.may_write_people(user):
        raise PermissionDenied(_("您的角色不能登记房屋"))
    form = _house_form(request, user, town)
    if request.method == "POST" and form.is_valid():
        with common.FormRefusal(form):
            house = register_house(actor=user, data=_house_input(town, form), now=timezone.now())
            return redirect("ledgers:house", house.pk)
    return render(request, "ledgers/people/house_form.html", {"form": form, "house": None})


def house_for(user: User, house_id: int) -> House:
    return common.found_or_404(permissions.house_for, user, house_id)


@login_required
def house_edit(request: HttpRequest, house_id: int) -> HttpResponse:
    user = signed_in_user(request)
    town = people_town(user)
    house = house_for(user, house_id)
    common.allowed_or_403(check_writes_house, user, house)
    initial: dict[str, object] = {
        "village": house.village_id,
        "grid": house.grid_id or "",
        "address": house.address,
        "use": house.use,
        "rooms": house.rooms,
        "latitude": house.latitude,
        "longitude": house.longitude,
        "note": house.note,
    }
    form = _house_form(request, user, town, initial)
    if request.method == "POST" and form.is_valid():
        with common.FormRefusal(form):
            update_house(actor=user, house=house, data=_house_input(town, form), now=timezone.now())
            return redirect("ledgers:house", house.pk)
    return render(request, "ledgers/people/house_form.html", {"form": form, "house": house})


# ---------------------------------------------------------------------------------------------------
# The house page and its households


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    household: Household
    people: list[PersonView]  # masked, the head first


def _head_first(residents: list[Resident]) -> list[PersonView]:
    ordered = sorted(residents, key=lambda r: (r.relation != Relation.HEAD, r.moved_out_on is not None, r.pk))
    return [person_view(r) for r in ordered]


def _visible_residents(user: User) -> QuerySet[Resident]:
    return permissions.visible_residents(user).order_by("id")


@login_required
def house_detail(request: HttpRequest, house_id: int) -> HttpResponse:
    user, house = opened(request, house_for, house_id)
    writes = _writes_house(user, house)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST":
        if not writes:
            common.allowed_or_403(check_writes_house, user, house)  # refused: the domain's own message
        if form.is_valid():
            data = HouseholdInput(house=house, number=form.cleaned_data["number"], note=form.cleaned_data["note"])
            with common.FormRefusal(form):
                household = register_household(actor=user, data=data, now=timezone.now())
                return redirect("ledgers:household", household.pk)
    households = permissions.visible_households(user, Household.objects.filter(house=house)).prefetch_related(
        Prefetch("residents", queryset=_visible_residents(user), to_attr="seen")
    )
    rows = [HouseholdRow(h, _head_first(h.seen)) for h in households.order_by("id")]
    return render(
        request,
        "ledgers/people/house.html",
        {"house": house, "rows": rows, "form": form, "writes": writes},
    )


def household_for(user: User, household_id: int) -> Household:
    return common.found_or_404(permissions.household_for, user, household_id)


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    """A household's residents (head first, masked) and, for those who write it, the resident form."""
    user, household = opened(request, household_for, household_id)
    writes = _writes_household(user, household)
    form = ResidentForm(request.POST or None, initial={"kind": ResidentKind.REGISTERED})
    if request.method == "POST":
        if not writes:
            common.allowed_or_403(check_writes_household, user, household)  # refused: the domain's own message
        if form.is_valid():
            data = form.cleaned_data
            given = ResidentInput(
                household=household,
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                kind=ResidentKind(data["kind"]),
                relation=Relation(data["relation"]),
                birth_date=data["birth_date"],
                sex=Sex(data["sex"] or Sex.UNKNOWN),
            )
            with common.FormRefusal(form):
                resident = register_resident(actor=user, data=given, now=timezone.now())
                return redirect("ledgers:resident", resident.pk)
    people = _head_first(list(_visible_residents(user).filter(household=household)))
    return render(
        request,
        "ledgers/people/household.html",
        {"household": household, "house": household.house, "people": people, "form": form, "writes": writes},
    )


@login_required
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    """修改户: its number (户号) and note."""
    user, household = opened(request, household_for, household_id)
    common.allowed_or_403(check_writes_household, user, household)
    form = HouseholdForm(request.POST or None, initial={"number": household.number, "note": household.note})
    if request.method == "POST" and form.is_valid():
        data = HouseholdInput(house=household.house, number=form.cleaned_data["number"], note=form.cleaned_data["note"])
        with common.FormRefusal(form):
            update_household(actor=user, household=household, data=data, now=timezone.now())
            return redirect("ledgers:household", household.pk)
    return render(request, "ledgers/people/household_edit.html", {"household": household, "form": form})
