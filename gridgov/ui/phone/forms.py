"""Forms of the phone pages. Field names are stable (tests and the desk's end-to-end test use them)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.models import Area
from gridgov.data.org.phones import written_phone
from gridgov.types import FromDjango

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def mobile_number(value: str) -> str:
    """A mainland mobile number as 11 digits ("+86 139-1234-5678" → "13912345678"), or ValidationError."""
    phone = written_phone(value)
    if phone.startswith("+86"):
        phone = phone[3:]
    if not MOBILE.match(phone):
        raise forms.ValidationError(_("请填写 11 位中国大陆手机号码，例如 13800000000"), code="invalid")
    return phone


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.Field):
    """Up to 9 photos, taken or chosen on the phone. The view reads and checks the files themselves;
    the field is here so that errors show next to the photo input."""

    def __init__(self, **kwargs: FromDjango) -> None:
        attrs = {"accept": "image/*", "capture": "environment", "multiple": True}
        super().__init__(required=False, widget=MultiplePhotoInput(attrs=attrs), **kwargs)

    def clean(self, value: FromDjango) -> FromDjango:
        return value


class LocationFields(forms.Form):
    """Category, description, place. Photos are read from request.FILES by the view."""

    category = forms.IntegerField(
        label=_("事件分类"),
        widget=forms.HiddenInput,
        error_messages={"required": _("请选择事件分类"), "invalid": _("请选择事件分类")},
    )
    description = forms.CharField(
        label=_("事件描述"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("发生了什么？例如：路口垃圾桶满溢，已两天未清运")}),
        error_messages={"required": _("请填写事件描述"), "max_length": _("事件描述不能超过 2000 字")},
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    area = forms.TypedChoiceField(label=_("所在村/网格"), required=False, coerce=int, empty_value=None)
    photos = PhotosField(label=_("现场照片（最多 9 张）"))
    address = forms.CharField(
        label=_("详细地址"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("门牌号、路口、地标（选填）")}),
    )

    def __init__(self, *args: FromDjango, areas: list[Area], **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        indent = {"village": "", "grid": "　", "microgrid": "　　"}
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.TypedChoiceField)
        area_field.choices = [("", _("按定位自动判断"))] + [(a.pk, f"{indent.get(a.level, '')}{a.name}") for a in areas]
        area_field.error_messages["invalid_choice"] = _("请从列表中选择村或网格")


class ReportForm(LocationFields):
    """A grid worker's report, optionally resolved on the spot (自行处置)."""

    resolve_on_spot = forms.BooleanField(label=_("已当场处置（自行处置）"), required=False)
    resolution_note = forms.CharField(
        label=_("处置说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如何处置的，例如：已劝离并清理")}),
    )
    after_photos = PhotosField(label=_("处置后照片"))

    def clean(self) -> FromDjango:
        data = super().clean() or {}
        if data.get("resolve_on_spot") and not (data.get("resolution_note") or "").strip():
            self.add_error("resolution_note", _("自行处置需要填写处置说明"))
        return data


class PublicReportForm(LocationFields):
    """A resident's report: no account, a mainland mobile number to follow up, an optional name."""

    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": "13800000000"}),
        error_messages={"required": _("请填写手机号码，便于工作人员联系您")},
    )
    name = forms.CharField(
        label=_("称呼（选填）"), required=False, max_length=32, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def clean_phone(self) -> str:
        return mobile_number(self.cleaned_data["phone"])


class VerifyForm(forms.Form):
    """核查: pass, or fail with the reason (the engine refuses a fail without one)."""

    decision = forms.ChoiceField(
        choices=[("pass", _("核查通过")), ("fail", _("核查不通过"))],
        error_messages={"required": _("请选择核查结果")},
    )
    note = forms.CharField(
        label=_("核查意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("不通过时必须填写原因")}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    photos = PhotosField(label=_("核查照片（选填）"))

    def clean(self) -> FromDjango:
        data = super().clean() or {}
        if data.get("decision") == "fail" and not (data.get("note") or "").strip():
            self.add_error("note", _("核查不通过时请填写原因"))
        return data


class NoteForm(forms.Form):
    """进展备注: what the worker saw or did on a case, with optional photos."""

    note = forms.CharField(
        label=_("进展备注"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("例如：已联系责任人，明天上午清理")}),
        error_messages={"required": _("请填写备注内容"), "max_length": _("备注不能超过 2000 字")},
    )
    photos = PhotosField(label=_("照片（选填）"))


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("事件编号"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "DX2026-000123", "autocapitalize": "characters"}),
        error_messages={"required": _("请填写事件编号")},
    )
    phone = forms.CharField(
        label=_("上报时填写的手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("请填写手机号码")},
    )

    def clean_phone(self) -> str:
        return mobile_number(self.cleaned_data["phone"])
