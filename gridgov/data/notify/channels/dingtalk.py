"""浙政钉/DingTalk: work notifications of an enterprise internal app, and group robots.

Work notification (工作通知): ``GET /gettoken?appkey&appsecret`` gives ``access_token`` (``expires_in`` 7200 s);
``POST /topapi/message/corpconversation/asyncsend_v2?access_token=…`` with ``agent_id``, ``userid_list`` and
a ``msg`` answers ``errcode`` 0 and a ``task_id``. The ``msg`` is an action card (``msgtype`` "action_card":
``title``, ``markdown``, and one button, ``single_title`` / ``single_url``, that opens the signed link); a
message without a link goes as markdown. Group robot (自定义机器人): ``POST`` the webhook with
``timestamp`` (ms) and ``sign`` = Base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

from django.conf import settings

from gridgov.data.notify.channels.base import ChannelError, Message, Sent, http_json
from gridgov.data.notify.channels.tokens import drop_token, fetch_token, get_token
from gridgov.types import JSONObject

# "不合法的access_token", "access_token超时" (and the older 88 / 40001 forms): fetch a new token once.
TOKEN_ERRORS = {40001, 40014, 42001, 88}
# Errors that sending again will not cure: no such user / agent, bad arguments.
PERMANENT_ERRORS = {33012, 40003, 60011, 60020, 300001, 310000}


class DingTalkWork:
    name = "dingtalk"
    idempotent = False

    def configured(self) -> bool:
        return bool(
            settings.GRIDGOV_DINGTALK_APP_KEY
            and settings.GRIDGOV_DINGTALK_APP_SECRET
            and settings.GRIDGOV_DINGTALK_AGENT_ID
        )

    def _api(self, path: str, **query: str) -> str:
        return f"{settings.GRIDGOV_DINGTALK_API.rstrip('/')}{path}?{urllib.parse.urlencode(query)}"

    def _fetch_token(self) -> tuple[str, int]:
        return fetch_token(
            self._api(
                "/gettoken", appkey=settings.GRIDGOV_DINGTALK_APP_KEY, appsecret=settings.GRIDGOV_DINGTALK_APP_SECRET
            ),
            app="钉钉",
        )

    def _token(self) -> str:
        return get_token(provider=self.name, ident=settings.GRIDGOV_DINGTALK_APP_KEY, fetch=self._fetch_token)

    def send(self, *, address: str, message: Message, key: str) -> Sent:
        payload: JSONObject = {
            "agent_id": int(settings.GRIDGOV_DINGTALK_AGENT_ID),
            "userid_list": address,
            "msg": work_message(message),
        }
        for attempt in (1, 2):
            url = self._api("/topapi/message/corpconversation/asyncsend_v2", access_token=self._token())
            answer = http_json(url, payload=payload)
            code = int(answer.get("errcode", -1))
            if code == 0:
                return Sent(provider_id=str(answer.get("task_id", "")))
            if code in TOKEN_ERRORS and attempt == 1:
                drop_token(provider=self.name, ident=settings.GRIDGOV_DINGTALK_APP_KEY)
                continue
            raise ChannelError(
                f"钉钉工作通知失败：{code} {answer.get('errmsg', '')}", retry=code not in PERMANENT_ERRORS
            )
        raise ChannelError("钉钉 access_token 无效", retry=True)  # pragma: no cover (the loop returns or raises)


def work_message(message: Message) -> JSONObject:
    """The ``msg`` of a work notification: an action card with one button to the link (markdown without one)."""
    if not message.link:
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.markdown}}
    return {
        "msgtype": "action_card",
        "action_card": {
            "title": message.title,
            "markdown": message.card_markdown,
            "single_title": message.button or "查看详情",
            "single_url": message.link,
        },
    }


def robot_sign(*, secret: str, timestamp_ms: int) -> str:
    """The ``sign`` parameter of a signed DingTalk robot webhook (not yet URL-encoded)."""
    text = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), text, hashlib.sha256).digest()).decode()


def signed_robot_url(*, webhook: str, secret: str, timestamp_ms: int) -> str:
    if not secret:
        return webhook
    query = urllib.parse.urlencode(
        {"timestamp": timestamp_ms, "sign": robot_sign(secret=secret, timestamp_ms=timestamp_ms)}
    )
    return f"{webhook}{'&' if '?' in webhook else '?'}{query}"


def robot_payload(message: Message) -> JSONObject:
    payload: JSONObject = {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.markdown}}
    if message.at_mobiles:
        payload["at"] = {"atMobiles": list(message.at_mobiles), "isAtAll": False}
    return payload


def send_to_dingtalk_robot(*, webhook: str, secret: str, message: Message) -> Sent:
    url = signed_robot_url(webhook=webhook, secret=secret, timestamp_ms=int(time.time() * 1000))
    answer = http_json(url, payload=robot_payload(message))
    code = int(answer.get("errcode", -1))
    if code != 0:
        # 130101: sending too fast (20 a minute per robot); 310000: signature/keyword/IP check failed.
        raise ChannelError(f"钉钉群机器人发送失败：{code} {answer.get('errmsg', '')}", retry=code != 310000)
    return Sent()
