"""Users' channel accounts (DingTalk and WeCom user ids, mobile number) imported from an Excel sheet.

The first sheet's header row names the columns: 用户名 (required), 钉钉用户ID, 企业微信用户ID, 手机号 (any of the
last three). A column left out is left as it was; an empty cell clears the value. All or nothing: any row in
error (unknown user name, malformed number) imports nothing, and each error names its row.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gridgov.data.notify.models import ChannelAccount
from gridgov.data.org.models import User

COLUMNS = {"用户名": "username", "钉钉用户ID": "dingtalk_userid", "企业微信用户ID": "wecom_userid", "手机号": "mobile"}
MOBILE_RE = re.compile(r"^1\d{10}$")
MAX_ROWS = 20_000


@dataclass
class AccountImport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_accounts(*, content: bytes) -> AccountImport:
    result = AccountImport()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        result.errors.append(_("无法读取文件，请上传 .xlsx 格式的 Excel 文件"))
        return result
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    positions = {COLUMNS[name]: i for i, name in enumerate(header) if name in COLUMNS}
    if "username" not in positions or len(positions) < 2:
        result.errors.append(_("第 1 行应为表头：用户名，以及 钉钉用户ID、企业微信用户ID、手机号 中的至少一列"))
        return result
    parsed: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            result.errors.append(_("行数过多（最多 %(n)s 行）") % {"n": MAX_ROWS})
            break
        values = {key: _cell(row[i]) if i < len(row) else "" for key, i in positions.items()}
        if not any(values.values()):
            continue
        parsed.append((number, values))
    users = {u.username: u for u in User.objects.filter(username__in=[v["username"] for _n, v in parsed])}
    for number, values in parsed:
        if values["username"] not in users:
            result.errors.append(
                _("第 %(row)s 行：用户名 %(name)s 不存在") % {"row": number, "name": values["username"]}
            )
        mobile = values.get("mobile", "")
        if mobile and not MOBILE_RE.match(mobile):
            result.errors.append(_("第 %(row)s 行：手机号应为 11 位数字") % {"row": number})
    if result.errors:
        return result
    with transaction.atomic():
        existing = {a.user_id: a for a in ChannelAccount.objects.filter(user__in=list(users.values()))}
        for _number, values in parsed:
            user = users[values["username"]]
            account = existing.get(user.pk) or ChannelAccount(user=user)
            for key, value in values.items():
                if key != "username":
                    setattr(account, key, value)
            if account.pk is None:
                result.created += 1
            else:
                result.updated += 1
            account.save()
            existing[user.pk] = account
    return result
