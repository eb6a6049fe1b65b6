"""Recording investment attraction (招商引资): leads, their stage moves, the funds arrived by month, and the new
enterprise of a landed lead.

Every function checks who acts (``investment.scope``) and the input (each refusal an ``InvalidInput`` whose Chinese
message names the field), then writes in one transaction: **nothing is written when a check fails**.

- ``record_lead``: a new lead, at the stage its dates reach (a lead already signed or landed is entered with the
  day of each stage, in order, none skipped); the stages it passed are written to its history.
- ``advance_stage``: one step forward (线索 → 洽谈 → 签约 → 落地 → 投产), on a day not before the last stage's and not
  in the future; signing needs the signed amount (签约须填写签约金额).
- ``record_arrival``: the funds of a signed lead arrived in one month (not a future month, not before the signing
  month); a second entry for the same lead and month corrects the first (its time and author kept beside).
- ``register_enterprise``: the company a landed lead became — linked to the enterprise ledger's record with the
  same unified social credit code, or created there by ``enterprises.domain.enterprises.create_enterprise``
  (GB 32100 check) — with the day it was registered, from which 新增企业 is counted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gridgov.data.amounts import is_blank, parse_amount
from gridgov.data.enterprises.domain.credit_code import normalise_credit_code
from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.errors import Conflict, InvalidInput, NotAllowed
from gridgov.data.investment.enums import STAGE_DATE_FIELDS, STAGE_ORDER, Industry, Source, Stage
from gridgov.data.investment.models import FundArrival, Lead, StageChange
from gridgov.data.investment.scope import may_keep_investment
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department, Enterprise, User

FIRST_YEAR = 2000
AmountValue = Decimal | int | str | None


def _day_label(stage: Stage) -> str:
    return _("%(stage)s日期") % {"stage": stage.label}


def chinese_day(day: date) -> str:
    """2026年11月5日."""
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def _signed_amount(value: AmountValue) -> Decimal:
    if value is None or is_blank(value):
        raise InvalidInput(_("签约须填写签约金额"), field="signed_amount")
    return parse_amount(value, field="signed_amount", label=_("签约金额"), positive=True)


def _text(value: str, *, field: str, label: str | Promise, max_length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(_("%(label)s：必填项为空") % {"label": label}, field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("%(label)s：最多%(max)s个字，现有%(n)s个字") % {"label": label, "max": max_length, "n": len(text)},
            field=field,
        )
    return text


def _not_future(day: date, *, today: date, field: str, label: str) -> None:
    if day > today:
        raise InvalidInput(_("%(label)s：%(day)s尚未到来") % {"label": label, "day": chinese_day(day)}, field=field)


@dataclass(frozen=True)
class LeadInput:
    """A lead as a form, a sheet or an API client gives it: the day of each stage it has reached (the first
    required, none skipped), the signed amount as people type it ("1.2亿", "3,500万", "１２００万元")."""

    town: Area
    name: str
    source: Source | str
    industry: Industry | str
    lead_on: date | None
    talks_on: date | None = None
    signed_on: date | None = None
    landed_on: date | None = None
    producing_on: date | None = None
    signed_amount: AmountValue = None
    major_industrial: bool = False
    enclave: bool = False
    enclave_place: str = ""
    department: Department | None = None
    person: str = ""
    village: Area | None = None
    note: str = ""


@dataclass(frozen=True)
class CleanLead:
    town: Area
    name: str
    stage: Stage
    source: Source
    industry: Industry
    days: dict[Stage, date]
    signed_amount: Decimal | None
    major_industrial: bool
    enclave: bool
    enclave_place: str
    department: Department | None
    person: str
    village: Area | None
    note: str


def _stage_days(data: LeadInput, *, today: date) -> dict[Stage, date]:
    given: dict[Stage, date | None] = {
        Stage.LEAD: data.lead_on,
        Stage.TALKS: data.talks_on,
        Stage.SIGNED: data.signed_on,
        Stage.LANDED: data.landed_on,
        Stage.PRODUCING: data.producing_on,
    }
    if data.lead_on is None:
        raise InvalidInput(_("线索日期：必填项为空"), field="lead_on")
    days: dict[Stage, date] = {}
    previous: Stage | None = None
    for stage in STAGE_ORDER:
        day = given[stage]
        if day is None:
            later = [s for s in STAGE_ORDER[STAGE_ORDER.index(stage) + 1 :] if given[s] is not None]
            if later:
                raise InvalidInput(
                    _("%(label)s：已填写%(later)s，须先填写%(label)s")
                    % {"label": _day_label(stage), "later": _day_label(later[0])},
                    field=STAGE_DATE_FIELDS[stage],
                )
            break
        _not_future(day, today=today, field=STAGE_DATE_FIELDS[stage], label=_day_label(stage))
        if previous is not None and day < days[previous]:
            raise InvalidInput(
                _("%(label)s（%(day)s）早于%(previous)s（%(before)s）")
                % {
                    "label": _day_label(stage),
                    "day": chinese_day(day),
                    "previous": _day_label(previous),
                    "before": chinese_day(days[previous]),
                },
                field=STAGE_DATE_FIELDS[stage],
            )
        days[stage] = day
        previous = stage
    return days


def clean_lead(data: LeadInput, *, today: date) -> CleanLead:
    """The input checked field by field; InvalidInput naming the field otherwise. Who records is
    ``record_lead``'s check."""
    name = _text(data.name, field="name", label=_("项目名称"), max_length=100, required=True)
    if data.source not in Source.values:
        raise InvalidInput(_("招商方式：请选择一把手招商、乡贤招商、以商招商或其他"), field="source")
    if data.industry not in Industry.values:
        raise InvalidInput(_("产业类别：请选择石化配套、船舶修造、水产加工、文旅或其他"), field="industry")
    days = _stage_days(data, today=today)
    stage = list(days)[-1]
    signed = STAGE_ORDER.index(stage) >= STAGE_ORDER.index(Stage.SIGNED)
    if signed:
        amount: Decimal | None = _signed_amount(data.signed_amount)
    elif not is_blank(data.signed_amount):
        raise InvalidInput(_("签约金额：项目尚未签约，请同时填写签约日期"), field="signed_amount")
    else:
        amount = None
    place = _text(data.enclave_place, field="enclave_place", label=_("飞地所在地"), max_length=100)
    if data.enclave and not place:
        raise InvalidInput(_("飞地所在地：飞地项目须填写飞地所在地"), field="enclave_place")
    if data.department is not None and data.department.town_id != data.town.pk:
        raise InvalidInput(
            _("责任部门：“%(d)s”不是%(t)s的部门") % {"d": data.department.name, "t": data.town.name}, field="department"
        )
    village = data.village
    if village is not None and (village.level != AreaLevel.VILLAGE or village.town_id != data.town.pk):
        raise InvalidInput(
            _("所在村：“%(v)s”不是%(t)s的村（社区）") % {"v": village.name, "t": data.town.name}, field="village"
        )
    return CleanLead(
        town=data.town,
        name=name,
        stage=stage,
        source=Source(data.source),
        industry=Industry(data.industry),
        days=days,
        signed_amount=amount,
        major_industrial=bool(data.major_industrial),
        enclave=bool(data.enclave),
        enclave_place=place if data.enclave else "",
        department=data.department,
        person=_text(data.person, field="person", label=_("责任人"), max_length=32),
        village=village,
        note=(data.note or "").strip(),
    )


