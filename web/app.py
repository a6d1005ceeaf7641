"""The public web server as a Starlette app: the chat page, its assets, the charts, the console, and a proxy to
Rasa for the chat webhooks only.

    GET  /  /index.html  /static/<file>      the chat page (web/index.html, web/static/)
    GET  /charts/<sha>.png                    the check-up charts the action server draws (CHARTS_DIR)
    GET  /healthz                             {"status": "ok"}
    POST /webhooks/rest/webhook               the page's messages, checked, then proxied to Rasa's REST channel
    GET/POST /webhooks/wechat/webhook         WeChat's calls (signature in the query), proxied as they are
    /console, /api/console/*                  the hotline console (web/console_api.py, through console_bridge)

Every refusal is JSON with `error`, `message_zh` and `message_en`, which the page shows:
413 too_large / message_too_long, 400 bad_message, 408 body_timeout, 429 rate_limited (middleware),
502 assistant_unreachable (Rasa refused or reset), 503 assistant_timeout (Rasa slower than RASA_TIMEOUT_SECONDS).
"""
from __future__ import annotations

import json
import logging
import mimetypes
import os
import re
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio
import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from web import console_api
from web.console_bridge import console
from web.middleware import (AccessLog, RateLimit, RateLimits, SecurityHeaders, UnambiguousLength, UrlLimit,
                            error_body)

WEB_ROOT = Path(__file__).resolve().parent
STATIC_ROOT = WEB_ROOT / "static"
INDEX = WEB_ROOT / "index.html"
CHART_NAME = re.compile(r"[0-9a-f]{16,64}\.png")   # content hashes only: no dots, slashes or other names
CHART_CACHE = "public, max-age=31536000, immutable"  # the name is a hash of the content: it never changes
REST_WEBHOOK = "/webhooks/rest/webhook"
WECHAT_WEBHOOK = "/webhooks/wechat/webhook"

log = logging.getLogger("web.serve")


@dataclass(frozen=True)
class Settings:
    rasa_url: str = "http://localhost:5005"
    max_body_bytes: int = 16 * 1024        # a chat message is short; anything bigger is refused before Rasa
    max_message_chars: int = 1000          # the page's box takes 500; typed text beyond this is a paste accident
    max_sender_chars: int = 128
    rasa_timeout_seconds: float = 30.0     # a check-up result takes a few seconds on 2 cores; the page waits 45
    body_timeout_seconds: float = 10.0
    chat_per_minute: float = 30.0          # per client: one message every 2 s on average ...
    chat_burst: int = 20                   # ... and 20 at once (buttons, a reload re-sending its queue)
    other_per_minute: float = 600.0        # page, assets, charts, console
    other_burst: int = 120

    @classmethod
    def from_environment(cls, rasa_url: str) -> "Settings":
        """RASA_TIMEOUT_SECONDS, WEB_CHAT_PER_MINUTE, WEB_CHAT_BURST, WEB_OTHER_PER_MINUTE, WEB_OTHER_BURST."""
        def number(name: str, default, kind=float):
            raw = os.environ.get(name)
            try:
                return kind(raw) if raw else default
            except ValueError:
                raise SystemExit(f"{name}={raw!r} is not a number / {name} 必须是数字")

        return cls(rasa_url=rasa_url.rstrip("/"),
                   rasa_timeout_seconds=number("RASA_TIMEOUT_SECONDS", cls.rasa_timeout_seconds),
                   chat_per_minute=number("WEB_CHAT_PER_MINUTE", cls.chat_per_minute),
                   chat_burst=number("WEB_CHAT_BURST", cls.chat_burst, int),
                   other_per_minute=number("WEB_OTHER_PER_MINUTE", cls.other_per_minute),
                   other_burst=number("WEB_OTHER_BURST", cls.other_burst, int))


class Refusal(Exception):
    def __init__(self, status: int, code: str, zh: str, en: str, close: bool = False):
        super().__init__(code)
        self.status, self.code, self.zh, self.en, self.close = status, code, zh, en, close

    def response(self) -> Response:
        headers = {"Cache-Control": "no-store", **({"Connection": "close"} if self.close else {})}
        return Response(error_body(self.code, self.zh, self.en), self.status, headers=headers,
                        media_type="application/json; charset=utf-8")


def json_error(status: int, code: str, zh: str, en: str) -> Response:
    return Refusal(status, code, zh, en).response()


RASA_DOWN = ("assistant_unreachable", "暂时连不上助手，请稍后再试。",
             "The assistant cannot be reached right now. Please try again shortly.")
RASA_SLOW = ("assistant_timeout", "助手这次回答太慢了，请稍后再发一次。",
             "The assistant took too long to answer. Please send your message again shortly.")


# --- pages and files ---------------------------------------------------------------------------------------------
def file_response(file: Path, cache: str = "no-cache") -> Response:
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
        content_type += "; charset=utf-8"
    return Response(file.read_bytes(), media_type=content_type, headers={"Cache-Control": cache})


async def index(request: Request) -> Response:
    return file_response(INDEX)


async def static(request: Request) -> Response:
    candidate = (STATIC_ROOT / request.path_params["path"]).resolve()
    # No escaping the static folder with ../ or symlinks.
    if STATIC_ROOT not in candidate.parents or not candidate.is_file():
        return await not_found(request)
    return file_response(candidate)


