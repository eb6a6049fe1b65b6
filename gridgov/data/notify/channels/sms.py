"""SMS: one interface, two adapters — Aliyun SMS (SendSms) and "log only" (the demo).

Aliyun SendSms is an RPC-style API (version 2017-05-25): the request's parameters, sorted by name and
percent-encoded per RFC 3986, make the canonical query; the string to sign is
``METHOD&%2F&percent(canonical query)``; ``Signature`` = Base64(HMAC-SHA1(AccessKeySecret + "&", that string)).
Its answer is JSON: ``Code`` "OK" and a ``BizId``. The message goes out as one template (``${text}``, approved in
the Aliyun console with the sign name); ``OutId`` carries our delivery key for the provider's receipts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.parse
import uuid
from datetime import UTC, datetime

from django.conf import settings

from gridgov.data.notify.channels.base import ChannelError, Message, Sent, http_json

log = logging.getLogger(__name__)

# Aliyun codes that sending again will not cure.
PERMANENT_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "InvalidAccessKeyId.NotFound",
    "SignatureDoesNotMatch",
}


def percent(text: str) -> str:
    """RFC 3986 percent-encoding as Aliyun's signature method wants it (space %20, * %2A, ~ kept)."""
    return urllib.parse.quote(text, safe="~")


def canonical_query(params: dict[str, str]) -> str:
    return "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()))


def aliyun_signature(*, secret: str, params: dict[str, str], method: str = "POST") -> str:
    string_to_sign = f"{method}&{percent('/')}&{percent(canonical_query(params))}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def aliyun_params(*, phone: str, text: str, out_id: str, now: datetime, nonce: str) -> dict[str, str]:
    return {
        "AccessKeyId": settings.GRIDGOV_ALIYUN_SMS_ACCESS_KEY_ID,
        "Action": "SendSms",
        "Format": "JSON",
        "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": nonce,
        "SignatureVersion": "1.0",
        "Timestamp": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
        "PhoneNumbers": phone,
        "SignName": settings.GRIDGOV_ALIYUN_SMS_SIGN_NAME,
        "TemplateCode": settings.GRIDGOV_ALIYUN_SMS_TEMPLATE,
        "TemplateParam": json.dumps({"text": text}, ensure_ascii=False, separators=(",", ":")),
        "OutId": out_id[:64],
    }


class AliyunSms:
    name = "sms"
    idempotent = False

    def configured(self) -> bool:
        return bool(
            settings.GRIDGOV_ALIYUN_SMS_ACCESS_KEY_ID
            and settings.GRIDGOV_ALIYUN_SMS_ACCESS_KEY_SECRET
            and settings.GRIDGOV_ALIYUN_SMS_SIGN_NAME
            and settings.GRIDGOV_ALIYUN_SMS_TEMPLATE
        )

    def send(self, *, address: str, message: Message, key: str) -> Sent:
        params = aliyun_params(
            phone=address, text=message.sms, out_id=key, now=datetime.now(UTC), nonce=str(uuid.uuid4())
        )
        signature = aliyun_signature(secret=settings.GRIDGOV_ALIYUN_SMS_ACCESS_KEY_SECRET, params=params)
        body = f"Signature={percent(signature)}&{canonical_query(params)}".encode()
        answer = http_json(settings.GRIDGOV_ALIYUN_SMS_ENDPOINT.rstrip("/") + "/", form=body)
        code = str(answer.get("Code", ""))
        if code == "OK":
            return Sent(provider_id=str(answer.get("BizId", "")))
        raise ChannelError(f"阿里云短信失败：{code} {answer.get('Message', '')}", retry=code not in PERMANENT_CODES)


class LogSms:
    """Writes the SMS to the log instead of sending it (the demo, development)."""

    name = "sms"
    idempotent = True  # nothing leaves the machine

    def configured(self) -> bool:
        return True

    def send(self, *, address: str, message: Message, key: str) -> Sent:
        from gridgov.data.org.disclosure import Item, as_private

        # a log line shows no one's number: masked as a private person's, whoever it belongs to
        log.info("短信（仅记录，未发送）%s：%s", as_private(address, item=Item.PHONE), message.sms)
        return Sent(provider_id=f"log-{key}")


def sms_channel() -> AliyunSms | LogSms:
    backend = settings.GRIDGOV_SMS_BACKEND
    if backend == "aliyun":
        return AliyunSms()
    return LogSms()
