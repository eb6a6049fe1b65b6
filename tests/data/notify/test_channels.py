"""Each channel against a local server that speaks the provider's published format and checks signatures."""

from __future__ import annotations

import pytest
from django.core import mail

from gridgov.data.notify.channels.base import ChannelError, Message
from gridgov.data.notify.channels.dingtalk import DingTalkWork, robot_sign
from gridgov.data.notify.channels.email import Email
from gridgov.data.notify.channels.registry import channel_for
from gridgov.data.notify.channels.sms import AliyunSms, LogSms, aliyun_signature, sms_channel
from gridgov.data.notify.channels.wecom import WeComApp
from tests.data.notify.fakes import FakeProviders

MESSAGE = Message(
    title="新派遣案卷：DX2026-000001",
    text="案卷：DX2026-000001\n分类：暴露垃圾",
    link="http://x/c/1/",
    button="查看案卷",
)


def test_aliyun_signature_matches_the_published_example() -> None:
    # Aliyun's SMS signature documentation: these parameters, AccessKeySecret "testSecret", method GET.
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert aliyun_signature(secret="testSecret", params=params, method="GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_dingtalk_robot_sign_is_base64_hmac_sha256_of_timestamp_and_secret() -> None:
    # Computed by hand: HMAC-SHA256(key="SEC1", "1700000000000\nSEC1"), Base64.
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"SEC1", b"1700000000000\nSEC1", hashlib.sha256).digest()).decode()
    assert robot_sign(secret="SEC1", timestamp_ms=1700000000000) == expected


def test_dingtalk_work_notification_fetches_caches_and_refreshes_its_token(db, providers: FakeProviders) -> None:
    channel = DingTalkWork()
    assert channel.configured()
    first = channel.send(address="u001", message=MESSAGE, key="k1")
    second = channel.send(address="u002", message=MESSAGE, key="k2")
    assert providers.provider.tokens_issued == 1  # cached
    providers.provider.expire_tokens()  # the provider forgets it: answered 40014, fetched again, sent
    third = channel.send(address="u003", message=MESSAGE, key="k3")
    assert providers.provider.tokens_issued == 2
    sent = providers.provider.sent("dingtalk")
    assert [b["userid_list"] for b in sent] == ["u001", "u002", "u003"]
    assert sent[0]["agent_id"] == 123
    assert sent[0]["msg"] == {  # an action card with one button to the signed link
        "msgtype": "action_card",
        "action_card": {
            "title": MESSAGE.title,
            "markdown": "#### 新派遣案卷：DX2026-000001\n\n案卷：DX2026-000001\n\n分类：暴露垃圾",
            "single_title": "查看案卷",
            "single_url": "http://x/c/1/",
        },
    }
    assert [first.provider_id, second.provider_id, third.provider_id] == ["1001", "1002", "1003"]


def test_a_work_notification_without_a_link_goes_as_markdown(db, providers: FakeProviders) -> None:
    DingTalkWork().send(address="u001", message=Message(title="通知", text="第一行\n第二行"), key="k1")
    WeComApp().send(address="zhangsan", message=Message(title="通知", text="第一行\n第二行"), key="k2")
    [ding] = providers.provider.sent("dingtalk")
    [wecom] = providers.provider.sent("wecom")
    assert ding["msg"] == {
        "msgtype": "markdown",
        "markdown": {"title": "通知", "text": "#### 通知\n\n第一行\n\n第二行"},
    }
    assert (wecom["msgtype"], wecom["markdown"]) == ("markdown", {"content": "#### 通知\n\n第一行\n\n第二行"})


def test_wecom_text_card_keeps_to_the_published_limits_and_escapes_the_text(db, providers: FakeProviders) -> None:
    lines = ["案卷：DX2026-000001", "备注：<b>堆放</b> & 清理"] + [
        f"超期：DX2026-{n:06d}（期限 11月23日 14:30）" for n in range(30)
    ]
    long = Message(title="很长的标题" * 20, text="\n".join(lines), link="http://x/c/1/", button="Open case")
    WeComApp().send(address="zhangsan", message=long, key="k1")
    [card] = [body["textcard"] for body in providers.provider.sent("wecom")]
    description = card["description"]
    assert description.startswith(
        '<div class="gray">案卷：DX2026-000001</div><div class="normal">备注：&lt;b&gt;堆放&lt;/b&gt; &amp; 清理</div>'
    )
    assert description.endswith("</div>")  # whole lines only
    assert (len(card["title"].encode()) <= 128, len(description.encode()) <= 512) == (True, True)
    assert (card["url"], card["btntxt"]) == ("http://x/c/1/", "Open")


def test_dingtalk_wrong_secret_is_an_error_with_the_providers_reason(db, providers: FakeProviders, settings) -> None:
    settings.GRIDGOV_DINGTALK_APP_SECRET = "wrong"
    with pytest.raises(ChannelError) as caught:
        DingTalkWork().send(address="u001", message=MESSAGE, key="k1")
    assert "40089" in caught.value.reason
    assert providers.provider.sent("dingtalk") == []


def test_dingtalk_robot_sends_a_signed_request(db, providers: FakeProviders) -> None:
    result = channel_for("dingtalk_robot").send(address="zfz", message=MESSAGE, key="k")
    assert result.provider_id == ""
    [body] = providers.provider.sent("dingtalk_robot")
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == MESSAGE.title


def test_dingtalk_robot_with_a_wrong_secret_is_refused_for_good(db, providers: FakeProviders, settings) -> None:
    settings.GRIDGOV_NOTIFY_ROBOTS = f"zfz|dingtalk|{providers.url}/robot/send?access_token=abc|WRONG|dept:ZFZ"
    with pytest.raises(ChannelError) as caught:
        channel_for("dingtalk_robot").send(address="zfz", message=MESSAGE, key="k")
    assert (caught.value.retry, "310000" in caught.value.reason) == (False, True)


