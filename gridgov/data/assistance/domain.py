"""Social assistance: record a payment to a household, apply for and issue a veteran's preferential card
(优待证), record a day of day care (日间照料).

Each function checks its input and raises ``InvalidInput`` in Chinese naming the field; nothing is half-written.
Who may record what is ``assistance.scope``'s rule (the pages ask it through the permission module; the functions
here enforce it: ``NotAllowed``). A sheet import checks each row with the same ``check_payment`` / ``check_card``
and writes the rows together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.amounts import parse_amount
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.models import DayCareAttendance, Payment, VeteranCard
from gridgov.data.assistance.scope import may_record_assistance
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.idcard import normalise
from gridgov.data.org.models import Area, Department, User
from gridgov.data.people.models import Household, Resident
from gridgov.data.privacy import blind_index
from gridgov.data.worktime.days import check_day

MAX_AMOUNT = Decimal("9999999999.99")


def resident_by_id(*, town: Area, id_number: str) -> Resident | None:
    """The register's resident of ``town`` with this ID number, found by its keyed digest (never decrypted)."""
    number = normalise(id_number)
    if not number:
        return None
    return Resident.objects.filter(town=town, id_digest=blind_index(number)).select_related("household").first()


def household_by_number_or_id(*, town: Area, text: str) -> Household | None:
    """A household of ``town`` by its 户号, else by the ID number of a person in it."""
    text = text.strip()
    if not text:
        return None
    found = Household.objects.filter(town=town, number=text).first()
    if found is not None:
        return found
    resident = resident_by_id(town=town, id_number=text)
    return resident.household if resident is not None else None


def _check_may_record(actor: User, household: Household, department: Department | None) -> None:
    if not may_record_assistance(user=actor, household=household, department=department):
        raise NotAllowed(_("您无权以该部门为该户登记救助帮扶"))


def _today(now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now())


def _in_town(town: Area, department: Department | None) -> Department | None:
    if department is not None and department.town_id != town.pk:
        raise InvalidInput(_("部门“%(d)s”不属于本镇") % {"d": department.name}, field="department")
    return department


def _insert_once[M: Model](row: M, *, taken: QuerySet[M], message: str, field: str) -> M:
    """Insert ``row``, one of a kind (one card per person, one day of care per person and day): refused with
    ``message`` when ``taken`` already finds its twin, and again when another writer inserted it in between (the
    database's unique constraint; nothing is written, never a server error)."""
    if taken.exists():
        raise InvalidInput(message, field=field)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        raise InvalidInput(message, field=field) from None
    return row


def _resident_in_town(town: Area, resident: Resident | None, *, field: str = "resident") -> Resident:
    if resident is None:
        raise InvalidInput(_("请选择人员"), field=field)
    if resident.town_id != town.pk:
        raise InvalidInput(_("人员不属于本镇"), field=field)
    return resident


# ---------------------------------------------------------------------------------------------------
# Payments


@dataclass(frozen=True, slots=True)
class PaymentInput:
    """A payment as it is given — by the form, or a sheet row."""

    household: Household | None
    kind: PaymentKind | str
    amount: Decimal | int | str
    paid_on: date | None
    resident: Resident | None = None
    source: str = ""
    department: Department | None = None
    note: str = ""


def check_payment(
    *, town: Area, data: PaymentInput, today: date, actor: User | None = None, import_key: str = ""
) -> Payment:
    """The payment row ``data`` describes (unsaved), or ``InvalidInput`` naming the field."""
    household = data.household
    if household is None:
        raise InvalidInput(_("请选择发放对象所在的户"), field="household")
    if household.town_id != town.pk:
        raise InvalidInput(_("该户不属于本镇"), field="household")
    if data.resident is not None and data.resident.household_id != household.pk:
        raise InvalidInput(_("所选人员不在该户中"), field="resident")
    if data.kind not in PaymentKind.values:
        raise InvalidInput(_("类型“%(k)s”无效") % {"k": data.kind}, field="kind")
    amount = parse_amount(data.amount, positive=True, maximum=MAX_AMOUNT)
    paid_on = check_day(data.paid_on, today=today, field="paid_on", label=_("发放日期"))
    source = data.source.strip()
    if len(source) > 64:
        raise InvalidInput(_("资金来源最多64个字"), field="source")
    return Payment(
        town=town,
        household=household,
        resident=data.resident,
        kind=PaymentKind(data.kind),
        amount=amount,
        paid_on=paid_on,
        source=source,
        department=_in_town(town, data.department),
        note=data.note.strip(),
        recorded_by=actor,
        import_key=import_key,
        created_at=timezone.now(),
    )


