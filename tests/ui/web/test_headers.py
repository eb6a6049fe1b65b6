"""Headers (等保): a Content-Security-Policy on every page with no inline script or style outside a nonce;
GRIDGOV_HTTPS=1 turns on HSTS, Secure cookies and the proxy's X-Forwarded-Proto, and `check --deploy` is clean."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client

from tests.factories import TownWorld

TEMPLATES = sorted((Path(settings.BASE_DIR) / "gridgov").glob("**/templates/**/*.html"))


def test_every_page_has_a_content_security_policy_with_a_nonce(world: TownWorld) -> None:
    client = Client()
    client.force_login(world.operator)
    for path in ("/login/", "/triage/", "/cases/", "/dashboard/", "/ledgers/hazards/", "/api/tokens/", "/api/docs"):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy)
        assert nonce is not None, (path, policy)
        assert "script-src 'self' 'nonce-" in policy
        assert "style-src 'self' 'nonce-" in policy
        assert ("object-src 'none'" in policy, "frame-ancestors 'none'" in policy) == (True, True)
        # every <script> and <style> in the page either loads a file or carries this response's nonce
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", response.text):
            assert "src=" in tag or f'nonce="{nonce.group(1)}"' in tag, (path, tag)


def test_no_template_has_inline_handlers_style_attributes_or_unnonced_blocks() -> None:
    assert len(TEMPLATES) > 50
    found = []
    for template in TEMPLATES:
        text = template.read_text()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if "src=" not in tag and 'nonce="{{ csp_nonce }}"' not in tag:
                found.append((template.name, tag))
        found += [(template.name, m) for m in re.findall(r"\sstyle=\"[^\"]*\"", text)]
        found += [(template.name, m) for m in re.findall(r"\son[a-z]+=\"[^\"]*\"", text)]
        found += [(template.name, m) for m in re.findall(r"javascript:", text)]
    assert found == []


def test_htmx_adds_no_inline_style(world: TownWorld) -> None:
    client = Client()
    client.force_login(world.operator)
    page = client.get("/triage/").text
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in page


def _deploy_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIDGOV_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="gridgov.settings",
        GRIDGOV_SECRET_KEY="deploy-check-" + "k3y!" * 16,
        GRIDGOV_DEBUG="0",
        GRIDGOV_VAR_DIR=str(tmp_path),
        GRIDGOV_ALLOWED_HOSTS="gridgov.example.cn",
        GRIDGOV_FIELD_ENCRYPTION_KEY="ZGVwbG95LWNoZWNrLWZpZWxkLWtleS0zMi1ieXRlcyE=",
        GRIDGOV_AUDIT_KEY="deploy-check-audit-key-" + "a1" * 16,
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'deploy.sqlite3'}"),
        **extra,
    )
    return env


# No timeout= on these runs: subprocess waits for a timeout by sleeping in a loop, and under bin/other-clocks
# (libfaketime, monotonic clock not faked) that sleep fails with EINVAL once the child takes a moment.
def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=_deploy_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_https(tmp_path: Path) -> None:
    collected = subprocess.run(  # a deployment collects its static files first (else check names that: E003)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=_deploy_env(tmp_path, GRIDGOV_HTTPS="1"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    done = _check_deploy(tmp_path, GRIDGOV_HTTPS="1")
    assert (done.returncode, done.stdout.strip()) == (0, "System check identified no issues (0 silenced)."), done.stderr


def test_check_deploy_names_what_plain_http_lacks(tmp_path: Path) -> None:
    done = _check_deploy(tmp_path)
    found = set(re.findall(r"security\.W0\d\d", done.stderr + done.stdout))
    assert found == {"security.W004", "security.W008", "security.W010", "security.W016"}


def test_https_settings_trust_the_proxy_and_secure_the_cookies(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT)"
    )
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=_deploy_env(tmp_path, GRIDGOV_HTTPS="1"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') 31536000 True True True"


def test_an_unknown_role_for_the_second_factor_stops_the_start(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=_deploy_env(tmp_path, GRIDGOV_2FA_ROLES="admin,boss"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "GRIDGOV_2FA_ROLES: unknown roles ['boss']" in done.stderr
