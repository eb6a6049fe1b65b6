"""Forms of the web pages. Validation messages are Chinese first."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.deadlines import limit_unit
from gridgov.data.cases.domain.queries import SORT_LABELS
from gridgov.data.cases.enums import Action, Channel, Lamp, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.transitions import Need, Transition
from gridgov.data.org.lockout import lock_for_request
from gridgov.data.org.models import Department, User
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.taxonomy.models import Category
from gridgov.types import FromDjango
from gridgov.ui.choices import set_choices


def locked_message(until: datetime) -> str:
    return _("连续登录失败次数过多，账号已暂时锁定，请于 %(time)s 后再试") % {
        "time": timezone.localtime(until).strftime("%H:%M")
    }


class SignInForm(AuthenticationForm):
    """Django's sign-in form (through django-axes), saying plainly when sign-in is locked after repeated failures."""

    def clean(self) -> FromDjango:
        username = self.cleaned_data.get("username")
        try:
            return super().clean()
        except forms.ValidationError:
            if username and self.request is not None:
                lock = lock_for_request(self.request, username)
                if lock is not None:
                    raise forms.ValidationError(locked_message(lock.until), code="locked") from None
            raise


# ---------------------------------------------------------------------------------------------------
# Case actions: one form, its fields derived from what the transition needs.


class HandlerField(forms.ModelChoiceField[User]):
    """A handler to name, shown with their unit: 张三（综合执法队）."""

    def __init__(self, *args: FromDjango, units: dict[int, str], **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        self.units = units

    def label_from_instance(self, obj: User) -> str:
        unit = self.units.get(obj.pk)
        return f"{obj}（{unit}）" if unit else str(obj)


class ActionForm(forms.Form):
    """The form of one workflow action on one case. Fields appear only when the action uses them."""

    # The photos are not a form field (they come from the upload input): their refusal, said beside it.
    photo_error: str = ""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("意见/说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: FromDjango,
        transition: Transition,
        case: Case,
        departments: QuerySet[Department] | None = None,
        handlers: QuerySet[User] | None = None,
        handler_units: dict[int, str] | None = None,
        categories: QuerySet[Category] | None = None,
        duplicates: list[tuple[int, str]] | None = None,
        **kwargs: FromDjango,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.transition = transition
        needs = transition.needs
        action = transition.action
        self.fields["note"].required = Need.NOTE in needs
        self.fields["note"].error_messages["required"] = _("请填写意见或说明")
        if action in (Action.SIGN, Action.REGISTER, Action.APPROVE_EXTENSION, Action.VERIFY_PASS, Action.RESUME):
            self.fields["note"].label = gettext_lazy("备注（选填）")
        if Need.DEPARTMENT in needs and departments is not None:
            self.fields["department"] = forms.ModelChoiceField(
                label=gettext_lazy("处置部门"), queryset=departments, empty_label=gettext_lazy("请选择部门")
            )
            self.fields["handler"] = HandlerField(
                label=gettext_lazy("指定处置人（选填）"),
                queryset=handlers,
                required=False,
                empty_label=gettext_lazy("不指定"),
                units=handler_units or {},
            )
            if case.category.default_department_id and not self.is_bound:
                self.initial.setdefault("department", case.category.default_department_id)
        if (Need.RECLASSIFICATION in needs or action == Action.REGISTER) and categories is not None:
            self.fields["category"] = forms.ModelChoiceField(
                label=gettext_lazy("分类"), queryset=categories, required=False, empty_label=gettext_lazy("不变")
            )
            self.fields["priority"] = forms.ChoiceField(
                label=gettext_lazy("紧急程度"), choices=[("", gettext_lazy("不变")), *Priority.choices], required=False
            )
            if not self.is_bound:
                self.initial.setdefault("category", case.category_id)
                self.initial.setdefault("priority", case.priority)
        if Need.EXTENSION in needs:
            handle_unit = limit_unit(case, "handle")
            unit = handle_unit.label if handle_unit is not None else ""
            wanted = _("请填写延期时长（1–365）")  # the engine's words: empty, not a number or out of range alike
            self.fields["extension"] = forms.IntegerField(
                label=_("延期时长（%(unit)s）") % {"unit": unit},
                min_value=1,
                max_value=365,
                error_messages={"required": wanted, "invalid": wanted, "min_value": wanted, "max_value": wanted},
            )
        if Need.RATING in needs:
            # No rating is preselected: a select that opened on 满意 recorded 满意 for whoever only pressed 确认.
            self.fields["rating"] = forms.ChoiceField(
                label=gettext_lazy("满意度"),
                choices=[("", gettext_lazy("请选择满意度")), *Satisfaction.choices],
                error_messages={"required": gettext_lazy("请选择满意度")},
            )
        if action == Action.REJECT:
            self.fields["duplicate_of"] = forms.TypedChoiceField(
                label=gettext_lazy("重复于（选填，附近相似的未结事件）"),
                choices=[("", gettext_lazy("不是重复事件")), *(duplicates or [])],
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.wants_photos = Need.PHOTO in needs

    def clean_note(self) -> str:
        note: str = self.cleaned_data.get("note", "").strip()
        if self.fields["note"].required and not note:
            raise forms.ValidationError(_("请填写意见或说明"), code="required")
        return note


class PasswordForm(PasswordChangeForm):
    """Django's password change: old password, new twice, the configured validators (Chinese messages)."""


class ListForm(forms.Form):
    """The filters of a case list; every field optional, bad values ignored with a message."""

    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=100)
    status = forms.MultipleChoiceField(
        label=gettext_lazy("状态"), choices=Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    category = forms.TypedChoiceField(label=gettext_lazy("分类"), required=False, coerce=int, empty_value=None)
    village = forms.TypedChoiceField(label=gettext_lazy("村/社区"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(
        label=gettext_lazy("来源渠道"), choices=[("", gettext_lazy("全部")), *Channel.choices], required=False
    )
    lamp = forms.ChoiceField(
        label=gettext_lazy("期限"),
        choices=[("", gettext_lazy("全部")), *[(v, lbl) for v, lbl in Lamp.choices]],
        required=False,
    )
    sort = forms.ChoiceField(label=gettext_lazy("排序"), choices=list(SORT_LABELS.items()), required=False)
    extension = forms.BooleanField(label=gettext_lazy("仅看延期待批"), required=False)

    def __init__(
        self,
        *args: FromDjango,
        categories: list[tuple[int, str]],
        villages: list[tuple[int, str]],
        **kwargs: FromDjango,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", [("", _("全部")), *categories])
        set_choices(self, "village", [("", _("全部")), *villages])
