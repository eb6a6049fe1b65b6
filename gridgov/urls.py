from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from gridgov.ui.phone import offline as phone_offline

admin.site.site_header = _("GridGov 基层智治平台 · 管理后台")
admin.site.site_title = "GridGov"
handler500 = "gridgov.ui.web.errors.server_error"  # our Chinese page with an error id that is in the log

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("gridgov.ui.api.urls")),
    path("open311/", include("gridgov.ui.open311.urls")),
    path("m/", include("gridgov.ui.phone.urls")),
    path("sw.js", phone_offline.service_worker, name="service_worker"),  # the phone's, at the root, scope /m/
    path("dashboard/", include("gridgov.ui.dashboard.urls")),
    path("ledgers/", include("gridgov.ui.ledgers.urls")),
    path("imports/", include("gridgov.ui.imports.urls")),
    path("", include("gridgov.ui.web.urls")),
]
# Uploaded files are never served as plain media: web:case_file checks the case's scope first.
