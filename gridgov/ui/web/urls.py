from django.urls import path

from gridgov.ui.web import actions, health, lists, notify_preferences, signin, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("login/", signin.sign_in, name="login"),
    path("login/code/", signin.sign_in_code, name="login_code"),
    path("account/two-factor/", signin.two_factor, name="two_factor"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("triage/", lists.triage, name="triage"),
    path("inbox/", lists.inbox, name="inbox"),
    path("cases/", lists.all_cases, name="cases"),
    path("notifications/", lists.notifications, name="notifications"),
    path("notifications/read/", lists.notifications_read, name="notifications_read"),
    path("notifications/preferences/", notify_preferences.preferences, name="notification_preferences"),
    path("notifications/preferences/switch/", notify_preferences.preference_switch, name="notification_switch"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/act/<str:action>/", actions.case_action, name="case_action"),
    path("cases/<int:case_id>/reveal-contact/", views.case_reveal_contact, name="case_reveal_contact"),
    path("cases/<int:case_id>/files/<int:attachment_id>/", views.case_file, name="case_file"),
]
