"""What the public web server (web/serve.py: Starlette on uvicorn, httpx to Rasa) adds to a chat message.

    PYTHONPATH=. .venv/app/bin/python benchmarks/bench_web_proxy.py [--requests 1000] [--concurrency 50]

Starts the tests' stand-in for Rasa (instant answers) and web/serve.py in front of it (rate limits raised so they do
not act), then sends the same messages straight to the stand-in and through the web server, N at a time, and prints
messages/s, p50/p95/p99 and errors for both, plus the page itself. The difference is the proxy's cost. The real
Rasa manages about 14 turns/s on 2 cores (issue 10), so the target is a proxy sustaining well over 10 times that
with 0 errors. Measured 2026-12-04 on the shared 2-core machine, 50 at a time: stand-in alone 1192/s (p95 58 ms),
through web/serve.py 411/s (p95 141 ms, 0 errors), the page 4193/s; 10 at a time: 447/s through the proxy, p95 29 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from http.server import ThreadingHTTPServer  # noqa: E402

from tests.web.conftest import FakeRasa, start_web, stop_web  # noqa: E402


async def exchange(reader, writer, request: bytes) -> tuple[int, bool]:
    """One HTTP/1.1 request on a kept-alive connection; returns the status and whether the connection stays open."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    await reader.readexactly(length)
    kept = head.startswith(b"HTTP/1.1") and b"connection: close" not in head.lower()
    return int(head.split(b" ", 2)[1]), kept


def request_bytes(url: str, n: int, post: bool) -> bytes:
    host, path = url.split("//", 1)[1].split("/", 1)
    if not post:
        return f"GET /{path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    body = json.dumps({"sender": f"bench-{n}", "message": "你好"}).encode()
    return (f"POST /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def fire(url: str, total: int, concurrency: int, post: bool) -> tuple[list[float], int, float]:
    """`concurrency` clients, each on its own kept-alive connection (a minimal client: httpx's own pool costs more
    than the server at 50 connections and would be what is measured)."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    timings, errors = [], 0

    async def client(n: int, count: int) -> None:
        nonlocal errors
        request = request_bytes(url, n, post)
        reader = writer = None
        for _ in range(count):
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, int(port))
                status, kept = await exchange(reader, writer, request)
                errors += status != 200
                if not kept:           # the HTTP/1.0 stand-in closes after every answer
                    writer.close()
                    writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                writer = None
            timings.append(time.perf_counter() - started)
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n, total // concurrency) for n in range(concurrency)))
    return timings, errors, time.perf_counter() - started


def report(name: str, timings: list[float], errors: int, elapsed: float) -> None:
    cuts = statistics.quantiles(timings, n=100)
    print(f"{name:<28} {len(timings) / elapsed:7.0f}/s  p50 {cuts[49] * 1000:6.1f} ms  "
          f"p95 {cuts[94] * 1000:6.1f} ms  p99 {cuts[98] * 1000:6.1f} ms  errors {errors}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args(argv)
    ThreadingHTTPServer.request_queue_size = 256   # the stand-in's default backlog (5) would drop connections
    fake = FakeRasa()
    fake.start()
    process, web = start_web(fake.url, WEB_CHAT_PER_MINUTE="1000000", WEB_CHAT_BURST="1000000",
                             WEB_OTHER_PER_MINUTE="1000000", WEB_OTHER_BURST="1000000")
    try:
        print(f"{args.requests} requests, {args.concurrency} at a time")
        report("straight to the stand-in", *asyncio.run(fire(fake.url + "/webhooks/rest/webhook", args.requests,
                                                              args.concurrency, post=True)))
        report("through web/serve.py", *asyncio.run(fire(web + "/webhooks/rest/webhook", args.requests,
                                                          args.concurrency, post=True)))
        report("the page (GET /)", *asyncio.run(fire(web + "/", args.requests, args.concurrency, post=False)))
    finally:
        stop_web(process)
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
