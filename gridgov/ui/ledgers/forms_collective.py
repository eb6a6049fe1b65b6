"""The entry form of the village collective economy (村级集体经济). It only checks the input's shape; the rules
(the month not yet come, the amount as people type it) live in ``collective.domain``, whose InvalidInput errors the
view puts next to the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from gridgov.data.collective.enums import IncomeKind

MONTHS = [(str(m), f"{m}月") for m in range(1, 13)]


class IncomeForm(forms.Form):
    month = forms.ChoiceField(label=gettext_lazy("月份"), choices=MONTHS)
    kind = forms.ChoiceField(label=gettext_lazy("收入类型"), choices=IncomeKind.choices)
    amount = forms.CharField(
        label=gettext_lazy("金额（元）"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("可写120000、120,000或12万；同月同类型再次登记即为更正"),
    )
    note = forms.CharField(label=gettext_lazy("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
