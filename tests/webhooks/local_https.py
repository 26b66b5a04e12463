"""A real HTTPS server on loopback that records what it receives: for the webhook tests and the browser
test of the webhooks pages. Its certificate, for "localhost" and 127.0.0.1, comes from a test CA (trustme)."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import trustme


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the server received, in order; it answers each POST with the next of `answers` (the last repeats)."""

    url: str
    answers: list[int]
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self) -> int:
        with self.lock:
            index = min(len(self.received), len(self.answers)) - 1
            return self.answers[max(index, 0)]

    def wait_for(self, count: int, seconds: float = 5.0) -> list[Received]:
        """The first `count` requests; fails after `seconds` (a bounded wait, never a hang)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received[:count])
            time.sleep(0.01)
        raise AssertionError(f"expected {count} request(s), got {len(self.received)}")


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            status = receiver.answer()
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", receiver.url + "/elsewhere")
            reply = b"internal details of the agency's system that the portal must never store"
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def https_servers(test_ca: trustme.CA) -> Iterator[Callable[..., Receiver]]:
    """Starts real HTTPS servers on 127.0.0.1 ("localhost" in their URLs, as the certificate says);
    stops them all on the way out."""
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(answers: list[int] | None = None) -> Receiver:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        test_ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
        receiver = Receiver(url="", answers=answers or [200])
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        receiver.url = f"https://localhost:{server.server_address[1]}/hooks/portal"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        servers.append((server, thread))
        return receiver

    try:
        yield start
    finally:
        for server, thread in servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
