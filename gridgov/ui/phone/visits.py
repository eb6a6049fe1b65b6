"""Phone pages of the visit round (走访): the grid worker's due list with lamps, and the one-minute visit record,
whose finding may become a case in the same submit (转为事件).

Thin: the due list, the scope and the writes are ``visits.domain``'s; the page only reads the form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access.permissions import may_record_visits
from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.errors import DomainError, InvalidInput, NotFound
from gridgov.data.org.models import Area, User
from gridgov.data.taxonomy.search import town_index
from gridgov.data.visits.domain import (
    Lamp,
    VisitInput,
    due_list,
    record_visit,
    record_visit_and_case,
    scope_of,
    visit_target,
)
from gridgov.types import FromDjango
from gridgov.ui.phone.places import parse_point
from gridgov.ui.phone.uploads import photos_from
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web import once

LAMP_LABELS = {
    Lamp.RED: gettext_lazy("已逾期"),
    Lamp.YELLOW: gettext_lazy("即将到期"),
    Lamp.GREEN: gettext_lazy("未到期"),
}


class VisitForm(forms.Form):
    """A visit: whom (preselected from the due list), when, where, a photo, what was seen; optionally 转为事件."""

    resident = forms.IntegerField(required=False, widget=forms.HiddenInput)
    house = forms.IntegerField(required=False, widget=forms.HiddenInput)
    visited_at = forms.DateTimeField(
        label=gettext_lazy("走访时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": gettext_lazy("请填写走访时间"), "invalid": gettext_lazy("走访时间格式不正确")},
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    photo = forms.Field(
        label=gettext_lazy("现场照片（选填，1 张）"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    note = forms.CharField(
        label=gettext_lazy("走访情况"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": gettext_lazy("例如：老人身体尚可，生活正常")}),
    )
    findings = forms.CharField(
        label=gettext_lazy("发现问题"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": gettext_lazy("例如：屋后电线老化（没有可不填）")}),
    )
    to_case = forms.BooleanField(label=gettext_lazy("转为事件"), required=False)
    category = forms.TypedChoiceField(label=gettext_lazy("事件分类"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: FromDjango, town: Area, **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        entries = town_index(town).entries
        groups: dict[str, list[tuple[int, str]]] = {}
        for entry in entries:
            groups.setdefault(entry.local_major_name, []).append((entry.id, entry.local_name))
        field = self.fields["category"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *groups.items()]
        field.error_messages["invalid_choice"] = _("请选择本镇的事件分类")

    def clean(self) -> FromDjango:
        data = super().clean() or {}
        if data.get("to_case"):
            if not (data.get("findings") or "").strip():
                self.add_error("findings", _("转为事件需要填写发现问题"))
            if data.get("category") is None:
                self.add_error("category", _("请选择事件分类"))
        return data


def not_a_grid_worker(request: HttpRequest) -> HttpResponse:
    return render(request, "phone/visits_not_grid_worker.html", {"no_offline": True}, status=403)


def _town(user: User) -> Area:
    scope = scope_of(user)
    assert scope is not None  # asked after may_record_visits
    return Area.objects.get(pk=scope.town_id)


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """The grid worker's due list: who and which houses are due, overdue first, with a lamp."""
    user = signed_in_user(request)
    if not may_record_visits(user):
        return not_a_grid_worker(request)
    items = due_list(worker=user, today=timezone.localdate())
    return render(
        request,
        "phone/visits.html",
        {
            "rows": [(item, LAMP_LABELS[item.lamp]) for item in items],
            "overdue": sum(1 for item in items if item.lamp == Lamp.RED),
        },
    )


@login_required
def record(request: HttpRequest) -> HttpResponse:
    """The visit form (the person or house chosen on the due list), and its submit."""
    user = signed_in_user(request)
    if not may_record_visits(user):
        return not_a_grid_worker(request)
    town = _town(user)
    source = request.POST if request.method == "POST" else request.GET
    resident_id, house_id = _int(source.get("resident")), _int(source.get("house"))
    try:
        label = visit_target(worker=user, resident_id=resident_id, house_id=house_id)
    except NotFound as error:
        raise Http404(error.message) from None
    if request.method != "POST":
        initial = {
            "resident": resident_id,
            "house": house_id,
            "visited_at": timezone.localtime().replace(microsecond=0),
        }
        return _form_page(request, VisitForm(initial=initial, town=town), label)

    claim = once.claim(request)
    if claim.state is once.State.USED:  # a second press: go where the first one went
        return redirect(claim.result_url or reverse("phone:visits"))
    form = VisitForm(request.POST, request.FILES, town=town)
    chose_photo = any(f.name for f in request.FILES.getlist("photo"))
    valid = form.is_valid()
    if claim.state is once.State.INVALID:
        form.add_error(None, _("表单已失效（打开时间过长或已提交过），请检查后重新提交"))
    elif valid:
        try:
            message = _save(request, form)
        except InvalidInput as error:
            show_refusal(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            url = reverse("phone:visits")
            once.finish(claim, url)
            messages.success(request, message)
            return redirect(url)
    once.release(claim)
    return _form_page(request, form, label, photo_lost=chose_photo, status=400)


def _save(request: HttpRequest, form: VisitForm) -> str:
    user = signed_in_user(request)
    data = form.cleaned_data
    photos = photos_from(request, "photo", AttachmentKind.BEFORE)
    if len(photos) > 1:
        raise InvalidInput(_("走访记录只能上传 1 张照片"), field="photo")
    point = parse_point(data["latitude"] or "", data["longitude"] or "")
    visit = VisitInput(
        resident_id=data["resident"],
        house_id=data["house"],
        visited_at=data["visited_at"],
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        photo=photos[0] if photos else None,
        note=data["note"],
        findings=data["findings"],
    )
    now = timezone.now()
    if not data["to_case"]:
        record_visit(worker=user, data=visit, now=now)
        return _("已记录走访")
    _visit, case = record_visit_and_case(
        worker=user, data=visit, category_id=data["category"], description=data["findings"], now=now
    )
    return _("已记录走访，发现问题已转为事件 %(n)s") % {"n": case.number}


def _form_page(
    request: HttpRequest, form: VisitForm, label: str, *, photo_lost: bool = False, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "phone/visit_form.html",
        {"form": form, "label": label, "photo_lost": photo_lost},
        status=status,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
