"""Forms of the key projects' pages (重点项目). They only check the shape of the input; the rules live in
``projects.domain``, whose InvalidInput errors the views put next to the field they name. Amounts are typed as
people type them (250万, 1.2亿, 3,500万)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from gridgov.data.projects.enums import ProjectType
from gridgov.types import FromDjango
from gridgov.ui.choices import options, set_choices
from gridgov.ui.ledgers.fields import amount_field, date_input

DATE = date_input()
AMOUNT_HELP = gettext_lazy("可写250万、1.2亿或3,500,000")


class ProjectForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("项目名称"), max_length=120)
    type = forms.ChoiceField(label=gettext_lazy("项目类型"), choices=ProjectType.choices)
    group = forms.ChoiceField(label=gettext_lazy("项目群"), required=False)
    department = forms.ChoiceField(label=gettext_lazy("责任部门"))
    owner_name = forms.CharField(label=gettext_lazy("责任人"), max_length=32, required=False)
    village = forms.ChoiceField(label=gettext_lazy("所在村"), required=False)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    total_investment = amount_field(gettext_lazy("计划总投资（元）"), help_text=AMOUNT_HELP)
    year_investment = amount_field(gettext_lazy("年度计划投资（元）"), help_text=AMOUNT_HELP)
    quantity = forms.CharField(label=gettext_lazy("工程量"), max_length=32, required=False)
    unit = forms.CharField(label=gettext_lazy("单位"), max_length=8, required=False)
    start_on = forms.DateField(label=gettext_lazy("计划开始日期（立项）"), widget=DATE)
    finish_on = forms.DateField(label=gettext_lazy("计划投用日期"), widget=DATE)

    def __init__(
        self,
        *args: FromDjango,
        groups: list[tuple[int, str]],
        departments: list[tuple[int, str]],
        villages: list[tuple[int, str]],
        **kwargs: FromDjango,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("group", groups), ("department", departments), ("village", villages)):
            set_choices(self, name, options(choices))


class PhotosInput(forms.FileInput):
    """A file input that takes several photos (the view reads them from ``request.FILES`` and the domain checks
    them by content)."""

    allow_multiple_selected = True


class ProgressForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("月份"), min_value=1, max_value=12)
    investment = amount_field(gettext_lazy("当月完成投资（元）"), help_text=AMOUNT_HELP)
    note = forms.CharField(label=gettext_lazy("进展说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photos = forms.Field(
        label=gettext_lazy("工地现场照片"),
        required=False,
        widget=PhotosInput(attrs={"accept": "image/*", "multiple": True}),
        help_text=gettext_lazy("最多9张，JPEG、PNG、WEBP或GIF"),
    )


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=gettext_lazy("完成日期"), widget=DATE, required=False)


class MilestonesForm(forms.Form):
    lines = forms.CharField(
        label=gettext_lazy("项目节点"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=2000,
        help_text=gettext_lazy("每行一个节点：名称和计划日期，如“开工 2026年3月1日”，按时间先后排列"),
    )
