"""Channels by name, and which of them the admin allows (``GRIDGOV_NOTIFY_CHANNELS``) and has configured."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.notify.channels.base import Channel
from gridgov.data.notify.channels.dingtalk import DingTalkWork
from gridgov.data.notify.channels.email import Email
from gridgov.data.notify.channels.robots import RobotChannel
from gridgov.data.notify.channels.sms import sms_channel
from gridgov.data.notify.channels.wecom import WeComApp


class ChannelName(models.TextChoices):
    INAPP = "inapp", _("站内消息")
    EMAIL = "email", _("电子邮件")
    DINGTALK = "dingtalk", _("浙政钉/钉钉工作通知")
    DINGTALK_ROBOT = "dingtalk_robot", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信应用消息")
    WECOM_ROBOT = "wecom_robot", _("企业微信群机器人")
    SMS = "sms", _("短信")


PERSONAL = (ChannelName.EMAIL, ChannelName.DINGTALK, ChannelName.WECOM, ChannelName.SMS)
GROUP = (ChannelName.DINGTALK_ROBOT, ChannelName.WECOM_ROBOT)


def channel_for(name: str) -> Channel:
    if name == ChannelName.EMAIL:
        return Email()
    if name == ChannelName.DINGTALK:
        return DingTalkWork()
    if name == ChannelName.WECOM:
        return WeComApp()
    if name == ChannelName.SMS:
        return sms_channel()
    if name == ChannelName.DINGTALK_ROBOT:
        return RobotChannel("dingtalk")
    if name == ChannelName.WECOM_ROBOT:
        return RobotChannel("wecom")
    raise KeyError(name)


def allowed_channels() -> list[str]:
    """The external channels the admin allows and whose settings are there (in-app is always on)."""
    names = [n for n in settings.GRIDGOV_NOTIFY_CHANNELS if n in ChannelName.values and n != ChannelName.INAPP]
    return [n for n in names if channel_for(n).configured()]
