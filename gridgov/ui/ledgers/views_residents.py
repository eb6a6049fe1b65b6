"""The people register's residents (实有人口): the list (masked, filtered, found by ID number through its digest)
with its masked Excel export; the resident's page (masked, a logged reveal for the roles that may unmask), their
key and care groups, moving out, and the person's PIPL rights (an access-request export, erasure)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.errors import DomainError
from gridgov.data.org.models import Area, User
from gridgov.data.org.security import Client
from gridgov.data.people.domain import (
    PersonView,
    ResidentInput,
    check_edits_resident,
    join_group,
    leave_group,
    move_out,
    person_view,
    reveal_person,
    update_resident,
)
from gridgov.data.people.domain.lookup import with_id_number
from gridgov.data.people.enums import Relation, ResidentKind, Sex
from gridgov.data.people.models import GroupMembership, PersonGroup, Resident
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_people import DayForm, JoinGroupForm, ResidentEditForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.ledgers.views_houses import PAGE_SIZE, opened, people_town
from gridgov.ui.signed_in import signed_in_user


@dataclass(frozen=True, slots=True)
class ResidentRow:
    resident: Resident
    person: PersonView  # masked
    groups: str  # the open memberships the reader may see, 、-joined


def _groups(user: User, town_id: int) -> QuerySet[PersonGroup]:
    """The active groups of a town that ``user`` may see (the filter's and the join form's choices)."""
    return permissions.visible_groups(user).filter(town_id=town_id, active=True).order_by("sort_order", "code")


def _residents(user: User, town: Area, params: dict[str, str], id_number: str = "") -> QuerySet[Resident]:
    qs = permissions.visible_residents(user).filter(town=town)
    if id_number.strip():
        qs = with_id_number(qs, id_number)
    if params["village"].isdigit():
        qs = qs.filter(household__house__village_id=int(params["village"]))
    if params["kind"] in ResidentKind.values:
        qs = qs.filter(kind=params["kind"])
    if params["group"].isdigit():
        group = _groups(user, town.pk).filter(pk=int(params["group"])).first()
        if group is not None:  # a group the reader may not see is no choice: it filters nothing
            members = GroupMembership.objects.filter(group=group, until__isnull=True).values("resident_id")
            qs = qs.filter(pk__in=members)
    if params["living"] != "all":
        qs = qs.filter(moved_out_on__isnull=True, erased_at__isnull=True)
    tags = permissions.visible_memberships(user, GroupMembership.objects.filter(until__isnull=True))
    return (
        qs.select_related("household__house__village", "household__house__grid")
        .prefetch_related(
            Prefetch("memberships", queryset=tags.select_related("group").order_by("group__sort_order"), to_attr="tags")
        )
        .order_by("household__house__village__path", "household__house__address", "household_id", "id")
    )


RESIDENTS = LedgerList(town_of=people_town, filters=("village", "kind", "group", "living"))


def _row(resident: Resident) -> ResidentRow:
    tags: list[GroupMembership] = getattr(resident, "tags", [])
    return ResidentRow(resident, person_view(resident), "、".join(m.group.name for m in tags))


@login_required
def residents(request: HttpRequest) -> HttpResponse:
    """The list (GET: the filters in the query string). Finding by ID number is a POST, so the typed number never
    lands in a URL (history, server logs) and is not written back into the page."""
    shown = RESIDENTS.read(request)
    id_number = request.POST.get("id_number", "") if request.method == "POST" else ""
    context = common.page_context(request, _residents(shown.user, shown.town, shown.params, id_number), PAGE_SIZE)
    context.update(
        {
            "rows": [_row(r) for r in context["page"]],
            "params": shown.params,
            "searched": bool(id_number.strip()),
            "villages": common.village_choices(shown.town),
            "kinds": ResidentKind.choices,
            "groups": list(_groups(shown.user, shown.town.pk).values_list("pk", "name")),
        }
    )
    return common.render_list(request, "ledgers/people/residents.html", context, rows="rows")


@sheet(
    gettext_lazy("实有人口"),
    [
        gettext_lazy("姓名"),
        gettext_lazy("证件号码"),
        gettext_lazy("联系电话"),
        gettext_lazy("人口类型"),
        gettext_lazy("与户主关系"),
        gettext_lazy("户号"),
        gettext_lazy("标准地址"),
        gettext_lazy("村/社区"),
        gettext_lazy("网格"),
        gettext_lazy("人员类别"),
        gettext_lazy("迁出日期"),
    ],
)
def residents_sheet(resident: Resident) -> list[CellValue]:
    """A resident in the export, masked (a plain export would be an unlogged mass unmasking)."""
    row = _row(resident)
    house = resident.household.house
    return [
        row.person.name,
        row.person.id_number,
        row.person.phone,
        row.person.kind.label,
        row.person.relation.label,
        str(resident.household),
        house.address,
        house.village.name,
        house.grid.name if house.grid else "",
        row.groups,
        common.day_text(resident.moved_out_on),
    ]


residents_export = export_view(RESIDENTS, _residents, residents_sheet)


# ---------------------------------------------------------------------------------------------------
# The resident's page


def resident_for(user: User, resident_id: int) -> Resident:
    return common.found_or_404(permissions.resident_for, user, resident_id)


def opened_resident(request: HttpRequest, resident_id: int) -> tuple[User, Resident]:
    """A resident's page opened (``opened``): the signed-in user and the resident."""
    return opened(request, resident_for, resident_id)


