"""Sign-in as 等保 expects: lockout per user name and address plus a per-address limit (django-axes), the client
address behind a trusted proxy, a TOTP second factor with recovery codes, idle timeout, password expiry."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gridgov.data.org.models import SecurityEvent, User
from gridgov.data.org.security import client_ip
from tests.factories import TownWorld

PASSWORD = "pw-for-tests-1"


def attempt(username: str, password: str, *, ip: str = "10.0.0.1") -> tuple[int, str]:
    response = Client(REMOTE_ADDR=ip).post("/login/", {"username": username, "password": password})
    return response.status_code, response.text


def kinds(**filters: object) -> list[str]:
    return list(SecurityEvent.objects.filter(**filters).order_by("created_at", "id").values_list("kind", flat=True))


def code_of(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + later
    return f"{totp.token():0{device.digits}d}"


def test_one_persons_typos_do_not_lock_the_town_hall(world: TownWorld) -> None:
    for _ in range(5):
        assert attempt("gw_a", "wrong")[0] == 200
    status, text = attempt("gw_a", PASSWORD)
    assert (status, "账号已暂时锁定" in text) == (200, True)
    # a colleague behind the same NAT, and the locked person from another address, still sign in
    assert attempt("gw_b", PASSWORD)[0] == 302
    assert attempt("gw_a", PASSWORD, ip="10.9.9.9")[0] == 302
    assert kinds(username="gw_a") == ["login_failed"] * 5 + ["login_locked", "login_ok"]


def test_spraying_over_many_users_locks_the_address_but_not_a_second_one(world: TownWorld, settings) -> None:
    names = ["operator", "leader", "handler_a", "handler_b", "gw_b", "vs_a", "vs_b", "resident"]
    for i in range(32):
        attempt(names[i % 8], f"guess-{i}")
    assert SecurityEvent.objects.filter(kind="login_failed", ip="10.0.0.1").count() == 30
    assert SecurityEvent.objects.filter(kind="login_locked", ip="10.0.0.1").count() == 2
    # the right password of a user who never failed from there is refused too, and logged
    status, text = attempt("gw_a", PASSWORD)
    assert (status, "账号已暂时锁定" in text, kinds()[-1]) == (200, True, "login_locked")
    assert attempt("gw_a", PASSWORD, ip="10.0.0.2")[0] == 302


def test_the_client_address_comes_from_the_trusted_proxy_header(settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.168.1.10", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7")
    assert client_ip(request) == "192.168.1.10"  # no proxy configured: the header is the client's own text
    settings.GRIDGOV_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    assert client_ip(request) == "10.0.0.7"  # the entry our proxy appended; "6.6.6.6" was written by the client
    settings.GRIDGOV_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.GRIDGOV_TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "192.168.1.10"  # fewer entries than proxies: the proxy's address
    garbage = RequestFactory().get("/", REMOTE_ADDR="192.168.1.10", HTTP_X_FORWARDED_FOR="not-an-ip")
    settings.GRIDGOV_TRUSTED_PROXY_COUNT = 1
    assert client_ip(garbage) == "192.168.1.10"


def test_lockout_is_per_address_behind_the_proxy(world: TownWorld, settings) -> None:
    settings.GRIDGOV_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    proxy = {"REMOTE_ADDR": "192.168.1.10"}
    for _ in range(5):
        Client(**proxy, HTTP_X_FORWARDED_FOR="10.0.0.1").post("/login/", {"username": "gw_a", "password": "x"})
    locked = Client(**proxy, HTTP_X_FORWARDED_FOR="10.0.0.1").post(
        "/login/", {"username": "gw_a", "password": PASSWORD}
    )
    other = Client(**proxy, HTTP_X_FORWARDED_FOR="10.0.0.2").post("/login/", {"username": "gw_a", "password": PASSWORD})
    assert (locked.status_code, other.status_code) == (200, 302)
    assert SecurityEvent.objects.filter(kind="login_failed").values_list("ip", flat=True).distinct().get() == "10.0.0.1"


def test_an_admin_sets_up_totp_then_signs_in_with_a_code(world: TownWorld, clock, settings) -> None:
    settings.GRIDGOV_2FA_ROLES = ["admin"]
    client = Client()
    assert client.post("/login/", {"username": world.admin.username, "password": PASSWORD}).status_code == 302
    first = client.get("/triage/")
    assert (first.status_code, first["Location"]) == (302, "/account/two-factor/")
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    assert ("<svg" in page.text, "身份验证器" in page.text) == (True, True)
    device = TOTPDevice.objects.get(user=world.admin, confirmed=False)
    wrong_code = "000000" if code_of(device) != "000000" else "111111"
    assert client.post("/account/two-factor/", {"code": wrong_code}).status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is False
    clock.shift(timedelta(seconds=2))  # django-otp waits a second after a wrong code
    done = client.post("/account/two-factor/", {"code": code_of(device)})
    codes = done.context["codes"]
    assert (done.status_code, len(codes), all(code in done.text for code in codes)) == (200, 10, True)
    assert client.get("/triage/").status_code == 200  # verified in this session
    client.post("/logout/")

    # next time: password, then the code
    step1 = client.post("/login/", {"username": world.admin.username, "password": PASSWORD})
    assert (step1.status_code, step1["Location"]) == (302, "/login/code/")
    assert client.get("/triage/").status_code == 302  # not signed in between the steps
    wrong = client.post("/login/code/", {"code": "12345"})
    assert (wrong.status_code, "验证码不正确" in wrong.text) == (200, True)
    clock.shift(timedelta(seconds=2))
    ok = client.post("/login/code/", {"code": code_of(device, later=30)})
    assert (ok.status_code, ok["Location"]) == (302, "/")
    assert client.get("/triage/").status_code == 200
    assert list(
        SecurityEvent.objects.filter(username=world.admin.username).order_by("id").values_list("kind", "detail")
    )[-3:] == [("logout", {}), ("login_failed", {"step": "code"}), ("login_ok", {"second_factor": "TOTPDevice"})]

    # a recovery code works once
    client.post("/logout/")
    client.post("/login/", {"username": world.admin.username, "password": PASSWORD})
    assert client.post("/login/code/", {"code": codes[0]})["Location"] == "/"
    client.post("/logout/")
    client.post("/login/", {"username": world.admin.username, "password": PASSWORD})
    assert client.post("/login/code/", {"code": codes[0]}).status_code == 200


def test_wrong_codes_count_towards_the_lockout(world: TownWorld, settings) -> None:
    settings.GRIDGOV_2FA_ROLES = ["admin"]
    device = TOTPDevice.objects.create(user=world.admin, name="a", confirmed=True)
    client = Client()
    client.post("/login/", {"username": world.admin.username, "password": PASSWORD})
    for _ in range(5):
        client.post("/login/code/", {"code": "000001"})
    refused = client.post("/login/code/", {"code": code_of(device)})
    assert (refused.status_code, "账号已暂时锁定" in refused.text) == (200, True)
    assert kinds(username=world.admin.username) == ["login_failed"] * 5 + ["login_locked"]


def test_roles_named_in_the_setting_need_the_second_factor_others_not(world: TownWorld, settings) -> None:
    settings.GRIDGOV_2FA_ROLES = ["operator"]
    operator, handler = Client(), Client()
    operator.post("/login/", {"username": world.operator.username, "password": PASSWORD})
    handler.post("/login/", {"username": world.handler_a.username, "password": PASSWORD})
    assert operator.get("/triage/")["Location"] == "/account/two-factor/"
    assert handler.get("/inbox/").status_code == 200


def test_an_idle_session_ends_after_the_idle_timeout(world: TownWorld, clock, settings) -> None:
    settings.GRIDGOV_IDLE_TIMEOUT_MINUTES = 30
    client = Client()
    client.post("/login/", {"username": "operator", "password": PASSWORD})
    for _ in range(3):  # activity keeps it alive well past 30 minutes in total
        clock.shift(timedelta(minutes=25))
        assert client.get("/triage/").status_code == 200
    clock.shift(timedelta(minutes=31))
    gone = client.get("/triage/")
    assert (gone.status_code, gone["Location"]) == (302, "/login/?next=/triage/")
    event = SecurityEvent.objects.filter(kind="logout").get()
    assert (event.username, event.detail) == ("operator", {"idle": True})


def test_an_expired_password_forces_the_change_page(world: TownWorld, settings) -> None:
    settings.GRIDGOV_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=world.operator.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = Client()
    client.post("/login/", {"username": "operator", "password": PASSWORD})
    assert client.get("/triage/")["Location"] == "/password/"
    changed = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": "Qz7!harbour-night", "new_password2": "Qz7!harbour-night"},
    )
    assert changed.status_code == 302
    assert client.get("/triage/").status_code == 200
    changed_at = User.objects.get(pk=world.operator.pk).password_changed_at
    assert changed_at is not None
    assert timezone.now() - changed_at < timedelta(minutes=1)


def test_no_password_expiry_by_default(world: TownWorld) -> None:
    User.objects.filter(pk=world.operator.pk).update(password_changed_at=timezone.now() - timedelta(days=3650))
    client = Client()
    client.post("/login/", {"username": "operator", "password": PASSWORD})
    assert client.get("/triage/").status_code == 200


def test_a_password_alone_through_the_admin_sign_in_cannot_replace_the_authenticator(
    world: TownWorld, settings
) -> None:
    settings.GRIDGOV_2FA_ROLES = ["admin"]
    TOTPDevice.objects.create(user=world.admin, name="a", confirmed=True)
    User.objects.filter(pk=world.admin.pk).update(is_staff=True)
    client = Client()
    client.post("/admin/login/", {"username": world.admin.username, "password": PASSWORD, "next": "/admin/"})
    refused = client.get("/account/two-factor/")
    assert (refused.status_code, refused["Location"]) == (302, "/login/?next=/account/two-factor/")
    assert "_auth_user_id" not in client.session
    assert TOTPDevice.objects.filter(user=world.admin).count() == 1
