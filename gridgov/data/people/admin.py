"""The town's key and care groups (重点人员 / 关爱对象) in the admin: each group's visit frequency, responsible
department, whether it is sensitive and whether it is in use. Houses and residents are not here: personal data
is read and written only through the register's pages, masked and logged."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from gridgov.data.people.models import PersonGroup
from gridgov.types import FromDjango


class PersonGroupForm(forms.ModelForm[PersonGroup]):
    class Meta:
        model = PersonGroup
        fields = ["town", "code", "name", "name_en", "kind", "sensitive", "department", "visit_every_days", "active"]

    def clean(self) -> FromDjango:
        super().clean()
        data = self.cleaned_data
        town, department = data.get("town"), data.get("department")
        if department is not None and town is not None and department.town_id != town.pk:
            raise forms.ValidationError({"department": _("责任部门必须属于同一乡镇")})
        return data


@admin.register(PersonGroup)
class PersonGroupAdmin(admin.ModelAdmin[PersonGroup]):
    form = PersonGroupForm
    list_display = ["name", "kind", "sensitive", "department", "visit_every_days", "active", "sort_order"]
    list_editable = ["visit_every_days", "active", "sort_order"]
    list_filter = ["town", "kind", "sensitive", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["department"]
