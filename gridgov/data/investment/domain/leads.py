"""Leads (招商线索): a new lead at the stage its dates reach, its facts corrected, a step forward."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import is_blank
from gridgov.data.errors import Conflict, InvalidInput
from gridgov.data.investment.domain.checks import (
    AmountValue,
    check_may_keep,
    check_not_future,
    check_reached_after,
    check_signed_amount,
    check_text,
    day_label,
)
from gridgov.data.investment.enums import STAGE_DATE_FIELDS, STAGE_ORDER, Industry, Source, Stage
from gridgov.data.investment.models import Lead, StageChange
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department, User


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
                    % {"label": day_label(stage), "later": day_label(later[0])},
                    field=STAGE_DATE_FIELDS[stage],
                )
            break
        check_not_future(day, today=today, field=STAGE_DATE_FIELDS[stage], label=day_label(stage))
        if previous is not None:
            check_reached_after(day, stage=stage, previous=previous, before=days[previous])
        days[stage] = day
        previous = stage
    return days


def clean_lead(data: LeadInput, *, today: date) -> CleanLead:
    """The input checked field by field; InvalidInput naming the field otherwise. Who records is
    ``record_lead``'s check."""
    name = check_text(data.name, field="name", label=_("项目名称"), max_length=100, required=True)
    if data.source not in Source.values:
        raise InvalidInput(_("招商方式：请选择一把手招商、乡贤招商、以商招商或其他"), field="source")
    if data.industry not in Industry.values:
        raise InvalidInput(_("产业类别：请选择石化配套、船舶修造、水产加工、文旅或其他"), field="industry")
    days = _stage_days(data, today=today)
    stage = list(days)[-1]
    signed = STAGE_ORDER.index(stage) >= STAGE_ORDER.index(Stage.SIGNED)
    if signed:
        amount: Decimal | None = check_signed_amount(data.signed_amount)
    elif not is_blank(data.signed_amount):
        raise InvalidInput(_("签约金额：项目尚未签约，请同时填写签约日期"), field="signed_amount")
    else:
        amount = None
    place = check_text(data.enclave_place, field="enclave_place", label=_("飞地所在地"), max_length=100)
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
        person=check_text(data.person, field="person", label=_("责任人"), max_length=32),
        village=village,
        note=(data.note or "").strip(),
    )


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
    check_may_keep(actor, data.town)
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
    check_may_keep(actor, lead.town)
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
    check_may_keep(actor, lead.town)
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
            raise InvalidInput(_("%(label)s：必填项为空") % {"label": day_label(target)}, field=field)
        check_not_future(on, today=timezone.localdate(now), field=field, label=day_label(target))
        check_reached_after(on, stage=target, previous=at, before=getattr(current, STAGE_DATE_FIELDS[at]))
        if target == Stage.SIGNED:
            current.signed_amount = check_signed_amount(signed_amount)
        elif not is_blank(signed_amount):
            raise InvalidInput(_("签约金额：只在推进到签约时填写"), field="signed_amount")
        setattr(current, field, on)
        current.stage = target
        current.save(update_fields=["stage", field, "signed_amount"])
        StageChange.objects.create(lead=current, from_stage=at, to_stage=target, reached_on=on, at=now, by=actor)
    return current
