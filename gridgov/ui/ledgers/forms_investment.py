"""Forms of the investment attraction pages (招商引资). They only check the shape of the input; the rules live in
``investment.domain``, whose InvalidInput errors the views put next to the field they name. Amounts are text, read
by the domain as people type them (1.2亿, 3,500万, full-width digits)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.types import FromDjango
from gridgov.ui.choices import options, set_choices
from gridgov.ui.ledgers.fields import amount_field, date_input

DATE = date_input()
AMOUNT_HELP = gettext_lazy("可写12000、3,500万或1.2亿")


class LeadForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("项目名称"), max_length=100, required=False)
    source = forms.ChoiceField(label=gettext_lazy("招商方式"), choices=Source.choices)
    industry = forms.ChoiceField(label=gettext_lazy("产业类别"), choices=Industry.choices)
    lead_on = forms.DateField(label=gettext_lazy("线索日期"), widget=DATE, required=False)
    talks_on = forms.DateField(label=gettext_lazy("洽谈日期"), widget=DATE, required=False)
    signed_on = forms.DateField(label=gettext_lazy("签约日期"), widget=DATE, required=False)
    signed_amount = amount_field(gettext_lazy("签约金额（元）"), help_text=AMOUNT_HELP)
    landed_on = forms.DateField(label=gettext_lazy("落地日期"), widget=DATE, required=False)
    producing_on = forms.DateField(label=gettext_lazy("投产日期"), widget=DATE, required=False)
    major_industrial = forms.BooleanField(label=gettext_lazy("重大产业项目"), required=False)
    enclave = forms.BooleanField(label=gettext_lazy("飞地项目"), required=False)
    enclave_place = forms.CharField(label=gettext_lazy("飞地所在地"), max_length=100, required=False)
    department = forms.ChoiceField(label=gettext_lazy("责任部门"), required=False)
    person = forms.CharField(label=gettext_lazy("责任人"), max_length=32, required=False)
    village = forms.ChoiceField(label=gettext_lazy("所在村"), required=False)
    note = forms.CharField(label=gettext_lazy("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self,
        *args: FromDjango,
        departments: list[tuple[int, str]],
        villages: list[tuple[int, str]],
        **kwargs: FromDjango,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("department", departments), ("village", villages)):
            set_choices(self, name, options(choices))


class LeadEditForm(LeadForm):
    """A lead's facts, corrected; its stages and their days move on the lead's page (``AdvanceForm``)."""

    def __init__(self, *args: FromDjango, **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_on", "talks_on", "signed_on", "landed_on", "producing_on"):
            del self.fields[name]


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("推进到"), choices=Stage.choices)
    on = forms.DateField(label=gettext_lazy("到达日期"), widget=DATE, required=False)
    signed_amount = amount_field(gettext_lazy("签约金额（元）"), help_text=AMOUNT_HELP)


class ArrivalForm(forms.Form):
    year = forms.CharField(label=gettext_lazy("年度"), max_length=8)
    month = forms.CharField(label=gettext_lazy("月份"), max_length=8)
    amount = amount_field(gettext_lazy("到位资金（元）"), help_text=AMOUNT_HELP)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


class EnterpriseForm(forms.Form):
    credit_code = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=32, required=False)
    name = forms.CharField(label=gettext_lazy("企业名称"), max_length=100, required=False)
    registered_on = forms.DateField(label=gettext_lazy("企业注册日期"), widget=DATE, required=False)
