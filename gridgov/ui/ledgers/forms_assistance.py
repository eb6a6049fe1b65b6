"""Forms of the assistance pages (救助帮扶). They only check the shape of the input; the rules live in
``assistance.domain``, whose InvalidInput errors the views put next to the field they name. People are given by
their household's 户号 or an ID number (the register finds it by its digest), never chosen from a list of names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from gridgov.data.assistance.enums import PaymentKind
from gridgov.types import FromDjango
from gridgov.ui.choices import options, set_choices
from gridgov.ui.ledgers.fields import amount_field, date_input

DATE = date_input()


class DepartmentForm(forms.Form):
    """A record form whose ``department`` (declared by each form, with its own label and place) chooses among the
    town's departments, given by the view."""

    def __init__(self, *args: FromDjango, departments: list[tuple[int, str]], **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "department", options(departments))


class PaymentForm(DepartmentForm):
    household = forms.CharField(
        label=gettext_lazy("户号或户主身份证号"), max_length=32, required=False, help_text=gettext_lazy("人员库中的户")
    )
    person = forms.CharField(
        label=gettext_lazy("发放对象身份证号"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("发给户中某人的填写，须为该户成员"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=PaymentKind.choices)
    amount = amount_field(gettext_lazy("金额（元）"), help_text=gettext_lazy("可写1200、1,200或1.2万"))
    paid_on = forms.DateField(label=gettext_lazy("发放日期"), widget=DATE, required=False)
    source = forms.CharField(label=gettext_lazy("资金来源"), max_length=64, required=False)
    department = forms.ChoiceField(label=gettext_lazy("发放部门"), required=False)
    note = forms.CharField(label=gettext_lazy("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CardForm(DepartmentForm):
    person = forms.CharField(label=gettext_lazy("身份证号"), max_length=32, required=False)
    applied_on = forms.DateField(label=gettext_lazy("申请日期"), widget=DATE, required=False)
    department = forms.ChoiceField(label=gettext_lazy("经办部门"), required=False)
    note = forms.CharField(label=gettext_lazy("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=pgettext_lazy("card", "发放日期"), widget=DATE, required=False)
    number = forms.CharField(label=gettext_lazy("证号"), max_length=32, required=False)


class DayCareForm(DepartmentForm):
    person = forms.CharField(label=gettext_lazy("身份证号"), max_length=32, required=False)
    day = forms.DateField(label=gettext_lazy("日期"), widget=DATE, required=False)
    provider = forms.CharField(label=gettext_lazy("照料机构"), max_length=64, required=False)
    department = forms.ChoiceField(label=gettext_lazy("主管部门"), required=False)
