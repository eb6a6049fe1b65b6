from django.urls import URLPattern, URLResolver, path

from gridgov.ui.api import directory, endpoints, figures, ledgers, views
from gridgov.ui.api.api import api

assert endpoints  # the endpoints register themselves on ``api``
assert directory
assert figures
assert ledgers

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke, name="revoke_token"),
    *api.urls[0],
]