def record_payment(*, town: Area, actor: User, data: PaymentInput, now: datetime | None = None) -> Payment:
    """Record one payment to a household."""
    now = now or timezone.now()
    payment = check_payment(town=town, data=data, today=_today(now), actor=actor)
    _check_may_record(actor, payment.household, payment.department)
    payment.created_at = now
    payment.save(force_insert=True)
    return payment


# ---------------------------------------------------------------------------------------------------
# Veterans' preferential cards (优待证)


def check_card(
    *,
    town: Area,
    resident: Resident | None,
    applied_on: date | None,
    today: date,
    issued_on: date | None = None,
    number: str = "",
    department: Department | None = None,
    note: str = "",
    import_key: str = "",
) -> VeteranCard:
    """The card row described (unsaved): applied on a day not in the future, issued (if it is) not before."""
    resident = _resident_in_town(town, resident)
    applied = check_day(applied_on, today=today, field="applied_on", label=_("申请日期"))
    if issued_on is not None:
        _check_issue(applied, issued_on, today)
    number = number.strip()
    if len(number) > 32:
        raise InvalidInput(_("证号最多32个字符"), field="number")
    return VeteranCard(
        town=town,
        resident=resident,
        department=_in_town(town, department),
        applied_on=applied,
        issued_on=issued_on,
        number=number,
        note=note.strip(),
        import_key=import_key,
        created_at=timezone.now(),
    )


def _check_issue(applied_on: date, issued_on: date, today: date) -> None:
    check_day(issued_on, today=today, field="issued_on", label=pgettext("card", "发放日期"))
    if issued_on < applied_on:
        raise InvalidInput(_("发放日期不能早于申请日期"), field="issued_on")


def apply_card(
    *,
    town: Area,
    actor: User,
    resident: Resident | None,
    applied_on: date | None,
    department: Department | None = None,
    note: str = "",
    now: datetime | None = None,
) -> VeteranCard:
    """Record a veteran's application for the preferential card (one card per person)."""
    now = now or timezone.now()
    card = check_card(
        town=town, resident=resident, applied_on=applied_on, today=_today(now), department=department, note=note
    )
    card.created_at = now
    _check_may_record(actor, card.resident.household, card.department)
    return _insert_once(
        card,
        taken=VeteranCard.objects.filter(resident=card.resident),
        message=_("该人员已申请过优待证"),
        field="resident",
    )


def issue_card(
    *, card: VeteranCard, actor: User, issued_on: date | None, number: str = "", now: datetime | None = None
) -> VeteranCard:
    """Issue an applied card: on a day not before its application nor in the future, with its number."""
    _check_may_record(actor, card.resident.household, card.department)
    if card.issued_on is not None:
        raise InvalidInput(_("该优待证已发放"), field="issued_on")
    if issued_on is None:
        raise InvalidInput(_("请填写发放日期"), field="issued_on")
    _check_issue(card.applied_on, issued_on, _today(now))
    number = number.strip()
    if len(number) > 32:
        raise InvalidInput(_("证号最多32个字符"), field="number")
    card.issued_on = issued_on
    card.number = number or card.number
    card.save(update_fields=["issued_on", "number"])
    return card


# ---------------------------------------------------------------------------------------------------
# Day care (日间照料)


def record_attendance(
    *,
    town: Area,
    actor: User,
    resident: Resident | None,
    day: date | None,
    provider: str,
    department: Department | None = None,
    now: datetime | None = None,
) -> DayCareAttendance:
    """Record that a person with disabilities was at a day-care centre on ``day`` (once per person per day)."""
    now = now or timezone.now()
    resident = _resident_in_town(town, resident)
    day = check_day(day, today=_today(now), field="day", label=_("日期"))
    provider = provider.strip()
    if not provider:
        raise InvalidInput(_("请填写照料机构"), field="provider")
    if len(provider) > 64:
        raise InvalidInput(_("照料机构最多64个字"), field="provider")
    attendance = DayCareAttendance(
        town=town, resident=resident, department=_in_town(town, department), day=day, provider=provider, created_at=now
    )
    _check_may_record(actor, resident.household, attendance.department)
    return _insert_once(
        attendance,
        taken=DayCareAttendance.objects.filter(resident=resident, day=day),
        message=_("该人员当天已有照料记录"),
        field="day",
    )
