"""The entry form of the village collective economy (村级集体经济). It only checks the input's shape; the rules
(the month not yet come, the amount as people type it) live in ``collective.domain``, whose InvalidInput errors the
view puts next to the field they name."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.types import FromDjango
from gridgov.ui.choices import options, set_choices
from gridgov.ui.ledgers.fields import amount_field, date_input

MONTHS = [(str(m), format_lazy(gettext_lazy("{}月"), m)) for m in range(1, 13)]


class IncomeForm(forms.Form):
    month = forms.ChoiceField(label=gettext_lazy("月份"), choices=MONTHS)
    kind = forms.ChoiceField(label=gettext_lazy("收入类型"), choices=IncomeKind.choices)
    amount = amount_field(
        gettext_lazy("金额（元）"), help_text=gettext_lazy("可写120000、120,000或12万；同月同类型再次登记即为更正")
    )
    note = forms.CharField(label=gettext_lazy("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SupportForm(forms.Form):
    """A 村企结对 or 共富工坊 record; the villages (those the user records for) and the town's enterprises are given by
    the view."""

    village = forms.ChoiceField(label=gettext_lazy("村"))
    kind = forms.ChoiceField(label=gettext_lazy("助农类型"), choices=SupportKind.choices)
    enterprise = forms.ChoiceField(label=gettext_lazy("企业"), required=False)
    partner = forms.CharField(
        label=gettext_lazy("结对单位"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("企业不在本镇企业库中时填写名称"),
    )
    amount = amount_field(gettext_lazy("帮扶金额（元）"), help_text=gettext_lazy("可写50000或5万"))
    people = forms.CharField(label=gettext_lazy("带动就业或受益人数"), max_length=16, required=False)
    on = forms.DateField(label=gettext_lazy("日期"), widget=date_input(), required=False)
    note = forms.CharField(label=gettext_lazy("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self,
        *args: FromDjango,
        villages: list[tuple[int, str]],
        enterprises: list[tuple[int, str]],
        **kwargs: FromDjango,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "village", [(str(pk), name) for pk, name in villages])
        set_choices(self, "enterprise", options(enterprises))