def _writes(user: User, resident: Resident) -> bool:
    return permissions.writable_residents(user, Resident.objects.filter(pk=resident.pk)).exists()


def render_resident(
    request: HttpRequest,
    resident: Resident,
    *,
    person: PersonView | None = None,
    join_form: JoinGroupForm | None = None,
    day_form: DayForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    living = resident.moved_out_on is None and resident.erased_at is None
    writes = living and _writes(user, resident)
    memberships = (
        permissions.visible_memberships(user, GroupMembership.objects.filter(resident=resident))
        .select_related("group")
        .order_by(F("until").desc(nulls_first=True), "since", "id")  # the open ones first, on any database
    )
    groups = [(g.pk, g.name) for g in _groups(user, resident.town_id)] if writes else []
    context = {
        "resident": resident,
        "house": resident.household.house,
        "person": person or person_view(resident),
        "memberships": list(memberships),
        "writes": writes,
        "unmasks": permissions.may_unmask_person(user=user, resident=resident) and resident.erased_at is None,
        "erases": permissions.may_erase_person(user=user, resident=resident) and resident.erased_at is None,
        "join_form": join_form or JoinGroupForm(groups=groups, initial={"since": timezone.localdate()}),
        "day_form": day_form or DayForm(initial={"day": timezone.localdate()}),
        "error": error,
    }
    return render(request, "ledgers/people/resident.html", context, status=status)


@login_required
def resident_detail(request: HttpRequest, resident_id: int) -> HttpResponse:
    _user, resident = opened_resident(request, resident_id)
    return render_resident(request, resident)


@login_required
def resident_edit(request: HttpRequest, resident_id: int) -> HttpResponse:
    """修改: kind and relation; a new name, ID number or phone when typed (blank keeps the stored one, which the
    page never shows)."""
    user, resident = opened_resident(request, resident_id)
    common.allowed_or_403(check_edits_resident, user, resident)  # refused: the domain's own reason
    shown = person_view(resident)
    form = ResidentEditForm(
        request.POST or None,
        masked={"name": shown.name, "id_number": shown.id_number, "phone": shown.phone},
        initial={"kind": resident.kind, "relation": resident.relation},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        given = ResidentInput(
            household=resident.household,
            name=data["name"] or resident.name,
            id_number=data["id_number"] or resident.id_number,
            phone=data["phone"] or resident.phone,
            kind=ResidentKind(data["kind"]),
            relation=Relation(data["relation"]),
            birth_date=resident.birth_date,
            sex=Sex(resident.sex),
        )
        with common.FormRefusal(form):
            update_resident(actor=user, resident=resident, data=given, now=timezone.now())
            return redirect("ledgers:resident", resident.pk)
    return render(request, "ledgers/people/resident_edit.html", {"resident": resident, "person": shown, "form": form})


@login_required
@require_POST
def resident_reveal(request: HttpRequest, resident_id: int) -> HttpResponse:
    """查看完整信息: the plain values once, on this answer only; refused (403) for who may not unmask, logged else."""
    user, resident = opened_resident(request, resident_id)
    person = common.allowed_or_403(reveal_person, user=user, resident=resident, client=Client.of(request))
    return render_resident(request, resident, person=person)


@login_required
@require_POST
def resident_join(request: HttpRequest, resident_id: int) -> HttpResponse:
    user, resident = opened_resident(request, resident_id)
    groups = _groups(user, resident.town_id)
    form = JoinGroupForm(request.POST, groups=[(g.pk, g.name) for g in groups])
    if form.is_valid():
        group = groups.get(pk=int(form.cleaned_data["group"]))
        with common.FormRefusal(form):
            join_group(
                actor=user,
                resident=resident,
                group=group,
                since=form.cleaned_data["since"],
                now=timezone.now(),
                note=form.cleaned_data["note"],
            )
            return redirect("ledgers:resident", resident.pk)
    return render_resident(request, resident, join_form=form, status=400)


@login_required
@require_POST
def membership_end(request: HttpRequest, resident_id: int, membership_id: int) -> HttpResponse:
    user, resident = opened_resident(request, resident_id)
    membership = (
        permissions.visible_memberships(user, GroupMembership.objects.filter(pk=membership_id, resident=resident))
        .select_related("resident", "group")
        .first()
    )
    if membership is None:
        raise Http404(_("记录不存在或您无权查看"))
    form = DayForm(request.POST)
    if form.is_valid():
        try:
            leave_group(actor=user, membership=membership, until=form.cleaned_data["day"], now=timezone.now())
        except DomainError as error:
            return render_resident(request, resident, error=error.message, status=400)
        return redirect("ledgers:resident", resident.pk)
    return render_resident(request, resident, error=_("请填写解除日期"), status=400)


@login_required
@require_POST
def resident_move_out(request: HttpRequest, resident_id: int) -> HttpResponse:
    user, resident = opened_resident(request, resident_id)
    form = DayForm(request.POST)
    if form.is_valid():
        with common.FormRefusal(form):
            move_out(actor=user, resident=resident, on=form.cleaned_data["day"], now=timezone.now())
            return redirect("ledgers:resident", resident.pk)
    return render_resident(request, resident, day_form=form, status=400)
