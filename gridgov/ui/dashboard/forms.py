"""Forms of the dashboard pages. Domain functions do the checking; forms only shape the input."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.data.reports.enums import Accumulation, Frequency, IndicatorKind
from gridgov.data.reports.models import IndicatorDefinition


def _this_year() -> int:
    return timezone.localdate().year


class IndicatorDefinitionForm(forms.Form):
    code = forms.CharField(label=_("编码"), max_length=32)
    name = forms.CharField(label=_("指标名称"), max_length=64)
    unit = forms.CharField(label=_("单位"), max_length=16)
    kind = forms.ChoiceField(label=_("类别"), choices=IndicatorKind.choices, initial=IndicatorKind.INDUSTRY)
    frequency = forms.ChoiceField(label=_("填报频次"), choices=Frequency.choices, initial=Frequency.MONTHLY)
    accumulation = forms.ChoiceField(label=_("数值口径"), choices=Accumulation.choices, initial=Accumulation.PERIOD)


class _IndicatorChoiceForm(forms.Form):
    indicator = forms.TypedChoiceField(label=_("指标"), coerce=int)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=_this_year)

    def __init__(self, *args: object, indicators: list[IndicatorDefinition], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # forwarded unchanged to Form.__init__, whose parameters are typed one by one
        field = self.fields["indicator"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(d.pk, str(d)) for d in indicators]


class TargetForm(_IndicatorChoiceForm):
    value = forms.CharField(label=_("年度目标值"), max_length=32)


class ActualForm(_IndicatorChoiceForm):
    period = forms.IntegerField(label=_("月份/季度"), min_value=1, max_value=12)
    value = forms.CharField(label=_("实际值"), max_length=32)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
