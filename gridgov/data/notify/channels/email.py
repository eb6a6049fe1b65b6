"""E-mail through Django's mail backends (SMTP in production, the console in the demo)."""

from __future__ import annotations

from django.core.mail import EmailMessage, mailers
from django.core.mail.message import make_msgid

from gridgov.data.notify.channels.base import ChannelError, Message, Sent


class Email:
    name = "email"
    idempotent = False

    def configured(self) -> bool:
        return "default" in mailers

    def send(self, *, address: str, message: Message, key: str) -> Sent:
        body = message.text + (f"\n\n{message.link}" if message.link else "")
        msgid = make_msgid(idstring=key.replace(":", "-")[:40], domain="gridgov")
        email = EmailMessage(subject=message.title, body=body, to=[address], headers={"Message-ID": msgid})
        try:
            with mailers.default as connection:
                sent = connection.send_messages([email])
        except (OSError, ValueError) as error:  # smtplib errors are OSError
            raise ChannelError(f"邮件发送失败：{error}", retry=True) from error
        if not sent:
            raise ChannelError("邮件未被接收", retry=True)
        return Sent(provider_id=msgid)
