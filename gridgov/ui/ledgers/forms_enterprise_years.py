"""Forms of the enterprises' yearly figures (企业年度数据) and of the 低效企业整治 list. They only check the
shape of the input; the rules live in ``enterprises.domain.yearly``, whose InvalidInput errors the views put
next to the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.ui.ledgers.fields import amount_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


class EnterpriseYearForm(forms.Form):
    year = forms.CharField(label=gettext_lazy("年度"), max_length=8)
    above_scale = forms.BooleanField(label=gettext_lazy("规上企业"), required=False)
    above_scale_since = forms.CharField(
        label=gettext_lazy("首次进入规上年度"),
        max_length=8,
        required=False,
        help_text=gettext_lazy("不填则沿用上一年度；上一年度非规上则为本年度（计为新增规上企业）"),
    )
    key = forms.BooleanField(label=gettext_lazy("重点企业"), required=False)
    fixed_investment = amount_field(gettext_lazy("固定资产投资（元）"))
    land_mu = forms.CharField(label=gettext_lazy("用地面积（亩）"), max_length=32, required=False)
    tax = amount_field(gettext_lazy("税收（元）"))
    output = amount_field(gettext_lazy("产值（元）"))
    low_efficiency = forms.BooleanField(label=gettext_lazy("低效企业"), required=False)
    rectification = forms.ChoiceField(
        label=gettext_lazy("整治状态"), choices=[*BLANK, *Rectification.choices], required=False
    )
    rectified_on = forms.DateField(label=gettext_lazy("整治日期"), widget=DATE, required=False)
    measure = forms.ChoiceField(label=gettext_lazy("整治措施"), choices=[*BLANK, *Measure.choices], required=False)
    note = forms.CharField(label=gettext_lazy("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RectificationForm(forms.Form):
    rectification = forms.ChoiceField(label=gettext_lazy("整治状态"), choices=Rectification.choices)
    rectified_on = forms.DateField(label=gettext_lazy("整治日期"), widget=DATE, required=False)
    measure = forms.ChoiceField(label=gettext_lazy("整治措施"), choices=[*BLANK, *Measure.choices], required=False)


class ThresholdForm(forms.Form):
    tax_per_mu = amount_field(gettext_lazy("亩均税收门槛（元/亩）"), required=True)
