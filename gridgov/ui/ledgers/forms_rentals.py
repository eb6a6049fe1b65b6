"""Forms of the group-rental rectification pages (群租房整改) and of an idle farmhouse's revitalisation.

They only check the shape of the input; the rules live in ``rentals.domain`` and ``people.revitalisation``,
whose InvalidInput errors the views put next to the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from gridgov.data.rentals.enums import Problem
from gridgov.types import FromDjango
from gridgov.ui.choices import options, set_choices
from gridgov.ui.ledgers.fields import amount_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RectificationForm(forms.Form):
    house = forms.TypedChoiceField(label=gettext_lazy("群租房"), coerce=int)
    rooms = forms.IntegerField(label=gettext_lazy("涉及间数"), min_value=0, max_value=999)
    problems = forms.MultipleChoiceField(
        label=gettext_lazy("存在问题"), choices=Problem.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=gettext_lazy("情况说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("不填则按间数和问题自动生成"),
    )
    found_on = forms.DateField(label=gettext_lazy("发现日期"), widget=DATE)
    department = forms.TypedChoiceField(
        label=gettext_lazy("承办部门"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("不选则交本镇消防安全的处置部门"),
    )

    def __init__(
        self,
        *args: FromDjango,
        houses: list[tuple[int, str]],
        departments: list[tuple[int, str]],
        **kwargs: FromDjango,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "house", options(houses))
        set_choices(self, "department", options(departments))


class RectifyForm(forms.Form):
    measures = forms.CharField(label=gettext_lazy("整改措施"), widget=forms.Textarea(attrs={"rows": 2}))
    rectified_on = forms.DateField(label=gettext_lazy("整改完成日期"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("说明"), required=False)


class AcceptForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("验收意见"), required=False)


class RevitaliseForm(forms.Form):
    revitalised_on = forms.DateField(label=gettext_lazy("盘活日期"), widget=DATE)
    added_income = amount_field(
        gettext_lazy("农户增收（元/年）"), help_text=gettext_lazy("例如 35000 或 3.5万元"), required=True
    )
