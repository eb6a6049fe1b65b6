"""The people register (实有房屋、户) through the API: houses and households (residents: ``residents``), read in
the user's scope and written through ``people.domain``. Persons are always masked (``person_view``): the API has no
unmasking. A record out of scope answers 404, like every ledger."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import house_for, household_for, visible_households, visible_houses
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.people.domain import (
    HouseholdInput,
    HouseInput,
    person_view,
    register_house,
    register_household,
    update_house,
    update_household,
)
from gridgov.data.people.enums import HouseUse, Relation
from gridgov.data.people.models import House, Household, Resident
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import (
    Ledger,
    creates,
    house_ref,
    pk_of,
    read_back,
    reads,
    ref_of,
    register_once_per_key,
    updates,
    where_given,
)
from gridgov.ui.api.named import named, named_by
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, NOTE, PageIn, PageOut, RefOut, RowId, TextIn
from gridgov.ui.signed_in import api_user

LATITUDE = Field(default=None, ge=-90, le=90, max_digits=9, decimal_places=6)
LONGITUDE = Field(default=None, ge=-180, le=180, max_digits=9, decimal_places=6)


# ---------------------------------------------------------------------------------------------------
# Houses


class HouseOut(Schema):
    id: int
    village: RefOut
    grid: RefOut | None
    address: str
    latitude: float | None
    longitude: float | None
    use: HouseUse
    use_label: str
    rooms: int
    note: str
    updated_at: datetime


class HousePageOut(PageOut):
    results: list[HouseOut]


class HouseFilterIn(PageIn):
    village: RowId | None = Field(default=None, description="村/社区 id")
    grid: RowId | None = Field(default=None, description="网格 id")
    use: HouseUse | None = None


class HouseIn(TextIn):
    village_id: RowId = Field(description="村/社区 id")
    grid_id: int | None = ID
    address: str = Field(min_length=1, max_length=200, description="标准地址（本镇唯一）")
    latitude: Decimal | None = LATITUDE
    longitude: Decimal | None = LONGITUDE
    use: HouseUse = HouseUse.OWN
    rooms: int = Field(default=1, ge=1, le=9999)
    note: str = NOTE


class HousePatchIn(TextIn):
    village_id: int | None = ID
    grid_id: int | None = ID
    address: str | None = Field(default=None, min_length=1, max_length=200)
    latitude: Decimal | None = LATITUDE
    longitude: Decimal | None = LONGITUDE
    use: HouseUse | None = None
    rooms: int | None = Field(default=None, ge=1, le=9999)
    note: str | None = Field(default=None, max_length=2000)


def _house(h: House, *, now: datetime) -> JSONObject:
    return {
        "id": h.pk,
        "village": ref_of(h.village),
        "grid": ref_of(h.grid),
        "address": h.address,
        "latitude": None if h.latitude is None else float(h.latitude),
        "longitude": None if h.longitude is None else float(h.longitude),
        "use": h.use,
        "use_label": str(HouseUse(h.use).label),
        "rooms": h.rooms,
        "note": h.note,
        "updated_at": h.updated_at,
    }


def _houses(user: User) -> QuerySet[House]:
    return visible_houses(user, House.objects.select_related("village", "grid"))


def _area(pk: int | None, level: AreaLevel, field: str) -> Area | None:
    """The village or grid a body names (reference data; whether the user writes there is the domain's check)."""
    if pk is None:
        return None
    label = _("村/社区") if level == AreaLevel.VILLAGE else _("网格")
    found = Area.objects.filter(pk=pk, level=level).first()
    return named(found, _("%(label)s %(id)s 不存在") % {"label": label, "id": pk}, field=field)


def _town_of(village: Area) -> Area:
    town = Area.objects.filter(pk=village.town_id or 0, level=AreaLevel.TOWN).first()
    return named(town, _("“%(v)s”不属于任何乡镇") % {"v": village.name}, field="village_id")


@reads("/houses", HousePageOut, summary="实有房屋（按村、网格、用途筛选）")
def list_houses(request: HttpRequest, filters: Query[HouseFilterIn]) -> JSONObject:
    qs = where_given(_houses(api_user(request)), village_id=filters.village, grid_id=filters.grid, use=filters.use)
    return paged(qs.order_by("village_id", "address", "id"), filters, _house)


@reads("/houses/{house_id}", HouseOut, summary="房屋详情")
def get_house(request: HttpRequest, house_id: int) -> JSONObject:
    return _house(house_for(api_user(request), pk_of(house_id)), now=timezone.now())


@creates("/houses", HouseOut, summary="登记房屋（镇指挥室、村社区、网格员在其范围内；支持 Idempotency-Key）")
def create_house(request: HttpRequest, payload: HouseIn) -> HttpResponse:
    user = api_user(request)
    village = _area(payload.village_id, AreaLevel.VILLAGE, "village_id")
    assert village is not None
    data = HouseInput(
        town=_town_of(village),
        village=village,
        grid=_area(payload.grid_id, AreaLevel.GRID, "grid_id"),
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        use=payload.use,
        rooms=payload.rooms,
        note=payload.note,
    )

    shown = read_back(user, house_for, _house)

    return register_once_per_key(
        request, user=user, payload=payload, register=register_house, data=data, shown=shown, schema=HouseOut
    )


@updates("/houses/{house_id}", HouseOut, summary="修改房屋（只改给出的字段）")
def patch_house(request: HttpRequest, house_id: int, payload: HousePatchIn) -> JSONObject:
    user = api_user(request)
    house = house_for(user, pk_of(house_id))
    given = payload.model_fields_set
    village = _area(payload.village_id, AreaLevel.VILLAGE, "village_id") or house.village
    grid = _area(payload.grid_id, AreaLevel.GRID, "grid_id") if "grid_id" in given else house.grid
    data = HouseInput(
        town=_town_of(village),
        village=village,
        grid=grid,
        address=house.address if payload.address is None else payload.address,
        latitude=payload.latitude if "latitude" in given else house.latitude,
        longitude=payload.longitude if "longitude" in given else house.longitude,
        use=HouseUse(house.use) if payload.use is None else payload.use,
        rooms=house.rooms if payload.rooms is None else payload.rooms,
        note=house.note if payload.note is None else payload.note,
    )
    updated = update_house(actor=user, house=house, data=data, now=timezone.now())
    return _house(house_for(user, updated.pk), now=timezone.now())


# ---------------------------------------------------------------------------------------------------
# Households


class HouseRefOut(Schema):
    id: int
    address: str


class HouseholdOut(Schema):
    id: int
    house: HouseRefOut
    number: str
    note: str
    head: str = Field(description="户主姓名（已脱敏）；无户主为空")
    updated_at: datetime


class HouseholdPageOut(PageOut):
    results: list[HouseholdOut]


class HouseholdFilterIn(PageIn):
    house: RowId | None = Field(default=None, description="房屋 id")


class HouseholdIn(TextIn):
    house_id: RowId
    number: str = Field(default="", max_length=32, description="户号（本镇唯一，可空）")
    note: str = NOTE


class HouseholdPatchIn(TextIn):
    house_id: int | None = ID
    number: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, max_length=2000)


