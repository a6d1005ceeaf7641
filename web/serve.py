"""Serves the web chat page and proxies /webhooks/* to Rasa, so the page talks to one origin (no CORS needed).

Usage:  .venv/app/bin/python web/serve.py [--port 8080] [--host 0.0.0.0] [--rasa-url http://localhost:5005]
        (defaults also from the environment: WEB_PORT, WEB_HOST, RASA_URL)

Also serves the check-up's option charts that the action server draws (actions/charts.py): GET /charts/<hash>.png
from CHARTS_DIR (default var/charts, relative to the repository root; the same setting as the action server).

Standard library only. When Rasa cannot be reached the proxy answers 502 with a bilingual JSON error, which the page
turns into its "cannot reach the assistant, retrying" message.
"""
from __future__ import annotations

import argparse
import json
import logging
import mimetypes
import os
import re
import sys
import urllib.error
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

try:  # run as a script (python web/serve.py) or imported as web.serve
    from web import console_api
except ImportError:  # pragma: no cover
    import console_api

STATIC_ROOT = Path(__file__).resolve().parent / "static"
INDEX = Path(__file__).resolve().parent / "index.html"
MAX_BODY_BYTES = 16 * 1024          # a chat message is short; anything bigger is refused before it reaches Rasa
RASA_TIMEOUT_SECONDS = 60           # a check-up result can take a few seconds on 2 cores
PROXIED_PREFIX = "/webhooks/"
ROOT = Path(__file__).resolve().parents[1]
CHARTS_PREFIX = "/charts/"
CHART_NAME = re.compile(r"[0-9a-f]{16,64}\.png")   # content hashes only: no dots, slashes or other names
CHART_CACHE = "public, max-age=31536000, immutable"  # the name is a hash of the content: it never changes

# The page may only load its own files; bot images (charts) may be data: URIs or http(s) links.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob: http: https:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

RASA_DOWN = {
    "error": "assistant_unreachable",
    "message_zh": "暂时连不上助手，请稍后再试。",
    "message_en": "The assistant cannot be reached right now. Please try again shortly.",
}

log = logging.getLogger("web.serve")


class ChatPageHandler(BaseHTTPRequestHandler):
    server_version = "SuixingWeb/1.0"
    protocol_version = "HTTP/1.1"
    rasa_url = "http://localhost:5005"  # replaced in make_server()

    # --- helpers -----------------------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(self, status: int, payload: dict) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8",
                   {"Cache-Control": "no-store"})

    def log_message(self, fmt: str, *args) -> None:  # quieter than the default, and never logs bodies
        log.info("%s %s", self.address_string(), console_api.redact(fmt % args))

    # --- static files ------------------------------------------------------------------------------------------
    def _static_path(self, url_path: str) -> Path | None:
        if url_path in ("/", "/index.html"):
            return INDEX
        if not url_path.startswith("/static/"):
            return None
        candidate = (STATIC_ROOT / url_path[len("/static/"):]).resolve()
        # No escaping the static folder with ../ or symlinks.
        if STATIC_ROOT not in candidate.parents or not candidate.is_file():
            return None
        return candidate

    def _chart(self, url_path: str) -> None:
        name = url_path[len(CHARTS_PREFIX):]
        file = console_api.charts_dir() / name if CHART_NAME.fullmatch(name) else None
        if file is None or not file.is_file():
            self._send_json(404, {"error": "not_found", "message_zh": "图表不存在。", "message_en": "Chart not found."})
            return
        self._send(200, file.read_bytes(), "image/png", {"Cache-Control": CHART_CACHE})

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        path = urlsplit(self.path).path
        if path.startswith(PROXIED_PREFIX):
            self._proxy()
            return
        if path.startswith(CHARTS_PREFIX):
            self._chart(path)
            return
        if path == "/healthz":
            self._send_json(200, {"status": "ok"})
            return
        if console_api.handles(path):  # the hotline staff console (web/console_api.py, docs/console.md)
            console_api.handle(self)
            return
        file = self._static_path(path)
        if file is None:
            self._send_json(404, {"error": "not_found", "message_zh": "页面不存在。", "message_en": "Page not found."})
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
            content_type += "; charset=utf-8"
        # Short cache: the page is small and a redeploy should show at once.
        self._send(200, file.read_bytes(), content_type, {"Cache-Control": "no-cache"})

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if urlsplit(self.path).path.startswith(PROXIED_PREFIX):
            self._proxy()
        elif console_api.handles(urlsplit(self.path).path):
            console_api.handle(self)
        else:
            self._send_json(405, {"error": "method_not_allowed"})

    # --- proxy to Rasa -----------------------------------------------------------------------------------------
    def _proxy(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the unread body must not be parsed as the next request
            self._send_json(413, {"error": "too_large", "message_zh": "消息太长了，请分几次发送。",
                                  "message_en": "The message is too long; please send it in parts."})
            return
        body = self.rfile.read(length) if length else None
        headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
        request = urllib.request.Request(self.rasa_url + self.path, data=body, headers=headers,
                                         method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=RASA_TIMEOUT_SECONDS) as upstream:
                payload = upstream.read()
                status = upstream.status
                content_type = upstream.headers.get("Content-Type", "application/json")
        except urllib.error.HTTPError as error:  # Rasa answered, with an error status: pass it on
            payload, status = error.read(), error.code
            content_type = error.headers.get("Content-Type", "application/json")
        except (urllib.error.URLError, OSError) as error:  # refused, reset, timed out: Rasa is down or starting
            log.warning("Rasa at %s unreachable: %s", self.rasa_url, error)
            self._send_json(HTTPStatus.BAD_GATEWAY, RASA_DOWN)
            return
        self._send(status, payload, content_type, {"Cache-Control": "no-store"})


def make_server(host: str, port: int, rasa_url: str) -> ThreadingHTTPServer:
    handler = type("Handler", (ChatPageHandler,), {"rasa_url": rasa_url.rstrip("/")})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the Suixing web chat page and proxy /webhooks/* to Rasa. "
                                                 "Example: python web/serve.py --port 8080 "
                                                 "--rasa-url http://localhost:5005")
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = make_server(args.host, args.port, args.rasa_url)
    log.info("Web chat on http://%s:%d (Rasa: %s)", args.host, args.port, args.rasa_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
