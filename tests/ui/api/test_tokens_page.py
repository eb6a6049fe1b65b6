"""The API token page: create (secret shown once), list, revoke; only the user's own tokens."""

from __future__ import annotations

from django.test import Client

from gridgov.data.access.models import ApiToken
from gridgov.data.access.secrets import digest_of
from tests.factories import TownWorld, signed_in


def test_page_requires_sign_in(world: TownWorld) -> None:
    response = Client().get("/api/tokens/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/api/tokens/")


def test_nav_links_to_the_token_page(world: TownWorld) -> None:
    assert '<a href="/api/tokens/">API 令牌</a>' in signed_in(world.operator).get("/", follow=True).content.decode()


def test_create_shows_the_secret_once_and_stores_only_its_hash(world: TownWorld) -> None:
    client = signed_in(world.operator)
    response = client.post("/api/tokens/", {"name": "12345热线系统"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    page = response.content.decode()
    start = page.index('<code id="new-token">') + len('<code id="new-token">')
    secret = page[start : page.index("</code>", start)]
    assert secret.startswith("ggt_")
    assert (token.digest, token.prefix, token.name) == (digest_of(secret), secret[:12], "12345热线系统")
    assert secret not in str(ApiToken.objects.values_list().get())
    later = client.get("/api/tokens/").content.decode()
    assert secret not in later
    assert f"<code>{token.prefix}…</code>" in later
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/me")
    assert api.json()["username"] == "operator"


def test_create_with_htmx_returns_the_partial_and_a_clear_error(world: TownWorld) -> None:
    client = signed_in(world.operator)
    partial = client.post("/api/tokens/", {"name": ""}, headers={"HX-Request": "true"})
    assert partial.status_code == 422
    text = partial.content.decode()
    assert text.lstrip().startswith('<div id="token-list">')
    assert "请填写令牌名称（例如用途或系统名）" in text
    assert ApiToken.objects.count() == 0


def test_revoke_stops_the_token(world: TownWorld) -> None:
    client = signed_in(world.operator)
    client.post("/api/tokens/", {"name": "a"})
    token = ApiToken.objects.get()
    response = client.post(f"/api/tokens/{token.pk}/revoke/")
    assert (response.status_code, response["Location"]) == (302, "/api/tokens/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已吊销" in client.get("/api/tokens/").content.decode()


def test_cannot_revoke_someone_elses_token(world: TownWorld) -> None:
    signed_in(world.operator).post("/api/tokens/", {"name": "a"})
    token = ApiToken.objects.get()
    response = signed_in(world.leader).post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "a" not in [t.name for t in ApiToken.objects.filter(user=world.leader)]
