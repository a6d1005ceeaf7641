"""Serves the web chat page and the hotline console, and proxies the chat webhooks to Rasa (one origin, no CORS).

Usage:  .venv/app/bin/python web/serve.py [--port 8080] [--host 0.0.0.0] [--rasa-url http://localhost:5005]
        (defaults also from the environment: WEB_PORT, WEB_HOST, RASA_URL; limits: see web/app.py Settings)

The app is Starlette (web/app.py) on uvicorn with its h11 parser, which refuses malformed Content-Length and
Transfer-Encoding with 400; web/protocol.py closes connections that send no complete request head within 10 s
(WEB_HEADER_TIMEOUT_SECONDS).
Forwarding headers are not trusted (proxy_headers off): the client is the socket's peer, for rate limits and the
console alike.
"""
from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, "") and str(ROOT) not in sys.path:  # run as a script: python web/serve.py
    sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402

from web.app import Settings, create_app  # noqa: E402
from web.protocol import HEADER_TIMEOUT_SECONDS, DeadlineH11Protocol  # noqa: E402

KEEP_ALIVE_SECONDS = 15
MAX_CONNECTIONS = 400          # beyond this uvicorn answers 503 at once instead of queueing

log = logging.getLogger("web.serve")


def header_timeout() -> float:
    raw = os.environ.get("WEB_HEADER_TIMEOUT_SECONDS")
    try:
        return float(raw) if raw else HEADER_TIMEOUT_SECONDS
    except ValueError:
        raise SystemExit(f"WEB_HEADER_TIMEOUT_SECONDS={raw!r} is not a number / 必须是数字")


def uvicorn_config(app, **kwargs) -> uvicorn.Config:
    protocol = type("Protocol", (DeadlineH11Protocol,), {"header_timeout": header_timeout()})
    return uvicorn.Config(app, http=protocol, ws="none", lifespan="on", proxy_headers=False, server_header=False,
                          date_header=True, access_log=False, timeout_keep_alive=KEEP_ALIVE_SECONDS,
                          limit_concurrency=MAX_CONNECTIONS, log_config=None, **kwargs)


class ThreadableServer:
    """A uvicorn server on an already bound socket, driven like http.server's (serve_forever/shutdown), for tests
    that run it in a thread."""

    def __init__(self, host: str, port: int, rasa_url: str):
        self.socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.server_address = self.socket.getsockname()
        self.server = uvicorn.Server(uvicorn_config(create_app(Settings.from_environment(rasa_url))))
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        self.server.should_exit = True
        self._stopped.wait(10)

    def server_close(self) -> None:
        self.socket.close()


def make_server(host: str, port: int, rasa_url: str) -> ThreadableServer:
    return ThreadableServer(host, port, rasa_url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the Suixing web chat page and proxy the chat webhooks to "
                                                 "Rasa. Example: python web/serve.py --port 8080 "
                                                 "--rasa-url http://localhost:5005")
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(Settings.from_environment(args.rasa_url))
    log.info("Web chat on http://%s:%d (Rasa: %s)", args.host, args.port, args.rasa_url)
    uvicorn.Server(uvicorn_config(app, host=args.host, port=args.port)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
