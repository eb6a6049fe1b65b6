"""What every channel is: it finds the address of a recipient and sends a message there.

A channel raises ``ChannelError`` when a send fails: ``retry`` says whether trying again later may help (a
timeout, a 5xx, an expired token after its refresh failed) or not (no such user, a rejected number).
``idempotent`` says whether the provider drops a repeated message with the same key: only those channels are
sent again after a crash between sending and recording (see ``gridgov.data.notify.domain.deliveries``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol

from gridgov.types import JSONObject


@dataclass(frozen=True, slots=True)
class Message:
    title: str  # a short subject: e-mail subject, DingTalk markdown title
    text: str  # plain text, several lines (e-mail body, WeCom/DingTalk text)
    link: str = ""  # where the case opens (after sign-in)
    short: str = ""  # one SMS segment where possible (70 characters); falls back to ``text``
    at_mobiles: tuple[str, ...] = field(default_factory=tuple)  # group robots: whom to @
    button: str = ""  # the card's button text (DingTalk action card, WeCom text card), in the reader's language

    @property
    def markdown(self) -> str:
        """Title, text and the link written out: for the group robots (markdown)."""
        if self.link:
            return f"{self.card_markdown}\n\n[{self.link}]({self.link})"
        return self.card_markdown

    @property
    def card_markdown(self) -> str:
        """Title and text, without the link: the body of a card whose button opens the link."""
        body = "\n\n".join(line for line in self.text.splitlines() if line.strip())
        return f"#### {self.title}\n\n{body}"

    @property
    def sms(self) -> str:
        return self.short or self.text


class ChannelError(Exception):
    def __init__(self, reason: str, *, retry: bool = True, transport: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:250]
        self.retry = retry
        self.transport = transport  # the provider could not be reached: its other messages wait too


@dataclass(frozen=True, slots=True)
class Sent:
    provider_id: str = ""  # the provider's message or task id, when it gives one


class Channel(Protocol):
    name: str
    idempotent: bool

    def configured(self) -> bool:
        """Whether the settings this channel needs are there."""

    def send(self, *, address: str, message: Message, key: str) -> Sent:
        """Send ``message`` to ``address`` (user id, e-mail, mobile, robot name); ``key`` is unique per delivery."""


TIMEOUT_SECONDS = 10.0


def http_json(
    url: str, *, payload: JSONObject | None = None, form: bytes | None = None, timeout: float = TIMEOUT_SECONDS
) -> JSONObject:
    """One HTTP request (POST with a JSON or form body, else GET); the JSON answer. Network faults → retry."""
    headers = {"Accept": "application/json"}
    data: bytes | None = None
    if payload is not None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json; charset=utf-8"
    elif form is not None:
        data = form
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        with error:  # closes the connection
            answer = None
            if error.code < 500:  # some providers (Aliyun) answer a refused request with 4xx and a JSON reason
                try:
                    answer = json.loads(error.read() or b"")
                except ValueError:
                    answer = None
        if isinstance(answer, dict):
            return answer
        retry = error.code >= 500 or error.code == 429
        raise ChannelError(f"HTTP {error.code}", retry=retry, transport=True) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ChannelError(f"连接失败：{error}", retry=True, transport=True) from error
    try:
        answer = json.loads(body or b"{}")
    except ValueError as error:
        raise ChannelError("应答不是 JSON", retry=True) from error
    if not isinstance(answer, dict):
        raise ChannelError("应答格式错误", retry=True)
    return answer
