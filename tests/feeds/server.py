"""A real HTTP server on 127.0.0.1 for the feed tests: routes that misbehave on purpose.

Each route is a small function of the request; the server records every request it saw so tests can
assert on what Khabar sent (conditional headers, User-Agent) and on how often it came back.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli  # type: ignore[import-untyped, unused-ignore]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0
    """Seconds between single bytes of the body (a server that drips)."""
    hang: bool = False
    """Never answer at all (until the server stops)."""
    length: bool = True
    """Send Content-Length; without it the body runs until the connection closes."""


Route = Callable[["Request"], Reply]


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class FeedServer:
    """Serves ``routes`` (path -> function or fixed Reply) on an ephemeral port of 127.0.0.1."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Reply] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
                server.requests.append(request)
                route = server.routes.get(self.path.split("?")[0])
                reply = Reply(404, b"not here") if route is None else (
                    route if isinstance(route, Reply) else route(request))
                if reply.hang:
                    server.stopping.wait(30)
                    return
                self.send_response(reply.status)
                headers = ({"Content-Length": str(len(reply.body))} if reply.length
                           else {"Connection": "close"}) | reply.headers
                if not reply.length:
                    self.close_connection = True
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    if reply.drip:
                        for i in range(len(reply.body)):
                            if server.stopping.wait(reply.drip):
                                return
                            self.wfile.write(reply.body[i:i + 1])
                            self.wfile.flush()
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]


@contextmanager
def serve() -> Iterator[FeedServer]:
    server = FeedServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.httpd.shutdown()
        server.httpd.server_close()


def conditional(body: bytes, etag: str = '"v1"', last_modified: str = "Sat, 22 May 2021 10:00:00 GMT",
                content_type: str = "application/rss+xml; charset=utf-8") -> Route:
    """A route that answers 304 when the client sends the current ETag or Last-Modified."""

    def route(request: Request) -> Reply:
        if request.headers.get("if-none-match") == etag or \
                request.headers.get("if-modified-since") == last_modified:
            return Reply(304, headers={"ETag": etag})
        return Reply(200, body, {"ETag": etag, "Last-Modified": last_modified, "Content-Type": content_type})

    return route


def compressed(body: bytes, encoding: str) -> Reply:
    if encoding == "gzip":
        data = gzip.compress(body)
    elif encoding == "deflate":
        data = zlib.compress(body)
    elif encoding == "raw-deflate":
        c = zlib.compressobj(wbits=-15)
        data = c.compress(body) + c.flush()
        encoding = "deflate"
    else:
        data = brotli.compress(body)
    return Reply(200, data, {"Content-Encoding": encoding, "Content-Type": "application/rss+xml"})


def bomb(encoding: str, size: int = 100_000_000) -> Reply:
    """``size`` zero bytes, compressed (about 100 KB of gzip for 100 MB)."""
    if encoding == "br":
        compressor = brotli.Compressor(quality=1)
        zeros = bytes(1 << 20)
        data = b"".join(compressor.process(zeros) for _ in range(size >> 20)) + compressor.finish()
    else:
        c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = bytes(1 << 20)
        data = b"".join(c.compress(zeros) for _ in range(size >> 20)) + c.flush()
    return Reply(200, data, {"Content-Encoding": encoding})
