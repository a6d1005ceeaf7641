"""uvicorn's h11 protocol with a deadline for every request's headers, so idle or half-open connections end.

uvicorn times out a connection only between two requests (keep-alive). A client that connects and sends nothing,
or half a request line, would hold the connection (and its memory) forever: a few hundred such clients exhaust the
server. Here a connection must deliver a complete request head within HEADER_TIMEOUT seconds of opening, and of the
end of its previous response; slow bodies are limited by the app (web/app.py, BODY_TIMEOUT_SECONDS).
"""
from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_SECONDS = 10.0


class DeadlineH11Protocol(H11Protocol):
    header_timeout = HEADER_TIMEOUT_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_deadline: asyncio.TimerHandle | None = None
        self._arm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
        self._head_deadline = self.loop.call_later(self.header_timeout, self._head_deadline_passed)

    def _head_deadline_passed(self) -> None:
        # A request whose head arrived has a cycle that is not complete yet: the app is working on it, leave it.
        waiting_for_head = self.cycle is None or self.cycle.response_complete
        if waiting_for_head and not self.transport.is_closing():
            self.transport.close()