def _check_may_keep(actor: User, town: Area) -> None:
    if not may_keep_investment(actor, town):
        raise NotAllowed(_("您无权登记%(town)s的招商引资信息") % {"town": town.name})


def lead_row(clean: CleanLead, *, created_at: datetime, created_by: User | None) -> Lead:
    """The unsaved row of a checked lead."""
    lead = Lead(
        town=clean.town,
        name=clean.name,
        stage=clean.stage,
        source=clean.source,
        industry=clean.industry,
        signed_amount=clean.signed_amount,
        major_industrial=clean.major_industrial,
        enclave=clean.enclave,
        enclave_place=clean.enclave_place,
        department=clean.department,
        person=clean.person,
        village=clean.village,
        note=clean.note,
        created_at=created_at,
        created_by=created_by,
        lead_on=clean.days[Stage.LEAD],
    )
    for stage, day in clean.days.items():
        setattr(lead, STAGE_DATE_FIELDS[stage], day)
    return lead


def history_rows(lead: Lead, days: dict[Stage, date], *, at: datetime, by: User | None) -> list[StageChange]:
    """The unsaved history of a new lead: one move per stage it reached."""
    rows = []
    previous = ""
    for stage, day in days.items():
        rows.append(StageChange(lead=lead, from_stage=previous, to_stage=stage, reached_on=day, at=at, by=by))
        previous = stage
    return rows


def record_lead(*, actor: User, data: LeadInput, now: datetime) -> Lead:
    """Record a new lead (see the module)."""
    _check_may_keep(actor, data.town)
    clean = clean_lead(data, today=timezone.localdate(now))
    with transaction.atomic():
        lead = lead_row(clean, created_at=now, created_by=actor)
        lead.save()
        StageChange.objects.bulk_create(history_rows(lead, clean.days, at=now, by=actor))
    return lead


