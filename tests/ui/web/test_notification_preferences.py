"""The 消息设置 page: channels per kind of event, within what the admin allows; htmx switches and the plain form."""

from __future__ import annotations

import re

from gridgov.data.notify.models import ChannelAccount, Preference
from tests.factories import TownWorld, signed_in


def test_the_page_shows_the_allowed_channels_and_the_defaults(world: TownWorld, settings) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email", "sms"]
    ChannelAccount.objects.create(user=world.handler_a, mobile="13800138000")
    page = signed_in(world.handler_a).get("/notifications/preferences/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<th scope="col">电子邮件</th><th scope="col">短信</th>' in html
    assert "钉钉" not in html  # not configured, not allowed
    # e-mail on by default but the handler has no address; SMS on by default only for red lamps and 督办
    assert 'id="pref-dispatched-email"' in html
    assert html.count("未绑定账号，暂收不到") == 10  # every kind's e-mail cell
    assert 'value="overdue_red:sms" checked' in html
    assert 'value="dispatched:sms" checked' not in html


def test_an_htmx_switch_saves_one_choice_and_answers_its_cell(world: TownWorld, settings) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email"]
    client = signed_in(world.handler_a)
    answer = client.post(
        "/notifications/preferences/switch/",
        {"kind": "dispatched", "channel": "email", "enabled": "0"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.strip().startswith('<td id="pref-dispatched-email">')
    assert "不接收" in html
    assert '"enabled": "1"' in html  # the next click switches it back on
    assert list(Preference.objects.values_list("user_id", "kind", "channel", "enabled")) == [
        (world.handler_a.pk, "dispatched", "email", False)
    ]


def test_a_channel_the_admin_does_not_allow_cannot_be_chosen(world: TownWorld, settings) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email"]
    answer = signed_in(world.handler_a).post(
        "/notifications/preferences/switch/", {"kind": "dispatched", "channel": "sms", "enabled": "1"}
    )
    assert (answer.status_code, answer.content.decode()) == (400, "该渠道未开通")
    assert Preference.objects.count() == 0


def test_the_plain_form_saves_every_switch(world: TownWorld, settings) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email"]
    client = signed_in(world.handler_a)
    answer = client.post("/notifications/preferences/", {"on": ["overdue_red:email", "supervised:email"]})
    assert (answer.status_code, answer["Location"]) == (302, "/notifications/preferences/")
    off = set(Preference.objects.filter(enabled=False).values_list("kind", flat=True))
    assert off == {"dispatched", "returned", "overdue_yellow", "extension_asked", "extension_decided",
                   "verify_failed", "closed", "other"}  # fmt: skip
    assert Preference.objects.filter(enabled=True).count() == 0  # the two kept on were on by default


def test_the_message_list_and_the_phone_home_link_to_the_settings(world: TownWorld) -> None:
    web = signed_in(world.handler_a).get("/notifications/").content.decode()
    phone = signed_in(world.grid_worker_a).get("/m/").content.decode()
    for html in (web, phone):
        assert 'href="/notifications/preferences/" id="notification-preferences"' in html


def test_each_switch_names_its_channel_for_the_phone_where_the_header_row_is_hidden(world: TownWorld, settings) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email", "sms"]
    client = signed_in(world.handler_a)
    html = client.get("/notifications/preferences/").content.decode()
    red = html[
        html.index('<td id="pref-overdue_red-email">') : html.index("</tr>", html.index('id="pref-overdue_red-sms"'))
    ]
    assert re.findall(r'<span class="show-sm">([^<]*)</span>', red) == ["电子邮件", "短信"]
    answer = client.post(
        "/notifications/preferences/switch/",
        {"kind": "dispatched", "channel": "sms", "enabled": "1"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert re.findall(r'<span class="show-sm">([^<]*)</span>', answer) == ["短信"]
