"""What every ledger endpoint shares: paging and the status filter, the scope of readable records (the cases the
user may see), ids and references, finding one record or answering 404, and creating once per Idempotency-Key.

Answers are ``JSONObject``: JSON bodies, checked against each endpoint's response schema by django-ninja."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Schema

from gridgov.data.access.idempotency import create_once
from gridgov.data.access.permissions import visible_cases, visible_enterprises
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput, NotFound
from gridgov.data.org.models import Enterprise, User
from gridgov.data.people.domain import person_view
from gridgov.data.people.models import House, Resident
from gridgov.types import JSONObject
from gridgov.ui.api.api import api, json_answer
from gridgov.ui.api.endpoints import ERRORS, IDEMPOTENCY_HEADER, _case_id, keyed_response
from gridgov.ui.api.files import file_answer
from gridgov.ui.api.named import named
from gridgov.ui.api.present import Row
from gridgov.ui.api.schemas import PageIn, row_id
from gridgov.ui.signed_in import api_user

LEDGERS = "台账"  # the ledger endpoints' tag in the API description
NOT_FOUND = gettext_noop("记录不存在或您无权查看")  # a record missing and one out of the user's reach answer alike
CASE_RELATIONS = ("case__category", "case__major_category", "case__area", "case__village", "case__department")


def reads[F: Callable[..., object]](path: str, answer: object, *, summary: str) -> Callable[[F], F]:
    """A ledger ``GET``: 200 with ``answer`` (a schema, or a list of one), the API's errors documented."""
    return api.get(path, response={200: answer, **ERRORS}, tags=[LEDGERS], summary=summary)


def creates[F: Callable[..., object]](path: str, answer: type[Schema], *, summary: str) -> Callable[[F], F]:
    """A ledger ``POST`` that creates a record once per Idempotency-Key: 201 with it, 200 when a retry replays
    the first answer (``create_once_per_key``)."""
    return api.post(
        path,
        response={201: answer, 200: answer, **ERRORS},
        tags=[LEDGERS],
        summary=summary,
        openapi_extra={"parameters": [IDEMPOTENCY_HEADER]},
    )


def acts[F: Callable[..., object]](path: str, answer: object, *, summary: str) -> Callable[[F], F]:
    """A ledger ``POST`` acting on a record (not creating one): 200 with ``answer``."""
    return api.post(path, response={200: answer, **ERRORS}, tags=[LEDGERS], summary=summary)


def serves_file[F: Callable[..., object]](
    path: str, *, url_name: str, summary: str, description: str, content_type: str
) -> Callable[[F], F]:
    """A ledger ``GET`` answering a stored photo (``files.private_file``), described as ``content_type``'s binary."""
    return api.get(
        path,
        response={200: None, **ERRORS},
        url_name=url_name,
        tags=[LEDGERS],
        summary=summary,
        openapi_extra=file_answer(description, content_type),
    )


def updates[F: Callable[..., object]](path: str, answer: type[Schema], *, summary: str) -> Callable[[F], F]:
    """A register ``PATCH``: the fields given change, the others stay; 200 with the record."""
    return api.patch(path, response={200: answer, **ERRORS}, tags=[LEDGERS], summary=summary)


class StatusIn(PageIn):
    status: str = Field(default="", max_length=16, description="open（未办结）、closed 或任一事件状态")


def visible_ids(user: User) -> QuerySet[Case, int]:
    return visible_cases(user).values_list("pk", flat=True)


def case_records[M: Model](model: type[M], user: User, *related: str) -> QuerySet[M]:
    """A case ledger's records that the user may read (those of the cases they see), with ``related`` and the
    case's relations loaded."""
    return model._default_manager.filter(case__in=visible_ids(user)).select_related(*related, *CASE_RELATIONS)


def by_status[M: Model](qs: QuerySet[M], status: str) -> QuerySet[M]:
    """The ledger pages' status filter: open (not closed or rejected), or one case status."""
    if not status:
        return qs
    if status == "open":
        return qs.exclude(case__status__in=[Status.CLOSED, Status.REJECTED])
    if status in Status.values:
        return qs.filter(case__status=status)
    raise InvalidInput(_("状态“%(s)s”无效") % {"s": status}, field="status")


