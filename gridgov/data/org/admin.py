from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.models import Area, Department, Membership, User


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "code", "level", "parent", "path"]
    list_filter = ["level", "town"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "town"]
    raw_id_fields = ["parent"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "code", "kind", "town", "area", "active"]
    list_filter = ["kind", "town", "active"]
    search_fields = ["name", "code"]


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    raw_id_fields = ["area", "department", "town"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "phone", "is_active", "last_login"]
    search_fields = ["username", "full_name", "phone"]
    inlines = [MembershipInline]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("GridGov"), {"fields": ("full_name", "phone")}))  # type: ignore[misc]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "area", "department", "active"]
    list_filter = ["role", "active", "town"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user", "area", "department", "town"]
