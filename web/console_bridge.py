"""Runs web/console_api.py's handler (written for http.server) inside the Starlette app, unchanged.

console_api.handle() reads `path`, `command`, `headers`, `client_address` and answers through `_send` / `_send_json`;
the bridge gives it those and turns what it sends into one Starlette response. Its access rules stay in one place
(console_api), with one addition here: a request carrying any forwarding-type header line — whatever its value,
even empty, and however many lines — is treated as coming from elsewhere, so loopback trust never applies to it.
"""
from __future__ import annotations

import json
from email.message import Message

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from web import console_api

# Headers by which a proxy tells where a request came from. Any one of them means "not made on this machine".
FORWARDING_HEADERS = frozenset({
    "forwarded", "via", "x-real-ip", "client-ip", "true-client-ip", "cf-connecting-ip", "fastly-client-ip",
    "x-client-ip", "x-cluster-client-ip", "x-original-forwarded-for", "x-proxyuser-ip", "akamai-origin-hop",
})


def is_forwarding_header(name: str) -> bool:
    name = name.strip().lower()
    return name in FORWARDING_HEADERS or name.startswith("x-forwarded-")


class _Handler:
    """The part of http.server's BaseHTTPRequestHandler that console_api.handle() uses."""

    def __init__(self, request: Request):
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        query = request.scope.get("query_string") or b""
        self.path = (raw_path + (b"?" + query if query else b"")).decode("latin-1")
        self.command = request.method
        self.headers = Message()
        for name, value in request.scope["headers"]:
            self.headers[name.decode("latin-1")] = value.decode("latin-1")
        forwarded = any(is_forwarding_header(name.decode("latin-1")) for name, _ in request.scope["headers"])
        client = request.client.host if request.client else ""
        self.client_address = ("" if forwarded else client, request.client.port if request.client else 0)
        self.close_connection = False
        self.response: Response | None = None

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.response = Response(body, status_code=status, media_type=content_type, headers=extra or {})

    def _send_json(self, status: int, payload: dict) -> None:

        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8", {"Cache-Control": "no-store"})


async def console(request: Request) -> Response:
    handler = _Handler(request)
    await run_in_threadpool(console_api.handle, handler)   # reads SQLite and the knowledge base: off the event loop
    response = handler.response or Response(status_code=500)
    if handler.close_connection:
        response.headers["Connection"] = "close"
    return response
