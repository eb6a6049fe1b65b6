"""A local stand-in for the providers (DingTalk, WeCom, Aliyun SMS): their published request/response formats,
signature checks included, on 127.0.0.1 in a thread. Tests point the channel settings at it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Provider:
    dingtalk_key: str = "ding-key"
    dingtalk_secret: str = "ding-secret"
    wecom_corp: str = "corp"
    wecom_secret: str = "wecom-secret"
    robot_secret: str = "SECrobot"
    aliyun_id: str = "ali-id"
    aliyun_secret: str = "ali-secret"
    tokens_issued: int = 0
    valid_tokens: set[str] = field(default_factory=set)
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    fail_next: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (http status, body) answers
    lock: threading.Lock = field(default_factory=threading.Lock)

    def token(self) -> str:
        with self.lock:
            self.tokens_issued += 1
            token = f"tok{self.tokens_issued}"
            self.valid_tokens.add(token)
            return token

    def expire_tokens(self) -> None:
        self.valid_tokens.clear()

    def sent(self, kind: str) -> list[dict[str, Any]]:
        return [body for k, body in self.received if k == kind]


def _aliyun_percent(text: str) -> str:
    return urllib.parse.quote(text, safe="~")


def aliyun_expected_signature(secret: str, params: dict[str, str], method: str) -> str:
    """Written from Aliyun's published description, independently of the adapter."""
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    query = "&".join(_aliyun_percent(k) + "=" + _aliyun_percent(v) for k, v in pairs)
    to_sign = method + "&" + _aliyun_percent("/") + "&" + _aliyun_percent(query)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


def dingtalk_msg_problem(msg: dict[str, Any]) -> str:
    """What a work notification's ``msg`` lacks, per DingTalk's published message types ("" when it is whole)."""
    kind = msg.get("msgtype")
    body = msg.get(kind) if isinstance(kind, str) else None
    if not isinstance(body, dict):
        return "msgtype"
    needs = {"markdown": ("title", "text"), "action_card": ("title", "markdown"), "text": ("content",)}
    missing = [name for name in needs.get(str(kind), ("?",)) if not body.get(name)]
    if (
        kind == "action_card"
        and not (body.get("single_title") and body.get("single_url"))
        and not body.get("btn_json_list")
    ):
        missing.append("single_title/single_url")
    return ",".join(missing)


def wecom_msg_problem(body: dict[str, Any]) -> str:
    """What a WeCom application message breaks of the published format and limits ("" when none)."""
    kind = body.get("msgtype")
    if kind == "textcard":
        card = body.get("textcard") or {}
        if not (card.get("title") and card.get("description") and card.get("url")):
            return "textcard.title/description/url"
        if len(card["title"].encode()) > 128 or len(card["description"].encode()) > 512:
            return "textcard too long"
        if len(card.get("btntxt", "")) > 4:
            return "btntxt"
        return ""
    if kind == "markdown":
        return "" if (body.get("markdown") or {}).get("content") else "markdown.content"
    return "msgtype"


class _Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _answer(self, body: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        p = self.provider
        if url.path == "/gettoken":  # DingTalk
            if (query.get("appkey"), query.get("appsecret")) != (p.dingtalk_key, p.dingtalk_secret):
                return self._answer({"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"})
            return self._answer({"errcode": 0, "errmsg": "ok", "access_token": p.token(), "expires_in": 7200})
        if url.path == "/cgi-bin/gettoken":  # WeCom
            if (query.get("corpid"), query.get("corpsecret")) != (p.wecom_corp, p.wecom_secret):
                return self._answer({"errcode": 40001, "errmsg": "invalid credential"})
            return self._answer({"errcode": 0, "errmsg": "ok", "access_token": p.token(), "expires_in": 7200})
        return self._answer({"errcode": 404}, 404)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        p = self.provider
        if p.fail_next:
            status, body = p.fail_next.pop(0)
            return self._answer(body, status)
        if url.path == "/topapi/message/corpconversation/asyncsend_v2":
            if query.get("access_token") not in p.valid_tokens:
                return self._answer({"errcode": 40014, "errmsg": "不合法的access_token"})
            body = json.loads(raw)
            problem = dingtalk_msg_problem(body.get("msg") or {})
            if problem:
                return self._answer({"errcode": 40035, "errmsg": f"缺少参数 {problem}"})
            p.received.append(("dingtalk", body))
            return self._answer({"errcode": 0, "errmsg": "ok", "task_id": 1000 + len(p.received), "request_id": "r"})
        if url.path == "/robot/send":
            timestamp = query.get("timestamp", "")
            text = f"{timestamp}\n{p.robot_secret}".encode()
            expected = base64.b64encode(hmac.new(p.robot_secret.encode(), text, hashlib.sha256).digest()).decode()
            if query.get("sign") != expected or abs(int(timestamp or 0) - time.time() * 1000) > 3600_000:
                return self._answer({"errcode": 310000, "errmsg": "sign not match"})
            p.received.append(("dingtalk_robot", json.loads(raw)))
            return self._answer({"errcode": 0, "errmsg": "ok"})
        if url.path == "/cgi-bin/message/send":
            if query.get("access_token") not in p.valid_tokens:
                return self._answer({"errcode": 42001, "errmsg": "access_token expired"})
            body = json.loads(raw)
            problem = wecom_msg_problem(body)
            if problem:
                return self._answer({"errcode": 40058, "errmsg": f"invalid parameter: {problem}"})
            p.received.append(("wecom", body))
            return self._answer({"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": f"m{len(p.received)}"})
        if url.path == "/cgi-bin/webhook/send":
            if query.get("key") != "robot-key":
                return self._answer({"errcode": 93000, "errmsg": "invalid webhook url"})
            p.received.append(("wecom_robot", json.loads(raw)))
            return self._answer({"errcode": 0, "errmsg": "ok"})
        if url.path == "/":  # Aliyun SMS, RPC style, form body
            params = dict(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True))
            if params.get("AccessKeyId") != p.aliyun_id:
                return self._answer({"Code": "InvalidAccessKeyId.NotFound", "Message": "x"}, 404)
            if params.get("Signature") != aliyun_expected_signature(p.aliyun_secret, params, "POST"):
                return self._answer(
                    {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}, 400
                )
            p.received.append(("sms", params))
            return self._answer({"Code": "OK", "Message": "OK", "BizId": f"biz{len(p.received)}", "RequestId": "r"})
        return self._answer({"errcode": 404}, 404)


class FakeProviders:
    def __init__(self) -> None:
        self.provider = Provider()
        handler = type("Handler", (_Handler,), {"provider": self.provider})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeProviders:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
