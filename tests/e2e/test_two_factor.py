"""TOTP in a real browser: an admin sets up the authenticator at the first sign-in (QR code and key, Chinese
pages), keeps the recovery codes, and signs in the next time with the password and a code."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, SignIn, shot
from tests.factories import TownWorld

pytestmark = pytest.mark.e2e


def code_for(secret: str, *, later: int = 0) -> str:
    """What an authenticator app shows for the base32 ``secret`` (``later`` seconds from now)."""
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def test_an_admin_enrols_and_signs_in_with_a_code(e2e_world: TownWorld, sign_in: SignIn, live_server, settings) -> None:
    settings.GRIDGOV_2FA_ROLES = ["admin"]
    base = live_server.url
    page = sign_in(None)
    page.goto(f"{base}/login/")
    page.fill("#login-form #id_username", e2e_world.admin.username)
    page.fill("#login-form #id_password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    page.wait_for_url("**/account/two-factor/")
    expect(page.locator("h1")).to_have_text("双因素认证（身份验证器）")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    shot(page, "two-factor-enrol")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#two-factor-form #id_code", code_for(secret))
    with page.expect_navigation():
        page.click("#two-factor-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("请保存恢复码")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    with page.expect_navigation():
        page.click("text=我已保存，继续")
    assert "/account/two-factor/" not in page.url
    with page.expect_navigation():
        page.click("#logout-form button[type=submit]")

    # the next sign-in: password, then the code the app shows now
    page.goto(f"{base}/login/")
    page.fill("#login-form #id_username", e2e_world.admin.username)
    page.fill("#login-form #id_password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    page.wait_for_url("**/login/code/")
    expect(page.locator("h1")).to_have_text("双因素认证")
    page.fill("#code-form #id_code", code_for(secret, later=30))  # the next time step: a code is used only once
    with page.expect_navigation():
        page.click("#code-form button[type=submit]")
    assert "/login/" not in page.url
    page.goto(f"{base}/triage/")
    assert page.url == f"{base}/triage/"