def where_given[M: Model](qs: QuerySet[M], **lookups: object) -> QuerySet[M]:
    """``qs`` narrowed by each lookup whose value the request gave (not None): a ledger list's optional filters."""
    given = {lookup: value for lookup, value in lookups.items() if value is not None}
    return qs.filter(**given) if given else qs


def ref_of(obj: Model | None) -> JSONObject | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, "name", None) or str(obj)}


def person_ref(resident: Resident) -> JSONObject:
    """A person as a ledger's record names them: id and masked name (``person_view``: 张*)."""
    return {"id": resident.pk, "name": person_view(resident).name}


def house_ref(house: House) -> JSONObject:
    """A house as a record that hangs off it names it (a household, a resident, a visit): id and address."""
    return {"id": house.pk, "address": house.address}


def pk_of(value: int) -> int:
    """A path's id, or NotFound for one no row can have (never a database overflow)."""
    return row_id(value, _(NOT_FOUND))


def one_in[M: Model](qs: QuerySet[M], pk: int, message: str | None = None) -> M:
    """The record ``pk`` among ``qs`` (a ledger's records the user may see), or NotFound with ``message`` (also for
    an id no row can have)."""
    missing = message or _(NOT_FOUND)
    found = qs.filter(pk=row_id(pk, missing)).first()
    if found is None:
        raise NotFound(missing)
    return found


def one_by_case[M: Model](qs: QuerySet[M], case_id: int, message: str) -> M:
    """The record of the case ``case_id`` (the enterprise ledgers' address), or NotFound with ``message``."""
    found = qs.filter(case_id=_case_id(case_id)).first()
    if found is None:
        raise NotFound(message)
    return found


def visible_enterprise(user: User, enterprise_id: int) -> Enterprise:
    """The enterprise a record is entered for, if the user may see it (else InvalidInput on ``enterprise_id``)."""
    return named(
        visible_enterprises(user).filter(pk=enterprise_id).first(),
        _("企业 %(id)s 不存在或您无权查看") % {"id": enterprise_id},
        field="enterprise_id",
    )


def read_by_case[M: Model](records: QuerySet[M], row: Row[M]) -> Callable[[Case], JSONObject]:
    """How a case ledger's record just created answers (the ``shown`` of ``answered_as``): read again by its case
    among ``records`` and shown by ``row`` as the list shows it, as of now."""

    def shown(case: Case) -> JSONObject:
        return row(records.get(case_id=case.pk), now=timezone.now())

    return shown


def answered_as[T](schema: type[Schema], shown: Callable[[T], JSONObject]) -> Callable[[T], JSONObject]:
    """How a record just written answers (the ``render`` of ``create_once_per_key``): ``shown``, in its response
    ``schema``'s JSON."""

    def render(record: T) -> JSONObject:
        return json_answer(schema.model_validate(shown(record)))

    return render


def create_once_per_key[T: Model](
    request: HttpRequest,
    *,
    user: User,
    payload: Schema,
    create: Callable[[], T],
    render: Callable[[T], JSONObject],
) -> HttpResponse:
    """Create once per Idempotency-Key, as ``POST /api/cases`` does: replay → 200 with the first answer. The
    request's ``payload`` (as JSON) is what a retry must repeat."""
    body = payload.model_dump(mode="json")
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return api.create_response(request, render(create()), status=201)
    return keyed_response(request, create_once(user=user, key=key, body=body, create=create, render=render))


def read_back[T: Model](user: User, read: Callable[[User, int], T], row: Row[T]) -> Callable[[T], JSONObject]:
    """How a register entry just written answers (the ``shown`` of ``register_once_per_key``): read again as its
    detail endpoint reads it, in the user's scope, and shown by ``row`` as of now."""

    def shown(record: T) -> JSONObject:
        return row(read(user, record.pk), now=timezone.now())

    return shown


