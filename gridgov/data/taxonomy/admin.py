from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from gridgov.data.taxonomy.models import Category, TimeLimit
from gridgov.types import FromDjango


class CategoryForm(forms.ModelForm[Category]):
    class Meta:
        model = Category
        fields = [
            "town",
            "parent",
            "code",
            "name",
            "description",
            "keywords",
            "default_department",
            "default_priority",
            "active",
            "sort_order",
        ]

    def clean(self) -> FromDjango:
        super().clean()
        data = self.cleaned_data
        parent: Category | None = data.get("parent")
        town = data.get("town")
        department = data.get("default_department")
        if parent is not None and parent.parent_id is not None:
            raise forms.ValidationError({"parent": _("分类只有两级：上级必须是大类")})
        if parent is not None and town is not None and parent.town_id != town.pk:
            raise forms.ValidationError({"parent": _("大类必须属于同一乡镇")})
        if department is not None and town is not None and department.town_id != town.pk:
            raise forms.ValidationError({"default_department": _("默认处置部门必须属于同一乡镇")})
        return data


class TimeLimitInline(admin.TabularInline[TimeLimit, Category]):
    model = TimeLimit
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    form = CategoryForm
    list_display = ["code", "name", "parent", "default_department", "default_priority", "active"]
    list_filter = ["town", "active", "default_priority", "parent"]
    search_fields = ["code", "name", "keywords"]
    list_select_related = ["parent", "default_department"]
    inlines = [TimeLimitInline]