HEADS = Prefetch(
    "residents",
    queryset=Resident.objects.filter(relation=Relation.HEAD, moved_out_on__isnull=True).order_by("id"),
    to_attr="heads",
)


def _household(h: Household, *, now: datetime) -> JSONObject:
    heads: list[Resident] = getattr(h, "heads", [])
    return {
        "id": h.pk,
        "house": house_ref(h.house),
        "number": h.number,
        "note": h.note,
        "head": person_view(heads[0]).name if heads else "",
        "updated_at": h.updated_at,
    }


def _households(user: User) -> QuerySet[Household]:
    return visible_households(user, Household.objects.select_related("house").prefetch_related(HEADS))


HOUSEHOLDS = Ledger(_households, _household, HouseholdOut)


def _house_named(user: User, pk: int, field: str) -> House:
    """A house a body names, if the user sees it (else InvalidInput on ``field``: its existence is not told)."""
    return named_by(lambda: house_for(user, pk), _("房屋 %(id)s 不存在或您无权查看") % {"id": pk}, field=field)


@reads("/households", HouseholdPageOut, summary="户（户主姓名已脱敏）")
def list_households(request: HttpRequest, filters: Query[HouseholdFilterIn]) -> JSONObject:
    qs = where_given(_households(api_user(request)), house_id=filters.house)
    return paged(qs.order_by("house_id", "id"), filters, _household)


@reads("/households/{household_id}", HouseholdOut, summary="户详情")
def get_household(request: HttpRequest, household_id: int) -> JSONObject:
    return HOUSEHOLDS.detail(request, household_id)


@creates("/households", HouseholdOut, summary="登记户（支持 Idempotency-Key）")
def create_household(request: HttpRequest, payload: HouseholdIn) -> HttpResponse:
    user = api_user(request)
    data = HouseholdInput(
        house=_house_named(user, payload.house_id, "house_id"), number=payload.number, note=payload.note
    )

    return HOUSEHOLDS.registered(request, user=user, payload=payload, register=register_household, data=data)


@updates("/households/{household_id}", HouseholdOut, summary="修改户（户号、备注或迁到另一房屋）")
def patch_household(request: HttpRequest, household_id: int, payload: HouseholdPatchIn) -> JSONObject:
    user = api_user(request)
    household = household_for(user, pk_of(household_id))
    house = household.house if payload.house_id is None else _house_named(user, payload.house_id, "house_id")
    data = HouseholdInput(
        house=house,
        number=household.number if payload.number is None else payload.number,
        note=household.note if payload.note is None else payload.note,
    )
    update_household(actor=user, household=household, data=data, now=timezone.now())
    return HOUSEHOLDS.shown(user, household.pk)
