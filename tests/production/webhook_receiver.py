"""A real HTTP receiver on 127.0.0.1 for webhook tests: records raw bytes and headers, answers by script."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    """One request as it arrived."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Reply:
    """How to answer one request."""

    status: int = 200
    body: bytes = b"OK"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class Receiver:
    """Answers each request with the next scripted reply (the last one repeats); thread-safe."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.script: list[Reply] = [Reply()]
        self.by_path: dict[str, list[Reply]] = {}
        self.choose: Callable[[Received], Reply] | None = None
        self._lock = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    def answer(self, *replies: Reply) -> None:
        """Script the next replies (the last one repeats)."""
        with self._lock:
            self.script = list(replies)

    def _next(self, request: Received) -> Reply:
        with self._lock:
            self.requests.append(request)
            self._lock.notify_all()
            if self.choose is not None:
                return self.choose(request)
            script = self.by_path.get(request.path, self.script)
            return script.pop(0) if len(script) > 1 else script[0]

    def wait(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Wait until `count` requests have arrived; returns all of them."""
        with self._lock:
            assert self._lock.wait_for(lambda: len(self.requests) >= count, timeout), (
                f"{len(self.requests)} requests arrived, {count} expected"
            )
            return list(self.requests)

    @contextmanager
    def running(self) -> Iterator[Receiver]:
        """Serve on a free port until the block ends."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {name: value for name, value in self.headers.items()}
                reply = receiver._next(Received(self.path, headers, body, time.monotonic()))
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the sender gave up (timeout)

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # the sender opens up to 100 connections at once

        server = Server(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)


class FakeDns:
    """Answers chosen names with chosen addresses (other hosts resolve as usual) and logs the names asked.

    It replaces `socket.getaddrinfo`, which asyncio's resolver calls: install with `monkeypatch.setattr(
    socket, "getaddrinfo", dns.getaddrinfo)`.
    """

    def __init__(self) -> None:
        self.answers: dict[str, list[str]] = {}
        self.asked: list[str] = []
        self._real = socket.getaddrinfo

    def getaddrinfo(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        """`socket.getaddrinfo` with the scripted answers."""
        if host not in self.answers:
            return self._real(host, port, *args, **kwargs)
        self.asked.append(host)
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in self.answers[host]
        ]
