"""Forms of the enterprise ledger pages (enterprises, hazards, service requests, meetings).

They only check the shape of the input; the rules live in the domain functions, whose InvalidInput errors
the views put next to the field they name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.org.models import Area, Enterprise
from gridgov.data.taxonomy.models import Category
from gridgov.types import FromDjango

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("企业名称"), max_length=100)
    credit_code = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=30)
    village = forms.ModelChoiceField(label=gettext_lazy("所在村/社区"), queryset=Area.objects.none(), required=False)
    address = forms.CharField(label=gettext_lazy("地址"), max_length=255, required=False)
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=20, required=False)

    def __init__(self, *args: FromDjango, villages: FromDjango, **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]  # fields[...] is typed Field; this one is a ModelChoiceField


class HazardForm(forms.Form):
    """The self-check form (phone) — enterprise and book are fixed for enterprise users."""

    enterprise = forms.ModelChoiceField(label=gettext_lazy("企业"), queryset=Enterprise.objects.none())
    book = forms.ChoiceField(label=gettext_lazy("台账"), choices=Book.choices, initial=Book.SELF)
    grade = forms.ChoiceField(label=gettext_lazy("隐患等级"), choices=Grade.choices, initial=Grade.GENERAL)
    category = forms.ModelChoiceField(label=gettext_lazy("隐患类别"), queryset=Category.objects.none())
    location = forms.CharField(label=gettext_lazy("隐患部位"), max_length=120)
    description = forms.CharField(label=gettext_lazy("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}))
    found_on = forms.DateField(label=gettext_lazy("发现日期"), widget=DATE)
    responsible = forms.CharField(label=gettext_lazy("整改责任人"), max_length=64, required=False)
    deadline = forms.DateField(
        label=gettext_lazy("整改期限"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("不填则按隐患类别时限自动计算（重大隐患更短）"),
    )
    measures = forms.CharField(label=gettext_lazy("整改措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    funds = forms.CharField(label=gettext_lazy("整改资金（元）"), required=False)

    def __init__(
        self, *args: FromDjango, enterprises: FromDjango, categories: FromDjango, fixed: bool, **kwargs: FromDjango
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]  # fields[...] is typed Field; this one is a ModelChoiceField
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]  # fields[...] is typed Field; this one is a ModelChoiceField
        self.fields["category"].label_from_instance = lambda c: c.local_name  # type: ignore[attr-defined]  # fields[...] is typed Field; this one is a ModelChoiceField
        if fixed:  # an enterprise user: own company, own self-check book
            del self.fields["enterprise"]
            del self.fields["book"]


class RectifyForm(forms.Form):
    measures = forms.CharField(label=gettext_lazy("整改措施"), widget=forms.Textarea(attrs={"rows": 2}))
    funds = forms.CharField(label=gettext_lazy("整改资金（元）"), required=False)
    rectified_on = forms.DateField(label=gettext_lazy("整改完成日期"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("说明"), required=False)


class AcceptForm(forms.Form):
    acceptor = forms.CharField(label=gettext_lazy("验收人"), max_length=64)
    accepted_on = forms.DateField(label=gettext_lazy("验收日期"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("验收意见"), required=False)


class ServiceRequestForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=gettext_lazy("企业"), queryset=Enterprise.objects.none())
    request_type = forms.ChoiceField(label=gettext_lazy("诉求类型"), choices=RequestType.choices)
    description = forms.CharField(label=gettext_lazy("诉求内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: FromDjango, enterprises: FromDjango, fixed: bool, **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]  # fields[...] is typed Field; this one is a ModelChoiceField
        if fixed:
            del self.fields["enterprise"]


class MeetingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("名称"), max_length=120, required=False)
    held_on = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=120, required=False)
    attendees = forms.CharField(
        label=gettext_lazy("参会人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=gettext_lazy("参会企业"), queryset=Enterprise.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=gettext_lazy("会议纪要"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: FromDjango, enterprises: FromDjango, **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = enterprises  # type: ignore[attr-defined]  # fields[...] is typed Field; this one is a ModelMultipleChoiceField
