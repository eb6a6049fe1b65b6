"""WeCom (企业微信): application messages and group robots.

Application message: ``GET /cgi-bin/gettoken?corpid&corpsecret`` gives ``access_token`` (``expires_in`` 7200 s);
``POST /cgi-bin/message/send?access_token=…`` with ``touser`` (ids joined by "|"), ``agentid``, ``msgtype``
and — our idempotency — ``enable_duplicate_check`` 1 with ``duplicate_check_interval``: WeCom drops the same
message sent again to the same user within the interval, so a send retried after a crash is not received
twice. The application message is a text card (``msgtype`` "textcard": ``title`` ≤ 128 bytes, ``description``
≤ 512 bytes in WeCom's ``<div class="gray|normal|highlight">`` markup, ``url``, ``btntxt`` ≤ 4 characters);
a message without a link goes as markdown. Group robot: ``POST /cgi-bin/webhook/send?key=…`` with a
markdown body.
"""

from __future__ import annotations

import html
import urllib.parse

from django.conf import settings

from gridgov.data.notify.channels.base import ChannelError, Message, Sent, http_json
from gridgov.data.notify.channels.tokens import drop_token, fetch_token, get_token
from gridgov.types import JSONObject

TOKEN_ERRORS = {40014, 42001}
PERMANENT_ERRORS = {40003, 81013, 60111, 301002}  # invalid user id / none of the users valid / agent not allowed
DUPLICATE_CHECK_SECONDS = 4 * 3600  # WeCom's maximum


class WeComApp:
    name = "wecom"
    idempotent = True  # enable_duplicate_check

    def configured(self) -> bool:
        return bool(
            settings.GRIDGOV_WECOM_CORP_ID and settings.GRIDGOV_WECOM_SECRET and settings.GRIDGOV_WECOM_AGENT_ID
        )

    def _api(self, path: str, **query: str) -> str:
        return f"{settings.GRIDGOV_WECOM_API.rstrip('/')}{path}?{urllib.parse.urlencode(query)}"

    def _fetch_token(self) -> tuple[str, int]:
        return fetch_token(
            self._api(
                "/cgi-bin/gettoken", corpid=settings.GRIDGOV_WECOM_CORP_ID, corpsecret=settings.GRIDGOV_WECOM_SECRET
            ),
            app="企业微信",
        )

    def _ident(self) -> str:
        return f"{settings.GRIDGOV_WECOM_CORP_ID}/{settings.GRIDGOV_WECOM_AGENT_ID}"

    def send(self, *, address: str, message: Message, key: str) -> Sent:
        payload: JSONObject = {
            "touser": address,
            "agentid": int(settings.GRIDGOV_WECOM_AGENT_ID),
            **app_message(message),
            "enable_duplicate_check": 1,
            "duplicate_check_interval": DUPLICATE_CHECK_SECONDS,
        }
        for attempt in (1, 2):
            token = get_token(provider=self.name, ident=self._ident(), fetch=self._fetch_token)
            answer = http_json(self._api("/cgi-bin/message/send", access_token=token), payload=payload)
            code = int(answer.get("errcode", -1))
            if code == 0:
                if answer.get("invaliduser"):
                    raise ChannelError(f"企业微信用户无效：{answer['invaliduser']}", retry=False)
                return Sent(provider_id=str(answer.get("msgid", "")))
            if code in TOKEN_ERRORS and attempt == 1:
                drop_token(provider=self.name, ident=self._ident())
                continue
            raise ChannelError(
                f"企业微信应用消息失败：{code} {answer.get('errmsg', '')}", retry=code not in PERMANENT_ERRORS
            )
        raise ChannelError("企业微信 access_token 无效", retry=True)  # pragma: no cover


TITLE_BYTES = 128
DESCRIPTION_BYTES = 512
BUTTON_CHARS = 4


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, on a character boundary."""
    return text.encode()[:limit].decode(errors="ignore")


def textcard_description(text: str) -> str:
    """The lines of ``text`` as WeCom text card markup: the first line grey (the case number), the rest
    normal; whole lines only, within 512 bytes."""
    parts: list[str] = []
    size = 0
    for index, line in enumerate(line for line in text.splitlines() if line.strip()):
        part = f'<div class="{"gray" if index == 0 else "normal"}">{html.escape(line, quote=False)}</div>'
        if size + len(part.encode()) > DESCRIPTION_BYTES:
            break
        parts.append(part)
        size += len(part.encode())
    return "".join(parts) or _cut(html.escape(text, quote=False), DESCRIPTION_BYTES)


def app_message(message: Message) -> JSONObject:
    """``msgtype`` and its body: a text card whose button opens the link (markdown without a link)."""
    if not message.link:
        return {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    return {
        "msgtype": "textcard",
        "textcard": {
            "title": _cut(message.title, TITLE_BYTES),
            "description": textcard_description(message.text),
            "url": message.link,
            "btntxt": (message.button or "详情")[:BUTTON_CHARS],
        },
    }


def send_to_wecom_robot(*, webhook: str, message: Message) -> Sent:
    payload: JSONObject = {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    answer = http_json(webhook, payload=payload)
    code = int(answer.get("errcode", -1))
    if code != 0:
        # 45009: over the robot's limit (20 a minute); 93000: invalid webhook key.
        raise ChannelError(f"企业微信群机器人发送失败：{code} {answer.get('errmsg', '')}", retry=code != 93000)
    return Sent()
