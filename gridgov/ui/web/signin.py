"""Sign-in in two steps (password, then a code from the authenticator app when the account has one), setting up
the second factor, and the session policy: idle timeout, a required second factor, password expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.lockout import lock_for_request
from gridgov.data.org.models import User
from gridgov.data.org.security import Client, record_event
from gridgov.data.org.twofactor import (
    check_code,
    confirm_enrolment,
    has_second_factor,
    password_expired,
    pending_enrolment,
    recovery_codes_left,
    renew_recovery_codes,
    second_factor_required,
    start_enrolment,
)
from gridgov.types import FromDjango, JSONObject
from gridgov.ui.web.forms import SignInForm, locked_message

PENDING = "gridgov_signin_pending"  # {"user": id, "backend": path, "at": timestamp, "next": url}
PENDING_SECONDS = 300  # the code must follow the password within five minutes
SEEN = "gridgov_seen"  # last activity (timestamp), refreshed at most once a minute
SEEN_RESOLUTION = 60
HAS_DEVICE = "gridgov_has_device"  # noted at sign-in
NEEDS_DEVICE = "gridgov_needs_device"


def _next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=False):
        return value
    return reverse("web:home")


def _complete(
    request: HttpRequest, user: User, backend: str, *, device: FromDjango = None, next_url: str
) -> HttpResponse:
    if device is not None:
        user.otp_device = device  # type: ignore[attr-defined]  # django-otp marks the session verified on login
    login(request, user, backend=backend)
    detail = {"second_factor": type(device).__name__} if device is not None else {}
    record_event(kind=SecurityEventKind.LOGIN_OK, user=user, client=Client.of(request), detail=detail)
    return redirect(next_url)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: user name and password. With an authenticator set up, step 2 asks for its code."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        assert isinstance(user, User)
        backend = getattr(user, "backend", "django.contrib.auth.backends.ModelBackend")
        if has_second_factor(user):
            request.session.cycle_key()
            request.session[PENDING] = {
                "user": user.pk,
                "backend": backend,
                "at": timezone.now().timestamp(),
                "next": _next(request, next_url),
            }
            return redirect("web:login_code")
        return _complete(request, user, backend, next_url=_next(request, next_url))
    return render(request, "web/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the six-digit code from the authenticator app, or one recovery code."""
    pending: JSONObject = request.session.get(PENDING) or {}
    now = timezone.now()
    user = None
    if pending and now.timestamp() - float(pending.get("at", 0)) <= PENDING_SECONDS:
        user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(request, _("登录已超时，请重新输入用户名和密码"))
        return redirect("web:login")
    problem = ""
    if request.method == "POST":
        lock = lock_for_request(request, user.get_username())
        if lock is not None:
            record_event(
                kind=SecurityEventKind.LOGIN_LOCKED,
                username=user.get_username(),
                client=Client.of(request),
                detail={"step": "code"},
            )
            problem = locked_message(lock.until)
        else:
            device = check_code(user, request.POST.get("code", ""))
            if device is not None:
                request.session.pop(PENDING, None)
                return _complete(request, user, str(pending["backend"]), device=device, next_url=str(pending["next"]))
            # counts towards the lockout like a wrong password (axes), and is logged by its handler
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username(), "gridgov_step": "code"},
                request=request,
            )
            lock = lock_for_request(request, user.get_username())
            problem = locked_message(lock.until) if lock is not None else _("验证码不正确或已过期，请重新输入")
    return render(request, "web/login_code.html", {"problem": problem, "user_name": user.get_username()})


def lockout_response(
    request: HttpRequest, original: HttpResponse | None, credentials: FromDjango = None
) -> HttpResponse:
    """django-axes' answer to a locked sign-in: the sign-in page itself already says so (and when it ends)."""
    if original is not None:
        return original
    return HttpResponse(_("连续登录失败次数过多，已暂时锁定，请稍后再试"), status=429)


# ---------------------------------------------------------------------------------------------------
# Setting up the second factor