def register_once_per_key[T: Model, D](
    request: HttpRequest,
    *,
    user: User,
    payload: Schema,
    register: Callable[..., T],
    data: D,
    shown: Callable[[T], JSONObject],
    schema: type[Schema],
) -> HttpResponse:
    """``create_once_per_key`` for a record a ledger's domain function writes from its input:
    ``register(actor=user, data=data, now=…)``; its answer is ``shown`` (as the detail endpoint reads it) in
    ``schema``."""

    def create() -> T:
        return register(actor=user, data=data, now=timezone.now())

    return create_once_per_key(request, user=user, payload=payload, create=create, render=answered_as(schema, shown))


@dataclass(frozen=True)
class Ledger[M: Model]:
    """One ledger's records as its endpoints read and answer them: ``records(user)``, those the user may see; one
    of them by id, or 404 with ``missing`` (``gettext_noop``-marked, translated when said; by default the generic
    ``NOT_FOUND``); each shown by ``row`` as of now, and one just written answered as ``row`` shows it read again, in
    ``schema``."""

    records: Callable[[User], QuerySet[M]]
    row: Row[M]
    schema: type[Schema]
    missing: str = NOT_FOUND

    @classmethod
    def of_cases(
        cls, model: type[M], row: Row[M], schema: type[Schema], *related: str, missing: str = NOT_FOUND
    ) -> Ledger[M]:
        """A case ledger: its ``model``'s records of the cases the user sees (``case_records``, with ``related``)."""

        def records(user: User) -> QuerySet[M]:
            return case_records(model, user, *related)

        return cls(records, row, schema, missing)

    def one(self, user: User, pk: int) -> M:
        return one_in(self.records(user), pk, _(self.missing))

    def in_status(self, request: HttpRequest, status: str) -> QuerySet[M]:
        """A case ledger's records the user sees, by the ledger pages' status filter (``by_status``)."""
        return by_status(self.records(api_user(request)), status)

    def by_case(self, request: HttpRequest, case_id: int) -> JSONObject:
        """The record of the case ``case_id`` (an enterprise ledger's address), as its detail endpoint answers."""
        return self.row(one_by_case(self.records(api_user(request)), case_id, _(self.missing)), now=timezone.now())

    def shown(self, user: User, pk: int) -> JSONObject:
        """The record ``pk`` as its detail endpoint answers."""
        return self.row(self.one(user, pk), now=timezone.now())

    def detail(self, request: HttpRequest, pk: int) -> JSONObject:
        return self.shown(api_user(request), pk)

    def answer(self, user: User) -> Callable[[M], JSONObject]:
        """How a record ``user`` has just written answers (the ``render`` of ``create_once_per_key``)."""
        return answered_as(self.schema, read_back(user, self.one, self.row))

    def created(self, request: HttpRequest, *, user: User, payload: Schema, create: Callable[[], M]) -> HttpResponse:
        """``create_once_per_key``, answered by ``answer``."""
        return create_once_per_key(request, user=user, payload=payload, create=create, render=self.answer(user))

    def reported(
        self, request: HttpRequest, *, user: User, payload: Schema, create: Callable[[], Case]
    ) -> HttpResponse:
        """``create_once_per_key`` for a case ledger: ``create`` reports a case with its record; the answer is the
        record read again by its case among the user's (``read_by_case``)."""
        render = answered_as(self.schema, read_by_case(self.records(user), self.row))
        return create_once_per_key(request, user=user, payload=payload, create=create, render=render)

    def registered[D](
        self, request: HttpRequest, *, user: User, payload: Schema, register: Callable[..., M], data: D
    ) -> HttpResponse:
        """``register_once_per_key``: ``register(actor=user, data=data, now=…)`` writes, ``answer`` answers."""
        shown = read_back(user, self.one, self.row)
        return register_once_per_key(
            request, user=user, payload=payload, register=register, data=data, shown=shown, schema=self.schema
        )