async def chart(request: Request) -> Response:
    name = request.path_params["name"]
    file = console_api.charts_dir() / name if CHART_NAME.fullmatch(name) else None
    if file is None or not file.is_file():
        return json_error(404, "not_found", "图表不存在。", "Chart not found.")
    return Response(file.read_bytes(), media_type="image/png", headers={"Cache-Control": CHART_CACHE})


async def healthz(request: Request) -> Response:
    return Response(b'{"status": "ok"}', media_type="application/json", headers={"Cache-Control": "no-store"})


async def not_found(request: Request, exc: Exception | None = None) -> Response:
    return json_error(404, "not_found", "页面不存在。", "Page not found.")


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("failed on %s %s", request.method, request.url.path, exc_info=exc)
    return json_error(500, "internal", "服务器出错了，请稍后再试。", "Server error; please try again.")


async def method_not_allowed(request: Request, exc: Exception | None = None) -> Response:
    return json_error(405, "method_not_allowed", "不支持这种请求方式。", "Method not allowed.")


# --- the proxy ---------------------------------------------------------------------------------------------------
async def read_body(request: Request, settings: Settings) -> bytes:
    """The whole body, at most max_body_bytes, within body_timeout_seconds (chunked bodies are counted too)."""
    too_large = Refusal(413, "too_large", "消息太长了，请分几次发送。",
                        "The message is too long; please send it in parts.", close=True)
    declared = request.headers.get("content-length")
    if declared is not None and int(declared) > settings.max_body_bytes:  # h11 has checked it is an integer
        raise too_large
    chunks, size = [], 0
    try:
        with anyio.fail_after(settings.body_timeout_seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > settings.max_body_bytes:
                    raise too_large
                chunks.append(chunk)
    except TimeoutError:
        raise Refusal(408, "body_timeout", "消息没有完整送到，请重新发送。",
                      "The message did not arrive in full; please send it again.", close=True)
    return b"".join(chunks)


def check_chat_message(body: bytes, settings: Settings) -> None:
    """The REST channel's message: {"sender": str, "message": str, ...}, with a message a person could type."""
    bad = Refusal(400, "bad_message", "消息格式不对，请刷新页面后再试。",
                  "The message is not in the expected format; please reload the page and try again.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise bad
    if not isinstance(data, dict) or not isinstance(data.get("message"), str) \
            or not isinstance(data.get("sender"), str) or not 0 < len(data["sender"]) <= settings.max_sender_chars:
        raise bad
    if len(data["message"]) > settings.max_message_chars:
        limit = settings.max_message_chars
        raise Refusal(413, "message_too_long", f"这条消息超过 {limit} 个字了，请分几次发送。",
                      f"This message is longer than {limit} characters; please send it in parts.")


async def forward(request: Request, body: bytes) -> Response:
    client: httpx.AsyncClient = request.app.state.rasa
    settings: Settings = request.app.state.settings
    target = settings.rasa_url + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    headers = {"Content-Type": request.headers.get("content-type", "application/json")}
    try:
        upstream = await client.request(request.method, target, content=body or None, headers=headers)
    except httpx.TimeoutException as error:    # connect, read or pool: Rasa is busy or stuck
        log.warning("Rasa at %s too slow: %r", settings.rasa_url, error)
        return json_error(503, *RASA_SLOW)
    except httpx.TransportError as error:      # refused, reset: Rasa is down or starting
        log.warning("Rasa at %s unreachable: %r", settings.rasa_url, error)
        return json_error(502, *RASA_DOWN)
    return Response(upstream.content, upstream.status_code, headers={"Cache-Control": "no-store"},
                    media_type=upstream.headers.get("content-type", "application/json"))


async def rest_webhook(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    try:
        body = await read_body(request, settings)
        check_chat_message(body, settings)
    except Refusal as refusal:
        return refusal.response()
    except ClientDisconnect:
        return Response(status_code=400)
    return await forward(request, body)


async def wechat_webhook(request: Request) -> Response:
    try:
        body = await read_body(request, request.app.state.settings)
    except Refusal as refusal:
        return refusal.response()
    except ClientDisconnect:
        return Response(status_code=400)
    return await forward(request, body)


# --- the app -----------------------------------------------------------------------------------------------------
def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette):
        timeout = httpx.Timeout(settings.rasa_timeout_seconds, connect=5.0)
        async with httpx.AsyncClient(timeout=timeout, trust_env=False) as client:
            app.state.rasa = client
            yield

    console_methods = ["GET", "POST"]
    routes = [
        Route("/", index), Route("/index.html", index),
        Route("/static/{path:path}", static),
        Route("/charts/{name:path}", chart),
        Route("/healthz", healthz),
        Route(REST_WEBHOOK, rest_webhook, methods=["POST"]),
        Route(WECHAT_WEBHOOK, wechat_webhook, methods=["GET", "POST"]),
        Route(console_api.PAGE_PATH, console, methods=console_methods),
        Route(console_api.PAGE_PATH + "/{rest:path}", console, methods=console_methods),
        Route(console_api.API_PREFIX + "{rest:path}", console, methods=console_methods),
    ]
    middleware = [
        Middleware(AccessLog),
        Middleware(SecurityHeaders),
        Middleware(UrlLimit),
        Middleware(UnambiguousLength),
        Middleware(RateLimits, chat=RateLimit(settings.chat_per_minute, settings.chat_burst),
                   other=RateLimit(settings.other_per_minute, settings.other_burst)),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={404: not_found, 405: method_not_allowed, Exception: server_error})
    app.state.settings = settings
    return app