@login_required
@sensitive_post_parameters("code")
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator: scan the QR code, type one code; recovery codes are shown once."""
    user = request.user
    assert isinstance(user, User)
    client = Client.of(request)
    if request.method == "POST" and request.POST.get("renew_codes") and has_second_factor(user):
        if not user.is_verified():  # type: ignore[attr-defined]  # django-otp adds is_verified() to the user in its middleware
            return redirect("web:two_factor")
        codes = renew_recovery_codes(user=user, client=client)
        return render(request, "web/two_factor_codes.html", {"codes": codes})
    problem = ""
    if request.method == "POST" and request.POST.get("code") is not None:
        confirmed = confirm_enrolment(user=user, code=request.POST.get("code", ""), client=client)
        if confirmed is not None:
            device, codes = confirmed
            otp_login(request, device)
            return render(request, "web/two_factor_codes.html", {"codes": codes})
        problem = _("验证码不正确，请核对手机时间后输入应用中当前显示的 6 位数字")
    enrolment = pending_enrolment(user) if request.method == "POST" else None
    if enrolment is None:
        enrolment = start_enrolment(user)
    return render(
        request,
        "web/two_factor.html",
        {
            "enrolment": enrolment,
            "problem": problem,
            "enrolled": has_second_factor(user),
            "required": second_factor_required(user),
            "codes_left": recovery_codes_left(user),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Session policy


@cache
def _sign_in_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in ("web:login", "web:login_code", "web:logout"))


@cache
def _exempt_paths() -> frozenset[str]:
    names = ("web:login", "web:login_code", "web:logout", "web:two_factor", "web:password_change", "web:healthz")
    return frozenset(reverse(name) for name in names)


def _exempt(path: str) -> bool:
    """Pages a signed-in user may open before setting up a second factor or a new password."""
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path in _exempt_paths() or path.startswith((static, "/i18n/"))


def _on_sign_in(sender: FromDjango, request: HttpRequest | None, user: User, **kwargs: FromDjango) -> None:
    """Every sign-in (ours, the admin's, a test's force_login) starts the idle clock with the session and notes
    whether the account has or needs a second factor (so that later requests need no query for it)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = timezone.now().timestamp()
        request.session[HAS_DEVICE] = has_second_factor(user)
        request.session[NEEDS_DEVICE] = second_factor_required(user)


user_logged_in.connect(_on_sign_in, dispatch_uid="gridgov_on_sign_in")


class SignInPolicyMiddleware:
    """For signed-in sessions: end one idle longer than GRIDGOV_IDLE_TIMEOUT_MINUTES; send someone who must use a
    second factor to set it up (or sign in again with it); send someone whose password expired to change it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated and BACKEND_SESSION_KEY in request.session:
            answer = self._policy(request, user, timezone.now())
            if answer is not None:
                return answer
        return self.get_response(request)

    def _policy(self, request: HttpRequest, user: User, now: datetime) -> HttpResponse | None:
        seen = request.session.get(SEEN)
        stamp = now.timestamp()
        if isinstance(seen, (int, float)) and stamp - seen > settings.GRIDGOV_IDLE_TIMEOUT_MINUTES * 60:
            record_event(kind=SecurityEventKind.LOGOUT, user=user, client=Client.of(request), detail={"idle": True})
            logout(request)
            messages.info(request, _("长时间未操作，已自动退出，请重新登录"))
            return None  # carries on signed out: pages that need a sign-in send to the sign-in page
        if not isinstance(seen, (int, float)) or stamp - seen >= SEEN_RESOLUTION:
            request.session[SEEN] = stamp  # a session write at most once a minute
        static = "/" + settings.STATIC_URL.lstrip("/")
        if request.path.startswith(static) or request.path in _sign_in_paths():
            return None
        verified = user.is_verified()  # type: ignore[attr-defined]  # django-otp adds is_verified() to the user in its middleware
        if not verified and request.session.get(HAS_DEVICE):
            # signed in without the code (the admin's own sign-in page): not even the set-up page — it would let
            # a password alone replace the authenticator
            logout(request)
            return self._refuse(request, "web:login", _("请使用用户名、密码和验证码登录"))
        if _exempt(request.path):
            return None
        if not verified and request.session.get(NEEDS_DEVICE):
            return self._refuse(request, "web:two_factor", _("您的账号需要启用双因素认证，请先完成设置"))
        if password_expired(user, now=now):
            return self._refuse(request, "web:password_change", _("密码已过期，请先修改密码"))
        return None

    @staticmethod
    def _refuse(request: HttpRequest, to: str, message: str) -> HttpResponse:
        if request.path.startswith(("/api/", "/open311/")):
            body = {"code": "forbidden", "message": message, "message_en": "Sign in again.", "field": None}
            return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
        messages.warning(request, message)
        if to == "web:login" and request.method == "GET":
            return redirect_to_login(request.get_full_path(), reverse(to))
        return HttpResponseRedirect(reverse(to))
