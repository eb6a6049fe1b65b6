"""``{% offline_strings %}``: the Chinese (or English) words the offline script shows, as a JSON island."""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def strings() -> dict[str, str]:
    return {
        "saved": _("已存入待发送箱，联网后自动发送"),
        "waiting": _("等待发送"),
        "sending": _("正在发送"),
        "sent": _("已发送"),
        "refused": _("被退回"),
        "conflict": _("未执行：事件已变化"),
        "number": _("事件编号 %s"),
        "resend": _("修改后重新发送"),
        "discard": _("放弃"),
        "confirm_discard": _("确定放弃这条记录吗？放弃后无法恢复。"),
        "empty": _("待发送箱是空的"),
        "storage_full": _("手机存储空间不足，这条记录没有保存。请清理空间后重试，待发送箱中已有的记录不受影响。"),
        "photo_unreadable": _("无法读取照片“%s”，请换一张或重新拍摄"),
        "offline": _("当前无网络：提交的内容将存入待发送箱，联网后自动发送"),
        "never_fetched": _("尚未下载离线数据，请联网后打开一次"),
        "sign_in": _("登录已过期：请重新登录，登录后自动发送"),
        "corrupt": _("此记录已损坏，无法发送，请放弃后重新填写"),
        "count": _("待发送 %s 条"),
        "report": _("上报事件"),
        "verify": _("核查"),
        "note": _("进展备注"),
        "located": _("离线定位：%s（联网后服务器将复核）"),
        "outside": _("该位置不在已下载的本镇网格内，联网后由服务器判断"),
        "not_yours": _("离线定位：%s，不在您负责的网格内，网格员只能在自己负责的网格内上报事件"),
        "accuracy": _("定位精度约 %s 米"),
        "unsent_logout": _("还有 %s 条记录未发送，退出登录后将被删除。确定退出吗？"),
        "no_match": _("没有找到匹配的分类，换个说法试试，或点上方大类"),
        "retry": _("发送失败，稍后自动重试（已试 %s 次）"),
        "send_now": _("立即发送"),
        "made_at": _("填写于 %s"),
        "date": _("{month}月{day}日 {time}"),
        "open_case": _("查看事件的最新情况"),
        "now_status": _("事件现在的状态：%s"),
        "happened": _("期间事件的最近几步："),
        "fix_title": _("服务器退回了这条上报，请按原因修改后重新上报（将作为新的提交发送）："),
        "fix_gone": _("待发送箱中找不到这条被退回的记录（可能已发送或已放弃），请重新填写"),
        "category_kept": _("原来选择的分类"),
    }


_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}  # as json_script does


# Where each word travels: the bar's two on every phone page, the outbox page's on that page, the fix words on
# the report page, the rest (used only offline or at sign-out) with the offline data set — each page's HTML
# stays small.
BAR = ("offline", "never_fetched")
WITH_DATA = (
    "storage_full",
    "photo_unreadable",
    "located",
    "outside",
    "not_yours",
    "accuracy",
    "unsent_logout",
    "no_match",
)
FIX = ("fix_title", "fix_gone", "category_kept")  # the report page's, for "fix and resend"


def part_of(part: str) -> dict[str, str]:
    words = strings()
    if part == "bar":
        return {k: words[k] for k in BAR}
    if part == "data":
        return {k: words[k] for k in WITH_DATA}
    if part == "fix":
        return {k: words[k] for k in FIX}
    return {k: v for k, v in words.items() if k not in BAR and k not in WITH_DATA and k not in FIX}


@register.simple_tag
def offline_strings(part: str) -> SafeString:
    """Like ``json_script``, but the Chinese kept as UTF-8 (a third of the size of \\u escapes, gzip or not)."""
    data = json.dumps(part_of(part), ensure_ascii=False).translate(_ESCAPES)
    return format_html(
        '<script id="offline-strings-{}" type="application/json" data-offline-strings>{}</script>',
        part,
        mark_safe(data),
    )
