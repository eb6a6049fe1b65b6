"""Petitions and disputes (信访与矛盾纠纷): the ledger, mediation, the petition extension, parties."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.disputes.domain import (
    PartyInput,
    PartyView,
    clear_backlog,
    parties_shown,
    party_names,
    record_mediation,
    register_dispute,
    request_petition_extension,
    reveal_parties,
)
from gridgov.data.disputes.enums import DisputeType, PartyKind
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.errors import DomainError
from gridgov.data.org.models import Area, Department, User
from gridgov.data.org.security import Client
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_civic import DisputeForm, MediationForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.params import int_param
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 200
#: The one party the new-dispute form takes: the domain's names for its fields, and the form's.
PARTY_FIELDS = {"phone": "party_phone", "id_number": "party_id_number", "parties": "party_name"}


def _disputes(user: User, town: Area, params: dict[str, str]) -> QuerySet[Dispute]:
    parties = Prefetch("parties", queryset=DisputeParty.objects.order_by("sort_order", "id"))
    qs = (
        common.town_records(user, Dispute, town, params)
        .select_related("case", "case__department", "case__village")
        .prefetch_related(parties)
        .order_by("-received_on", "-id")
    )
    if params.get("type") in DisputeType.values:
        qs = qs.filter(type=params["type"])
    if params.get("backlog") == "1":
        qs = qs.filter(backlog=True)
    return qs


DISPUTES = LedgerList(town_of=common.civic_town, filters=("type", "backlog", "status"))


@login_required
def disputes(request: HttpRequest) -> HttpResponse:
    shown = DISPUTES.read(request)
    rows = [(d, party_names(d)) for d in _disputes(shown.user, shown.town, shown.params)[:PAGE_SIZE]]
    context = {
        "rows": rows,
        "params": shown.params,
        "types": DisputeType.choices,
        "status_filters": common.STATUS_FILTERS,
        "actions": permissions.ledger_actions(user=shown.user, ledger=permissions.Ledger.DISPUTES, town=shown.town),
    }
    return common.render_list(request, "ledgers/civic/disputes.html", context, rows="rows")


@sheet(
    gettext_lazy("信访与矛盾纠纷"),
    [
        gettext_lazy("事件编号"),
        gettext_lazy("类型"),
        gettext_lazy("受理日期"),
        gettext_lazy("当事人"),
        gettext_lazy("事由"),
        gettext_lazy("层级"),
        gettext_lazy("涉及金额（元）"),
        gettext_lazy("是否积案"),
        gettext_lazy("积案化解时间"),
        gettext_lazy("承办单位"),
        gettext_lazy("调处方式"),
        gettext_lazy("调处结果"),
        gettext_lazy("状态"),
        gettext_lazy("办结时间"),
    ],
)
def disputes_sheet(d: Dispute) -> list[CellValue]:
    """A dispute in the export, persons masked as on the list (a full export would be an unlogged mass unmasking)."""
    return [
        d.case.number,
        d.get_type_display(),
        d.received_on,
        party_names(d),
        d.case.description,
        d.get_level_display(),
        d.amount,
        _("是") if d.backlog else _("否"),
        d.backlog_cleared_at,
        d.case.department.name if d.case.department else "",
        d.get_method_display(),
        d.get_outcome_display(),
        d.case.get_status_display(),
        d.case.closed_at,
    ]


disputes_export = export_view(DISPUTES, _disputes, disputes_sheet)


@login_required
def dispute_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.civic_town(user)
    form = DisputeForm(
        request.POST or None, departments=common.department_choices(town), areas=common.village_choices(town)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dispute = register_dispute(
                town=town,
                actor=user,
                type=data["type"],
                description=data["description"],
                parties=[
                    PartyInput(
                        name=data["party_name"],
                        phone=data["party_phone"],
                        id_number=data["party_id_number"],
                        kind=PartyKind(data["party_kind"]) if data["party_kind"] else None,
                    )
                ],
                level=data["level"],
                amount=data["amount"] or Decimal(0),
                backlog=data["backlog"],
                received_on=data["received_on"],
                department=Department.objects.get(pk=data["department"], town=town),
                area=Area.objects.get(pk=data["area"], town=town) if data["area"] else None,
            )
        except DomainError as error:
            show_refusal(form, error, rename=PARTY_FIELDS)
        else:
            return redirect("ledgers:dispute", dispute.pk)
    return render(request, "ledgers/civic/dispute_new.html", {"form": form})


def _dispute_for(user: User, dispute_id: int) -> Dispute:
    records = Dispute.objects.select_related("case", "case__department")
    return common.found_or_404(permissions.record_for, user, records, dispute_id)


def _render_dispute(
    request: HttpRequest,
    dispute: Dispute,
    *,
    parties: list[PartyView],
    form: MediationForm | None = None,
    extension_error: str = "",
) -> HttpResponse:
    context = {
        "extension_error": extension_error,
        "actions": permissions.record_actions(user=signed_in_user(request), record=dispute),
        "dispute": dispute,
        "case": dispute.case,
        "parties": parties,
        "masked": any(p.masked for p in parties),
        "form": form or MediationForm(),
    }
    return render(request, "ledgers/civic/dispute.html", context)


@login_required
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = signed_in_user(request)
    dispute = _dispute_for(user, dispute_id)
    form = MediationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with common.FormRefusal(form):
            record_mediation(
                dispute=dispute,
                actor=user,
                method=form.cleaned_data["method"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
            return redirect("ledgers:dispute", dispute.pk)
    return _render_dispute(request, dispute, parties=parties_shown(dispute), form=form)


@login_required
@require_POST
def dispute_reveal(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = signed_in_user(request)
    dispute = _dispute_for(user, dispute_id)
    parties = common.allowed_or_403(reveal_parties, user=user, dispute=dispute, client=Client.of(request))
    return _render_dispute(request, dispute, parties=parties)


@login_required
@require_POST
def dispute_extension(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """信访: the handler asks for up to 30 more days; the command room or a leader approves or denies it."""
    user = signed_in_user(request)
    dispute = _dispute_for(user, dispute_id)
    decision = request.POST.get("decision", "")
    try:
        if decision == "approve":
            apply_action(case_id=dispute.case_id, actor=user, action=Action.APPROVE_EXTENSION)
        elif decision == "deny":
            apply_action(
                case_id=dispute.case_id, actor=user, action=Action.DENY_EXTENSION, note=request.POST.get("note", "")
            )
        else:
            days = int_param(request.POST.get("days"), minimum=0, maximum=3650) or 0
            request_petition_extension(dispute=dispute, actor=user, note=request.POST.get("note", ""), days=days)
    except DomainError as error:
        return _render_dispute(request, dispute, parties=parties_shown(dispute), extension_error=error.message)
    return redirect("ledgers:dispute", dispute.pk)


@login_required
@require_POST
def dispute_clear_backlog(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = signed_in_user(request)
    dispute = _dispute_for(user, dispute_id)
    return common.then_redirect(lambda: clear_backlog(dispute=dispute, actor=user), "ledgers:dispute", dispute.pk)
