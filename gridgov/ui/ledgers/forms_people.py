"""Forms of the people register's pages (实有人口、实有房屋).

They only check the shape of the input; the rules (an address once per town, the ID number's check digit, one
head per household…) live in ``people.domain``, whose InvalidInput errors the views put beside the field named.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from gridgov.data.people.enums import HouseUse, Relation, ResidentKind, Sex
from gridgov.types import FromDjango
from gridgov.ui.choices import options, set_choices

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what <input type="date"> reads


class HouseForm(forms.Form):
    village = forms.ChoiceField(label=gettext_lazy("村/社区"))
    grid = forms.ChoiceField(label=gettext_lazy("网格"), required=False)
    address = forms.CharField(label=gettext_lazy("标准地址"), max_length=200)
    use = forms.ChoiceField(label=gettext_lazy("用途"), choices=HouseUse.choices, initial=HouseUse.OWN)
    # The range is the domain's (houses.check_rooms_and_point), said in its words beside the field, as an import's.
    rooms = forms.IntegerField(label=gettext_lazy("间数"), initial=1, widget=forms.NumberInput(attrs={"min": 1}))
    latitude = forms.DecimalField(label=gettext_lazy("纬度"), required=False, max_digits=12, decimal_places=8)
    longitude = forms.DecimalField(label=gettext_lazy("经度"), required=False, max_digits=12, decimal_places=8)
    note = forms.CharField(label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: FromDjango, villages: list[tuple[int, str]], grids: list[tuple[int, str]], **kwargs: FromDjango
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "village", options(villages))
        set_choices(self, "grid", options(grids))


class HouseholdForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("户号"), max_length=32, required=False)
    note = forms.CharField(label=gettext_lazy("备注"), required=False, max_length=2000)


class ResidentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=64)
    id_number = forms.CharField(label=gettext_lazy("证件号码"), max_length=40, required=False)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=32, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("人口类型"), choices=ResidentKind.choices)
    relation = forms.ChoiceField(label=gettext_lazy("与户主关系"), choices=Relation.choices, initial=Relation.OTHER)
    birth_date = forms.DateField(
        label=gettext_lazy("出生日期"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("有身份证号时由号码读出，无需填写"),
    )
    sex = forms.ChoiceField(label=gettext_lazy("性别"), choices=Sex.choices, required=False)


class JoinGroupForm(forms.Form):
    group = forms.ChoiceField(label=gettext_lazy("人员类别"))
    since = forms.DateField(label=gettext_lazy("纳管日期"), widget=DATE_INPUT)
    note = forms.CharField(label=gettext_lazy("备注"), required=False, max_length=2000)

    def __init__(self, *args: FromDjango, groups: list[tuple[int, str]], **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "group", options(groups))


class DayForm(forms.Form):
    """One date: a move out (迁出日期, the form shown), or a membership's end (its own small form in each row)."""

    day = forms.DateField(label=gettext_lazy("迁出日期"), widget=DATE_INPUT)


class ResidentEditForm(forms.Form):
    """A resident's change: the name, ID number and phone are never written back into the page (that would be an
    unlogged unmasking): each field shows the masked value as its placeholder, and left blank keeps it."""

    name = forms.CharField(label=gettext_lazy("姓名"), max_length=64, required=False)
    id_number = forms.CharField(label=gettext_lazy("证件号码"), max_length=40, required=False)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=32, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("人口类型"), choices=ResidentKind.choices)
    relation = forms.ChoiceField(label=gettext_lazy("与户主关系"), choices=Relation.choices)

    def __init__(self, *args: FromDjango, masked: dict[str, str], **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        for name, shown in masked.items():
            self.fields[name].widget.attrs["placeholder"] = shown
            self.fields[name].help_text = gettext_lazy("留空则不变")
