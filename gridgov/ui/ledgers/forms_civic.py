"""Forms of the civic ledger pages (inspections, problem lists, petitions and disputes).

They only check the shape of the input; the rules live in the domain functions, whose InvalidInput errors
the views put next to the field they name.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.disputes.enums import DisputeType, Level, Method, Outcome, PartyKind
from gridgov.data.errors import InvalidInput
from gridgov.data.inspections.domain import ItemSpec, parse_points
from gridgov.data.problemlists.enums import Source
from gridgov.types import FromDjango
from gridgov.ui.choices import CHOOSE, options, set_choices
from gridgov.ui.ledgers.fields import date_input


class RoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("督查名称"), max_length=120)
    bulletin_title = forms.CharField(label=gettext_lazy("通报名称"), max_length=40, initial="创城督查通报")
    start_date = forms.DateField(label=gettext_lazy("开始日期"), widget=date_input())
    end_date = forms.DateField(label=gettext_lazy("结束日期"), widget=date_input())
    inspectors = forms.MultipleChoiceField(label=gettext_lazy("督查人员"), widget=forms.CheckboxSelectMultiple)
    items = forms.CharField(
        label=gettext_lazy("检查项目"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("每行一项：编号 名称 扣分，例如“A01 暴露垃圾 2”"),
    )

    def __init__(self, *args: FromDjango, inspectors: list[tuple[int, str]], **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "inspectors", [(str(pk), name) for pk, name in inspectors])

    def clean_items(self) -> list[ItemSpec]:
        specs = []
        for number, line in enumerate(str(self.cleaned_data["items"]).splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 3:
                raise forms.ValidationError(_("第%(n)s行应为“编号 名称 扣分”") % {"n": number})
            try:
                points = parse_points(parts[-1])
            except InvalidInput as error:
                raise forms.ValidationError(_("第%(n)s行：%(e)s") % {"n": number, "e": error.message}) from None
            specs.append(ItemSpec(parts[0], " ".join(parts[1:-1]), points))
        if not specs:
            raise forms.ValidationError(_("请至少设置一个检查项目"))
        return specs

    def clean(self) -> FromDjango:
        data = super().clean() or {}
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("结束日期不能早于开始日期"))
        return data


class ProblemForm(forms.Form):
    """The phone form an inspector fills at the spot."""

    item = forms.ChoiceField(label=gettext_lazy("检查项目"))
    area = forms.ChoiceField(label=gettext_lazy("村（社区）/网格"))
    spot = forms.CharField(label=gettext_lazy("点位"), max_length=120)
    description = forms.CharField(label=gettext_lazy("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = forms.FileField(
        label=gettext_lazy("现场照片"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6)

    def __init__(
        self, *args: FromDjango, items: list[tuple[int, str]], areas: list[tuple[int, str]], **kwargs: FromDjango
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "item", options(items))
        set_choices(self, "area", options(areas))


class ItemForm(forms.Form):
    problem_list = forms.ChoiceField(label=gettext_lazy("所属清单"))
    description = forms.CharField(label=gettext_lazy("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=gettext_lazy("问题来源"), choices=CHOOSE + list(Source.choices))
    department = forms.ChoiceField(label=gettext_lazy("责任单位"))
    responsible_person = forms.CharField(label=gettext_lazy("责任人"), max_length=32)
    plan = forms.CharField(label=gettext_lazy("整改方案"), widget=forms.Textarea(attrs={"rows": 3}))
    found_on = forms.DateField(label=gettext_lazy("发现日期"), widget=date_input())
    deadline = forms.DateField(label=gettext_lazy("整改时限"), widget=date_input())

    def __init__(
        self, *args: FromDjango, lists: list[tuple[int, str]], departments: list[tuple[int, str]], **kwargs: FromDjango
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "problem_list", options(lists))
        set_choices(self, "department", options(departments))


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))


class DisputeForm(forms.Form):
    type = forms.ChoiceField(label=gettext_lazy("类型"), choices=CHOOSE + list(DisputeType.choices))
    description = forms.CharField(label=gettext_lazy("事由"), widget=forms.Textarea(attrs={"rows": 3}))
    party_name = forms.CharField(label=gettext_lazy("当事人"), max_length=64)
    party_kind = forms.ChoiceField(
        label=gettext_lazy("当事人类型"),
        choices=[("", gettext_lazy("按名称判断")), *PartyKind.choices],
        required=False,
        help_text=gettext_lazy("个人的姓名、电话、证件号码脱敏显示；单位（公司、合作社等）显示名称"),
    )
    party_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=20, required=False)
    party_id_number = forms.CharField(
        label=gettext_lazy("证件号码"),
        max_length=40,  # as typed, spaces and dashes too: the number's own length is checked once cleaned
        required=False,
        help_text=gettext_lazy("个人填写身份证号，单位填写18位统一社会信用代码"),
    )
    level = forms.ChoiceField(label=gettext_lazy("层级"), choices=list(Level.choices), initial=Level.TOWN)
    amount = forms.DecimalField(
        label=gettext_lazy("涉及金额（元）"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        error_messages={"min_value": gettext_lazy("涉及金额不能为负数")},
    )
    backlog = forms.BooleanField(label=gettext_lazy("积案"), required=False)
    received_on = forms.DateField(label=gettext_lazy("受理日期"), widget=date_input())
    department = forms.ChoiceField(label=gettext_lazy("承办单位"))
    area = forms.ChoiceField(label=gettext_lazy("所在村"), required=False)

    def __init__(
        self, *args: FromDjango, departments: list[tuple[int, str]], areas: list[tuple[int, str]], **kwargs: FromDjango
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "department", options(departments))
        set_choices(self, "area", options(areas))


class MediationForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("调处方式"), choices=CHOOSE + list(Method.choices))
    outcome = forms.ChoiceField(label=gettext_lazy("调处结果"), choices=CHOOSE + list(Outcome.choices))
    note = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
