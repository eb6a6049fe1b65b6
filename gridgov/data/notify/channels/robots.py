"""Group robots (DingTalk, WeCom): configured in settings, each for the cases of a department or an area.

``GRIDGOV_NOTIFY_ROBOTS``: entries separated by ";" or new lines, each ``name|kind|webhook|secret|scope`` with
kind ``dingtalk`` or ``wecom`` and scope ``dept:CODE`` or ``area:CODE`` (a village, a town). The webhook
and secret are credentials: they live in the environment only; the database keeps the robot's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gridgov.data.notify.channels.base import ChannelError, Message, Sent
from gridgov.data.notify.channels.dingtalk import send_to_dingtalk_robot
from gridgov.data.notify.channels.wecom import send_to_wecom_robot


@dataclass(frozen=True, slots=True)
class Robot:
    name: str
    kind: str  # "dingtalk" | "wecom"
    webhook: str
    secret: str
    scope_kind: str  # "dept" | "area"
    scope_code: str

    @property
    def channel(self) -> str:
        return f"{self.kind}_robot"


def parse_robots(text: str) -> list[Robot]:
    robots: list[Robot] = []
    for entry in text.replace("\n", ";").split(";"):
        if not entry.strip():
            continue
        parts = [part.strip() for part in entry.split("|")]
        if len(parts) != 5 or parts[1] not in ("dingtalk", "wecom") or ":" not in parts[4]:
            raise ImproperlyConfigured(
                f"GRIDGOV_NOTIFY_ROBOTS: 无法识别 {parts[0]!r}"
                "（应为 名称|dingtalk或wecom|网址|密钥|dept:编码 或 area:编码）"
            )
        scope_kind, scope_code = parts[4].split(":", 1)
        if scope_kind not in ("dept", "area"):
            raise ImproperlyConfigured(f"GRIDGOV_NOTIFY_ROBOTS: {parts[0]!r} 的范围应为 dept:编码 或 area:编码")
        robots.append(Robot(parts[0], parts[1], parts[2], parts[3], scope_kind, scope_code))
    return robots


def robots() -> list[Robot]:
    return parse_robots(settings.GRIDGOV_NOTIFY_ROBOTS)


class RobotChannel:
    idempotent = False

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.name = f"{kind}_robot"

    def configured(self) -> bool:
        return any(robot.kind == self.kind for robot in robots())

    def send(self, *, address: str, message: Message, key: str) -> Sent:
        robot = next((r for r in robots() if r.name == address and r.kind == self.kind), None)
        if robot is None:
            raise ChannelError(f"未配置群机器人 {address}", retry=False)
        if self.kind == "dingtalk":
            return send_to_dingtalk_robot(webhook=robot.webhook, secret=robot.secret, message=message)
        return send_to_wecom_robot(webhook=robot.webhook, message=message)
