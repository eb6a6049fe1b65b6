"""The user's API token page: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gridgov.data.access.tokens import create_token, revoke_token, user_tokens
from gridgov.data.errors import DomainError
from gridgov.data.org.models import User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
    template = "api/tokens.html#token_list" if request.htmx else "api/tokens.html"  # type: ignore[attr-defined]  # django-htmx's middleware sets request.htmx; HttpRequest's stubs do not know it
    return render(request, template, context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        revoke_token(user=_user(request), token_id=token_id)
    except DomainError as error:
        context = {"tokens": list(user_tokens(_user(request))), "error": error.message, "now": timezone.now()}
        return render(request, "api/tokens.html", context, status=404)
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx's middleware sets request.htmx; HttpRequest's stubs do not know it
        context = {"tokens": list(user_tokens(_user(request))), "now": timezone.now()}
        return render(request, "api/tokens.html#token_list", context)
    return redirect("api:tokens")