#: What ``edit_lead`` changes: every field of the lead but its stages and their days (moved by ``advance_stage``).
EDITABLE = (
    "name",
    "source",
    "industry",
    "signed_amount",
    "major_industrial",
    "enclave",
    "enclave_place",
    "department",
    "person",
    "village",
    "note",
)


def edit_lead(*, actor: User, lead: Lead, data: LeadInput, now: datetime) -> Lead:
    """Correct a lead's facts (``EDITABLE``) with the checks of a new lead, its stages and their days kept (the
    days ``data`` gives are ignored); nothing is written when a check fails."""
    _check_may_keep(actor, lead.town)
    kept = replace(
        data,
        town=lead.town,
        **{STAGE_DATE_FIELDS[stage]: getattr(lead, STAGE_DATE_FIELDS[stage]) for stage in STAGE_ORDER},
    )
    clean = clean_lead(kept, today=timezone.localdate(now))
    with transaction.atomic():
        current = Lead.objects.select_for_update(of=("self",)).get(pk=lead.pk)
        if current.stage != clean.stage:
            raise Conflict(_("项目“%(name)s”的阶段已变化，请刷新后再修改") % {"name": current.name})
        for field in EDITABLE:
            setattr(current, field, getattr(clean, field))
        current.save(update_fields=list(EDITABLE))
    return current


def next_stage(stage: Stage | str) -> Stage | None:
    """The stage after ``stage`` (None after 投产)."""
    index = STAGE_ORDER.index(Stage(stage))
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def advance_stage(
    *, actor: User, lead: Lead, stage: Stage | str, on: date | None, now: datetime, signed_amount: AmountValue = None
) -> Lead:
    """Move ``lead`` one step forward to ``stage``, reached ``on`` (see the module)."""
    _check_may_keep(actor, lead.town)
    if stage not in Stage.values:
        raise InvalidInput(_("阶段：请选择线索、洽谈、签约、落地或投产"), field="stage")
    target = Stage(stage)
    with transaction.atomic():
        current = Lead.objects.select_for_update().get(pk=lead.pk)
        at = Stage(current.stage)
        following = next_stage(at)
        if STAGE_ORDER.index(target) <= STAGE_ORDER.index(at):
            raise InvalidInput(
                _("阶段：项目已处于“%(at)s”，只能向前推进") % {"at": at.label},
                field="stage",
            )
        if target != following:
            assert following is not None  # a stage after the current one exists, so the current is not the last
            raise InvalidInput(
                _("阶段：须逐步推进，下一阶段为“%(next)s”") % {"next": following.label},
                field="stage",
            )
        field = STAGE_DATE_FIELDS[target]
        if on is None:
            raise InvalidInput(_("%(label)s：必填项为空") % {"label": _day_label(target)}, field=field)
        _not_future(on, today=timezone.localdate(now), field=field, label=_day_label(target))
        before: date = getattr(current, STAGE_DATE_FIELDS[at])
        if on < before:
            raise InvalidInput(
                _("%(label)s（%(day)s）早于%(previous)s（%(before)s）")
                % {
                    "label": _day_label(target),
                    "day": chinese_day(on),
                    "previous": _day_label(at),
                    "before": chinese_day(before),
                },
                field=field,
            )
        if target == Stage.SIGNED:
            current.signed_amount = _signed_amount(signed_amount)
        elif not is_blank(signed_amount):
            raise InvalidInput(_("签约金额：只在推进到签约时填写"), field="signed_amount")
        setattr(current, field, on)
        current.stage = target
        current.save(update_fields=["stage", field, "signed_amount"])
        StageChange.objects.create(lead=current, from_stage=at, to_stage=target, reached_on=on, at=now, by=actor)
    return current


@dataclass(frozen=True)
class ArrivalInput:
    """Funds arrived for a lead in one month: year and month as numbers or text ("2022年", "3月"), the amount as
    people type it."""

    lead: Lead
    year: int | str
    month: int | str
    amount: AmountValue
    note: str = ""


def _whole(value: int | str, *, field: str, label: str, suffix: str) -> int:
    text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix(suffix)
    if isinstance(value, bool) or not re.fullmatch(r"\d{1,4}", text):
        raise InvalidInput(_("%(label)s：“%(v)s”不是整数") % {"label": label, "v": value}, field=field)
    return int(text)


