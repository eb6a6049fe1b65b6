from django.urls import URLPattern, URLResolver, path, re_path

from gridgov.ui.api import directory, endpoints, figures, ledgers, views
from gridgov.ui.api.api import api, json_not_allowed

assert endpoints  # the endpoints register themselves on ``api``
assert directory
assert figures
assert ledgers

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke, name="revoke_token"),
    path("", views.not_found, {"path": ""}, name="not_found"),  # before ninja's api-root, an HTML 404
    *(
        URLPattern(route.pattern, json_not_allowed(route.callback), route.default_args, route.name)
        if isinstance(route, URLPattern)
        else route
        for route in api.urls[0]
    ),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
