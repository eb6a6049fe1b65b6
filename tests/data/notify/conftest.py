from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from tests.data.notify.fakes import FakeProviders


@pytest.fixture
def providers(settings) -> Iterator[FakeProviders]:
    cache.clear()  # access tokens
    with FakeProviders() as fake:
        p = fake.provider
        settings.GRIDGOV_DINGTALK_API = fake.url
        settings.GRIDGOV_DINGTALK_APP_KEY = p.dingtalk_key
        settings.GRIDGOV_DINGTALK_APP_SECRET = p.dingtalk_secret
        settings.GRIDGOV_DINGTALK_AGENT_ID = "123"
        settings.GRIDGOV_WECOM_API = fake.url
        settings.GRIDGOV_WECOM_CORP_ID = p.wecom_corp
        settings.GRIDGOV_WECOM_SECRET = p.wecom_secret
        settings.GRIDGOV_WECOM_AGENT_ID = "1000002"
        settings.GRIDGOV_SMS_BACKEND = "aliyun"
        settings.GRIDGOV_ALIYUN_SMS_ENDPOINT = fake.url
        settings.GRIDGOV_ALIYUN_SMS_ACCESS_KEY_ID = p.aliyun_id
        settings.GRIDGOV_ALIYUN_SMS_ACCESS_KEY_SECRET = p.aliyun_secret
        settings.GRIDGOV_ALIYUN_SMS_SIGN_NAME = "某某镇"
        settings.GRIDGOV_ALIYUN_SMS_TEMPLATE = "SMS_0001"
        settings.GRIDGOV_NOTIFY_ROBOTS = (
            f"zfz|dingtalk|{fake.url}/robot/send?access_token=abc|{p.robot_secret}|dept:ZFZ;"
            f"jsb|wecom|{fake.url}/cgi-bin/webhook/send?key=robot-key||dept:JSB"
        )
        yield fake
    cache.clear()
