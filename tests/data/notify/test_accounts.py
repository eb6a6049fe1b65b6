"""Channel accounts imported from Excel in the admin: ids and numbers (encrypted), all or nothing."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gridgov.data.notify.domain.accounts import import_accounts
from gridgov.data.notify.models import ChannelAccount
from tests.factories import TownWorld


def sheet(*rows: tuple[object, ...]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_ids_and_numbers_are_imported_and_updated(world: TownWorld) -> None:
    ChannelAccount.objects.create(user=world.handler_b, wecom_userid="old", mobile="13900000000")
    content = sheet(
        ("用户名", "钉钉用户ID", "手机号"),
        ("handler_a", "ding_a", 13800138000),  # a number typed as a number in Excel
        ("handler_b", "ding_b", ""),
        (None, None, None),
    )
    result = import_accounts(content=content)
    assert (result.created, result.updated, result.errors) == (1, 1, [])
    rows = {a.user.username: (a.dingtalk_userid, a.wecom_userid, a.mobile) for a in ChannelAccount.objects.all()}
    assert rows == {"handler_a": ("ding_a", "", "13800138000"), "handler_b": ("ding_b", "old", "")}


def test_an_error_imports_nothing_and_names_its_row(world: TownWorld) -> None:
    content = sheet(("用户名", "手机号"), ("handler_a", "13800138000"), ("nobody", "1380013800"))
    result = import_accounts(content=content)
    assert result.errors == ["第 3 行：用户名 nobody 不存在", "第 3 行：手机号应为 11 位数字"]
    assert ChannelAccount.objects.count() == 0


def test_the_admin_page_imports_a_sheet_and_keeps_the_number_encrypted(world: TownWorld, client) -> None:
    from django.db import connection

    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    listing = client.get("/admin/notify/channelaccount/").content.decode()
    assert 'href="/admin/notify/channelaccount/import/"' in listing
    upload = SimpleUploadedFile(
        "ids.xlsx", sheet(("用户名", "企业微信用户ID", "手机号"), ("handler_a", "wx_a", "13800138000"))
    )
    answer = client.post("/admin/notify/channelaccount/import/", {"file": upload})
    assert (answer.status_code, answer["Location"]) == (302, "/admin/notify/channelaccount/")
    account = ChannelAccount.objects.get(user=world.handler_a)
    assert (account.wecom_userid, account.mobile) == ("wx_a", "13800138000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM notify_channelaccount")
        [(stored,)] = cursor.fetchall()
    assert "13800138000" not in stored
    assert "138****8000" in client.get("/admin/notify/channelaccount/").content.decode()
