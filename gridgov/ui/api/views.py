"""The user's API token page: list, create (the secret is shown once), revoke; and the JSON 404 of any other path."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gridgov.data.access.tokens import create_token, revoke_token, user_tokens
from gridgov.data.errors import DomainError
from gridgov.ui.api.api import error_response
from gridgov.ui.signed_in import is_htmx, signed_in_user


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context: dict[str, object] = {"secret": None, "error": None, "name": ""}
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            issued = create_token(user=user, name=name)
        except DomainError as error:
            context.update(error=error.message, name=name)
            status = 422
        else:
            context.update(secret=issued.secret, created=issued.record)
    context["tokens"] = list(user_tokens(user))
    context["now"] = timezone.now()
    template = "api/tokens.html#token_list" if is_htmx(request) else "api/tokens.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        revoke_token(user=signed_in_user(request), token_id=token_id)
    except DomainError as error:
        context = {"tokens": list(user_tokens(signed_in_user(request))), "error": error.message, "now": timezone.now()}
        return render(request, "api/tokens.html", context, status=404)
    if is_htmx(request):
        context = {"tokens": list(user_tokens(signed_in_user(request))), "now": timezone.now()}
        return render(request, "api/tokens.html#token_list", context)
    return redirect("api:tokens")


@csrf_exempt
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Any other path under /api/ (a typo, a trailing slash: ``/api/cases/``) answers the API's JSON 404, not the
    web's HTML page. A path that exists with a slash added (``/api/tokens``) is redirected, as APPEND_SLASH would."""
    if not request.path.endswith("/"):
        try:
            with_slash = resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            if with_slash.view_name != "api:not_found":
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return error_response(request, 404, "not_found", "没有这个接口（路径末尾不带斜杠，见 /api/docs）")
