from django.contrib import admin

from gridgov.data.taxonomy.models import Category, TimeLimit


class TimeLimitInline(admin.TabularInline[TimeLimit, Category]):
    model = TimeLimit
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["code", "name", "parent", "default_department", "default_priority", "active"]
    list_filter = ["town", "active", "default_priority", "parent"]
    search_fields = ["code", "name", "keywords"]
    list_select_related = ["parent", "default_department"]
    inlines = [TimeLimitInline]