def clean_arrival(data: ArrivalInput, *, today: date) -> tuple[int, int, Decimal]:
    """(year, month, amount) of the input, checked; InvalidInput naming the field otherwise."""
    lead = data.lead
    if lead.signed_on is None:
        raise InvalidInput(_("到位资金：项目“%(name)s”尚未签约") % {"name": lead.name}, field="lead")
    year = _whole(data.year, field="year", label=_("年度"), suffix="年")
    month = _whole(data.month, field="month", label=_("月份"), suffix="月")
    if not 1 <= month <= 12:
        raise InvalidInput(_("月份：应为1至12，而不是%(month)s") % {"month": month}, field="month")
    if year < FIRST_YEAR:
        raise InvalidInput(_("年度：%(year)s年过早，请核对") % {"year": year}, field="year")
    if (year, month) > (today.year, today.month):
        raise InvalidInput(_("月份：%(year)s年%(month)s月尚未到来") % {"year": year, "month": month}, field="month")
    signed = lead.signed_on
    if (year, month) < (signed.year, signed.month):
        raise InvalidInput(
            _("月份：%(year)s年%(month)s月早于签约（%(day)s）")
            % {"year": year, "month": month, "day": chinese_day(signed)},
            field="month",
        )
    amount = parse_amount(data.amount, field="amount", label=_("到位资金"), positive=True, required=True)
    return year, month, amount


def arrival_row(
    lead: Lead, *, year: int, month: int, amount: Decimal, note: str, created_at: datetime, created_by: User | None
) -> FundArrival:
    """The unsaved row of a checked arrival (``clean_arrival``) entered for the first time."""
    return FundArrival(
        lead=lead,
        town_id=lead.town_id,
        year=year,
        month=month,
        amount=amount,
        note=(note or "").strip(),
        created_at=created_at,
        created_by=created_by,
    )


def record_arrival(*, actor: User, data: ArrivalInput, now: datetime) -> FundArrival:
    """Record (or correct) the funds of a lead arrived in one month."""
    _check_may_keep(actor, data.lead.town)
    year, month, amount = clean_arrival(data, today=timezone.localdate(now))
    note = (data.note or "").strip()
    with transaction.atomic():
        arrival, _created = FundArrival.objects.update_or_create(
            lead=data.lead,
            year=year,
            month=month,
            defaults={"amount": amount, "note": note, "updated_at": now, "updated_by": actor},
            create_defaults={
                "town_id": data.lead.town_id,
                "amount": amount,
                "note": note,
                "created_at": now,
                "created_by": actor,
            },
        )
    return arrival


@dataclass(frozen=True)
class NewEnterpriseInput:
    """The company a landed lead became: its unified social credit code, name and the day it was registered."""

    credit_code: str
    name: str
    registered_on: date | None
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""


LANDED_STAGES = (Stage.LANDED, Stage.PRODUCING)


def register_enterprise(*, actor: User, lead: Lead, data: NewEnterpriseInput, now: datetime) -> Enterprise:
    """Link the landed ``lead`` to its company in the enterprise ledger — the record with the same credit code,
    or a new one created there (name and code checked by the enterprise ledger) — see the module."""
    _check_may_keep(actor, lead.town)
    with transaction.atomic():
        current = Lead.objects.select_for_update(of=("self",)).select_related("town", "village").get(pk=lead.pk)
        if current.stage not in LANDED_STAGES:
            raise InvalidInput(
                _("新增企业：项目“%(name)s”尚未落地，落地后方可登记企业") % {"name": current.name}, field="stage"
            )
        if current.enterprise_id is not None:
            raise Conflict(_("项目“%(name)s”已登记新增企业") % {"name": current.name})
        code = normalise_credit_code(data.credit_code)
        if data.registered_on is None:
            raise InvalidInput(_("企业注册日期：必填项为空"), field="registered_on")
        _not_future(data.registered_on, today=timezone.localdate(now), field="registered_on", label=_("企业注册日期"))
        enterprise = Enterprise.objects.filter(town=current.town, credit_code=code).first()
        if enterprise is None:
            enterprise = create_enterprise(
                town=current.town,
                name=data.name,
                credit_code=code,
                address=data.address,
                village=current.village,
                contact_name=data.contact_name,
                contact_phone=data.contact_phone,
            )
        else:
            other = Lead.objects.filter(enterprise=enterprise).first()
            if other is not None:
                raise Conflict(
                    _("统一社会信用代码 %(code)s 的企业已是项目“%(name)s”的新增企业")
                    % {"code": code, "name": other.name}
                )
        current.enterprise = enterprise
        current.enterprise_on = data.registered_on
        current.save(update_fields=["enterprise", "enterprise_on"])
    return enterprise
