"""Access tokens of the enterprise apps (DingTalk, WeCom): fetched with the app's key/secret, cached, refreshed.

The cache is Django's (the database cache in production, shared by every process), kept until a few minutes
before the provider's ``expires_in``; a send answered "token invalid/expired" drops it and fetches a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from gridgov.data.notify.channels.base import ChannelError, http_json

MARGIN_SECONDS = 300


def _key(provider: str, ident: str) -> str:
    return "notify:token:" + provider + ":" + hashlib.sha256(ident.encode()).hexdigest()[:16]


def get_token(*, provider: str, ident: str, fetch: Callable[[], tuple[str, int]]) -> str:
    key = _key(provider, ident)
    token = cache.get(key)
    if isinstance(token, str) and token:
        return token
    token, expires_in = fetch()
    if not token:
        raise ChannelError("未取得 access_token", retry=True)
    cache.set(key, token, max(expires_in - MARGIN_SECONDS, 60))
    return token


def fetch_token(url: str, *, app: str) -> tuple[str, int]:
    """The access token and its ``expires_in`` from the provider's gettoken ``url`` (``app``: whose, as messages
    name it); an ``errcode`` other than 0 is a ChannelError."""
    answer = http_json(url)
    if answer.get("errcode", 0) != 0:
        raise ChannelError(f"{app}取 access_token 失败：{answer.get('errcode')} {answer.get('errmsg', '')}")
    return str(answer.get("access_token", "")), int(answer.get("expires_in", 7200))


def drop_token(*, provider: str, ident: str) -> None:
    cache.delete(_key(provider, ident))
