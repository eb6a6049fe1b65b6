from django.urls import URLPattern, URLResolver, path

from gridgov.ui.phone import offline, public_views, report_views, views, visits

app_name = "phone"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("report/", report_views.report, name="report"),
    path("verify/", views.verify_list, name="verify_list"),
    path("mine/", views.mine, name="mine"),
    path("categories/", report_views.categories, name="categories"),
    path("locate/", report_views.locate, name="locate"),
    path("map.geojson", report_views.town_map, name="town_map"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/verify/", views.verify, name="verify"),
    path("cases/<int:case_id>/note/", views.note, name="note"),
    path("outbox/", offline.outbox_page, name="outbox"),
    path("offline/data/", offline.offline_data, name="offline_data"),
    path("offline/session/", offline.session, name="offline_session"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("cases/<int:case_id>/photos/<int:attachment_id>/<str:size>/", views.photo, name="photo"),
    path("public/report/", public_views.public_report, name="public_report"),
    path("public/done/<str:number>/", public_views.public_done, name="public_done"),
    path("public/case/<str:number>/", public_views.public_case, name="public_case"),
    path("public/case/<str:number>/photos/<int:attachment_id>/", public_views.public_photo, name="public_photo"),
    path("public/lookup/", public_views.public_lookup, name="public_lookup"),
    path("visits/", visits.due, name="visits"),
    path("visits/new/", visits.record, name="visit_record"),
]