def test_wecom_app_message_asks_the_provider_to_drop_repeats(db, providers: FakeProviders) -> None:
    channel = WeComApp()
    result = channel.send(address="zhangsan", message=MESSAGE, key="k1")
    providers.provider.expire_tokens()  # 42001: refreshed once
    channel.send(address="lisi", message=MESSAGE, key="k2")
    assert providers.provider.tokens_issued == 2
    sent = providers.provider.sent("wecom")
    assert sent[0]["textcard"] == {
        "title": MESSAGE.title,
        "description": '<div class="gray">案卷：DX2026-000001</div><div class="normal">分类：暴露垃圾</div>',
        "url": "http://x/c/1/",
        "btntxt": "查看案卷",
    }
    assert [(b["touser"], b["agentid"], b["enable_duplicate_check"]) for b in sent] == [
        ("zhangsan", 1000002, 1),
        ("lisi", 1000002, 1),
    ]
    assert result.provider_id == "m1"
    assert channel.idempotent is True


def test_wecom_robot_posts_markdown_to_its_webhook(db, providers: FakeProviders) -> None:
    channel_for("wecom_robot").send(address="jsb", message=MESSAGE, key="k")
    [body] = providers.provider.sent("wecom_robot")
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["content"].startswith("#### 新派遣案卷")


def test_aliyun_sms_is_signed_and_accepted_by_the_provider(db, providers: FakeProviders) -> None:
    channel = sms_channel()
    assert isinstance(channel, AliyunSms)
    short = Message(title="t", text="long text", short="【派遣】DX2026-000001 暴露垃圾")
    result = channel.send(address="13800138000", message=short, key="gridgov-7")
    [params] = providers.provider.sent("sms")
    assert (params["PhoneNumbers"], params["SignName"], params["TemplateCode"], params["OutId"]) == (
        "13800138000",
        "某某镇",
        "SMS_0001",
        "gridgov-7",
    )
    assert params["TemplateParam"] == '{"text":"【派遣】DX2026-000001 暴露垃圾"}'
    assert result.provider_id == "biz1"


def test_aliyun_sms_with_a_wrong_secret_is_refused_for_good(db, providers: FakeProviders, settings) -> None:
    settings.GRIDGOV_ALIYUN_SMS_ACCESS_KEY_SECRET = "wrong"
    with pytest.raises(ChannelError) as caught:
        AliyunSms().send(address="13800138000", message=MESSAGE, key="k")
    assert (caught.value.retry, caught.value.reason.startswith("阿里云短信失败：SignatureDoesNotMatch")) == (
        False,
        True,
    )


def test_a_provider_answering_500_is_a_transport_fault_to_retry(db, providers: FakeProviders) -> None:
    providers.provider.fail_next.append((502, {}))
    with pytest.raises(ChannelError) as caught:
        channel_for("wecom_robot").send(address="jsb", message=MESSAGE, key="k")
    assert (caught.value.retry, caught.value.transport) == (True, True)


def test_an_unreachable_provider_is_a_transport_fault(db, settings) -> None:
    settings.GRIDGOV_NOTIFY_ROBOTS = "x|wecom|http://127.0.0.1:9/cgi-bin/webhook/send?key=k||dept:ZFZ"
    with pytest.raises(ChannelError) as caught:
        channel_for("wecom_robot").send(address="x", message=MESSAGE, key="k")
    assert (caught.value.retry, caught.value.transport) == (True, True)


def test_log_only_sms_sends_nothing_and_logs_the_masked_number(settings, caplog) -> None:
    settings.GRIDGOV_SMS_BACKEND = "log"
    channel = sms_channel()
    assert isinstance(channel, LogSms)
    with caplog.at_level("INFO", logger="gridgov.data.notify.channels.sms"):
        result = channel.send(address="13800138000", message=MESSAGE, key="gridgov-1")
    assert result.provider_id == "log-gridgov-1"
    assert "138****8000" in caplog.text
    assert "13800138000" not in caplog.text


def test_email_goes_through_the_django_mail_backend() -> None:
    result = Email().send(address="handler@example.org", message=MESSAGE, key="gridgov-3")
    [sent] = mail.outbox
    assert (sent.subject, sent.to) == (MESSAGE.title, ["handler@example.org"])
    assert sent.body == "案卷：DX2026-000001\n分类：暴露垃圾\n\nhttp://x/c/1/"
    assert sent.extra_headers["Message-ID"] == result.provider_id


def test_email_reaches_a_real_smtp_server_and_a_refusal_is_retried(settings) -> None:
    from tests.data.notify.smtp import SmtpServer

    with SmtpServer() as smtp:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": smtp.port, "timeout": 5},
            }
        }
        Email().send(address="handler@example.org", message=MESSAGE, key="gridgov-9")
        [(sender, recipients, message)] = smtp.messages
        assert (sender, recipients) == ("<gridgov@localhost>", ["handler@example.org"])
        from email.header import decode_header, make_header

        assert str(make_header(decode_header(message["Subject"]))) == MESSAGE.title
        body = message.get_payload(decode=True).decode().replace("\r\n", "\n")
        assert body == "案卷：DX2026-000001\n分类：暴露垃圾\n\nhttp://x/c/1/\n"
        smtp.refuse()
        with pytest.raises(ChannelError) as caught:
            Email().send(address="handler@example.org", message=MESSAGE, key="gridgov-10")
        assert caught.value.retry is True
        assert len(smtp.messages) == 1
