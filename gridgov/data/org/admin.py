from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gridgov.data.errors import InvalidInput
from gridgov.data.org.domain import area_placement, check_area_placement, check_boundary, check_membership_scope
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Enterprise, Membership, SecurityEvent, User
from gridgov.types import FromDjango


class AreaForm(forms.ModelForm[Area]):
    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "case_prefix", "boundary", "sort_order"]

    def clean(self) -> FromDjango:
        super().clean()
        data = self.cleaned_data
        try:
            if "level" in data:
                check_area_placement(level=data["level"], parent=data.get("parent"))
            check_boundary(data.get("boundary"))
        except InvalidInput as error:
            raise forms.ValidationError({error.field or "__all__": error.message}) from None
        return data


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    form = AreaForm
    list_display = ["name", "code", "level", "parent", "path"]
    list_filter = ["level", "town"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Area | None = None) -> list[str]:
        # The code and the place in the tree make up the path every case's scope depends on.
        return ["code", "level", "parent", "path", "town"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Area, form: FromDjango, change: bool) -> None:
        if not change:
            obj.path, obj.town = area_placement(code=obj.code, level=obj.level, parent=obj.parent)
        super().save_model(request, obj, form, change)
        if obj.level == AreaLevel.TOWN and obj.town_id != obj.pk:
            obj.town = obj
            obj.save(update_fields=["town"])


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    fields = ["town", "code", "name", "name_en", "kind", "area", "active", "economic"]
    list_display = ["name", "code", "kind", "town", "area", "economic", "active"]
    list_filter = ["kind", "town", "economic", "active"]
    search_fields = ["name", "code"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    """Enterprises are registered on the ledger pages (credit code checked); here only listed and edited."""

    list_display = ["name", "credit_code", "town", "village", "active"]
    list_filter = ["town", "active"]
    search_fields = ["name", "credit_code"]
    readonly_fields = ["town", "credit_code"]
    raw_id_fields = ["village"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


def _membership_town(membership: Membership) -> Area | None:
    if membership.department is not None:
        return membership.department.town
    if membership.enterprise is not None:
        return membership.enterprise.town
    return membership.area.town if membership.area is not None else None


class MembershipForm(forms.ModelForm[Membership]):
    class Meta:
        model = Membership
        fields = ["user", "role", "area", "department", "enterprise", "active"]

    def clean(self) -> FromDjango:
        super().clean()
        data = self.cleaned_data
        if data.get("role"):
            try:
                check_membership_scope(role=data["role"], area=data.get("area"), department=data.get("department"))
            except InvalidInput as error:
                raise forms.ValidationError({error.field or "__all__": error.message}) from None
            if data.get("enterprise") is not None and data["role"] != Role.ENTERPRISE:
                raise forms.ValidationError({"enterprise": _("只有企业角色可以关联企业")})
        return data


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    form = MembershipForm
    extra = 0
    fields = ["role", "area", "department", "enterprise", "active"]
    raw_id_fields = ["area", "department", "enterprise"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "phone", "is_active", "last_login"]
    search_fields = ["username", "full_name", "phone"]
    inlines = [MembershipInline]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("GridGov"), {"fields": ("full_name", "phone")}))  # type: ignore[misc]  # BaseUserAdmin.fieldsets is typed as possibly None in the stubs; Django defines it

    def save_formset(self, request: HttpRequest, form: FromDjango, formset: FromDjango, change: bool) -> None:
        for membership in formset.save(commit=False):
            membership.town = _membership_town(membership)
            membership.save()
        for membership in formset.deleted_objects:
            membership.delete()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    form = MembershipForm
    list_display = ["user", "role", "area", "department", "enterprise", "active"]
    list_filter = ["role", "active", "town"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user", "area", "department", "enterprise"]

    def save_model(self, request: HttpRequest, obj: Membership, form: FromDjango, change: bool) -> None:
        obj.town = _membership_town(obj)
        super().save_model(request, obj, form, change)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin[SecurityEvent]):
    """Read-only: the security log cannot be edited or deleted from the admin."""

    list_display = ["created_at", "kind", "username", "ip", "user_agent"]
    list_filter = ["kind"]
    search_fields = ["username", "ip"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SecurityEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SecurityEvent | None = None) -> bool:
        return False
