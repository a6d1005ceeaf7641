"""ASGI middleware of the public web server: security headers, per-client rate limits, URL limit, redacted log.

Pure ASGI (no BaseHTTPMiddleware), so a proxied reply is passed on untouched apart from the headers added here.
"""
from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote

log = logging.getLogger("web.access")

# The page may only load its own files; bot images (charts) may be data: URIs or http(s) links. No inline script.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob: http: https:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
MAX_URL_CHARS = 2048
SECRET_PARAMETERS = ("token", "secret", "signature", "password", "key")


def error_body(code: str, zh: str, en: str, **extra) -> bytes:
    return json.dumps({"error": code, "message_zh": zh, "message_en": en, **extra}, ensure_ascii=False).encode()


async def send_json(send, status: int, body: bytes, extra_headers: list[tuple[bytes, bytes]] = ()) -> None:
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store"), *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def redacted_target(path: str, query_string: bytes) -> str:
    """The request target for the log, with the values of secret parameters replaced by ***.

    Names are compared after percent-decoding (`?%74oken=` is `?token=` to every parser), and case-insensitively."""
    if not query_string:
        return path
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    shown = [(name, "***" if any(word in name.strip().lower() for word in SECRET_PARAMETERS) else value)
             for name, value in pairs]
    return path + "?" + "&".join(f"{quote(name)}={quote(value, safe='*')}" for name, value in shown)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (and drops any Server header)."""

    def __init__(self, app):
        self.app = app
        self.headers = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*[(n, v) for n, v in message.get("headers", []) if n != b"server"],
                                      *[(n, v) for n, v in self.headers if n not in present]]
            await send(message)

        await self.app(scope, receive, with_headers)


class UrlLimit:
    """Refuses over-long request targets with 414 and a bilingual message (nothing behind needs them)."""

    def __init__(self, app, max_chars: int = MAX_URL_CHARS):
        self.app, self.max_chars = app, max_chars

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") \
                > self.max_chars:
            await send_json(send, 414, error_body("url_too_long", "网址太长了。", "The address is too long."))
            return
        await self.app(scope, receive, send)


class UnambiguousLength:
    """Refuses a request that states its length twice (Content-Length with Transfer-Encoding, or two Content-Length
    lines) with 400 and closes the connection: h11 lets chunked win, but a proxy in front may read it the other way
    and take the rest of the body for a second request (request smuggling)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            names = [name for name, _ in scope.get("headers", [])]
            lengths, encodings = names.count(b"content-length"), names.count(b"transfer-encoding")
            if lengths > 1 or (lengths and encodings):
                await send_json(send, 400, error_body("ambiguous_length", "请求格式不对。", "Malformed request."),
                                [(b"connection", b"close")])
                return
        await self.app(scope, receive, send)


@dataclass
class Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimit:
    """A token bucket: `burst` requests at once, refilled at `per_minute`."""
    per_minute: float
    burst: int
    buckets: dict[str, Bucket] = field(default_factory=dict)
    max_clients: int = 10000

    def take(self, client: str, now: float) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        bucket = self.buckets.get(client)
        if bucket is None:
            if len(self.buckets) >= self.max_clients:
                self._forget_full(now)
            bucket = self.buckets[client] = Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_minute / 60)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) * 60 / self.per_minute

    def _forget_full(self, now: float) -> None:
        """Drops clients whose bucket has refilled (they are back to the state of a new client)."""
        refill = self.burst * 60 / self.per_minute
        for client in [c for c, b in self.buckets.items() if now - b.updated >= refill] or list(self.buckets):
            del self.buckets[client]


class RateLimits:
    """Per-client limits (the client is the socket's address: forwarding headers are not trusted here).

    Chat messages have their own, tighter limit; every other request shares a wider one."""

    def __init__(self, app, chat: RateLimit, other: RateLimit, chat_prefix: str = "/webhooks/", clock=time.monotonic):
        self.app, self.chat, self.other, self.chat_prefix, self.clock = app, chat, other, chat_prefix, clock

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        is_chat = scope["path"].startswith(self.chat_prefix) and scope["method"] == "POST"
        wait = (self.chat if is_chat else self.other).take(client, self.clock())
        if wait:
            seconds = max(1, math.ceil(wait))
            log.warning("rate limit for %s on %s (retry in %d s)", client, scope["path"], seconds)
            body = error_body("rate_limited", f"发得太快了，请等 {seconds} 秒再发。你的消息会保留。",
                              f"Too many messages at once. Please wait {seconds} s; your message is kept.",
                              retry_after=seconds)
            await send_json(send, 429, body, [(b"retry-after", str(seconds).encode())])
            return
        await self.app(scope, receive, send)


class AccessLog:
    """One line per request: client, method, target (secrets redacted), status, milliseconds. Never a body."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [0]

        async def remember_status(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            client = (scope.get("client") or ("-", 0))[0]
            target = redacted_target(scope.get("path", ""), scope.get("query_string", b""))
            log.info("%s %s %s %d %.0fms", client, scope["method"], target, status[0],
                     (time.perf_counter() - started) * 1000)
