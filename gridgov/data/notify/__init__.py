"""Notifications beyond the 消息 page: channels (e-mail, DingTalk, WeCom, SMS), deliveries, preferences."""
