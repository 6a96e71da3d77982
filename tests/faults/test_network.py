"""Network faults through the real ``khabar refresh``: each failing feed is reported with its reason, in the
refresh output and later in ``khabar feeds``, while the healthy feeds of the same refresh are stored.

Every server is real and local (``tests.feeds.server`` for HTTP that misbehaves politely, ``sockets`` for
resets, drips and TLS); timeouts are made small through the config file, exactly as a user would set them.

Already covered at the fetcher level, and not repeated here: a server that never answers
(tests/feeds/test_fetch.py::test_server_that_never_answers), a body dripped after prompt headers
(::test_server_that_drips), redirect loops and chains (::test_redirect_loop_and_too_many), Retry-After
waits (::test_retry_after_is_honoured_once, ::test_retry_after_too_long_or_repeated), connection refused
(::test_connection_refused); and per-feed failures inside one refresh_store call
(tests/feeds/test_refresh.py::test_failures_are_per_feed).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from reader.cli import main
from tests.faults.sockets import drip, hold, plain_http, raw_server, reset_mid_body, self_signed_context
from tests.feeds.feedgen import rss
from tests.feeds.server import FeedServer, Reply, Request, serve

CONFIG = """\
connect_timeout = 1.0
read_timeout = 3.0
feed_timeout = 2.5
"""
"""Small timeouts: a byte a second never trips the 3 s read timeout, so only the 2.5 s total cuts it off."""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


def khabar(home: Path, *args: str) -> int:
    return main(["--home", str(home), *args])


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def feeds_json(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    capsys.readouterr()
    assert khabar(home, "feeds", "--json") == 0
    return {row["url"]: row for row in json.loads(capsys.readouterr().out)}


def test_each_network_fault_is_reported_per_feed(tmp_path: Path, server: FeedServer,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    body = rss(40, prefix="cut").encode()
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 20\r\n\r\n" + b"<" * 20

    def busy(request: Request) -> Reply:
        return Reply(429, headers={"Retry-After": "1"})

    server.routes["/good"] = Reply(200, rss(5, prefix="good").encode())
    server.routes["/also-good"] = Reply(200, rss(3, prefix="also", arabic=True).encode())
    server.routes["/loop"] = Reply(302, headers={"Location": "/loop2"})
    server.routes["/loop2"] = Reply(301, headers={"Location": server.url("/loop")})
    server.routes["/busy"] = busy
    server.routes["/later"] = Reply(429, headers={"Retry-After": "7200"})
    with ExitStack() as stack:
        reset = stack.enter_context(raw_server(reset_mid_body(body)))
        dripping = stack.enter_context(raw_server(drip(answer, every=1.0)))
        not_tls = stack.enter_context(raw_server(plain_http(answer)))
        context = self_signed_context(tmp_path)
        urls = {
            "refused": f"http://127.0.0.1:{free_port()}/feed",
            "reset": f"http://127.0.0.1:{reset}/feed",
            "drip": f"http://127.0.0.1:{dripping}/feed",
            "loop": server.url("/loop"),
            "busy": server.url("/busy"),
            "later": server.url("/later"),
            "not tls": f"https://127.0.0.1:{not_tls}/feed",
        }
        if context is not None:
            tls = stack.enter_context(raw_server(hold, wrap=context))
            urls["self-signed"] = f"https://127.0.0.1:{tls}/feed"
        good = [server.url("/good"), server.url("/also-good")]
        for url in [good[0], *urls.values(), good[1]]:
            assert khabar(home, "add", url) == 0
        capsys.readouterr()
        code = khabar(home, "refresh", "--no-entities")
        out, err = capsys.readouterr()
    assert code == 1
    expected = {
        "refused": "cannot connect: Connection refused",
        "reset": "connection broken: Connection reset by peer",
        "drip": "took longer than 2.5 s in all",
        "loop": f"redirect loop at {server.url('/loop')}",
        "busy": "HTTP 429 Too Many Requests again after waiting as asked",
        "later": "HTTP 429 Too Many Requests: the server asks to retry after 7200 s "
                 "(Khabar waits at most 30 s)",
        "not tls": "TLS failure: [SSL: ",  # the rest is OpenSSL's words, which change between versions
        "self-signed": "TLS failure: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
    }
    lines = [line for line in err.splitlines() if line.startswith("failed: ")]
    assert len(lines) == len(urls), err
    for name, url in urls.items():  # "failed: TITLE (URL): REASON", and a feed's title is its URL until read
        assert f"failed: {url} ({url}): {expected[name]}" in err, (name, err)
    assert f"{len(urls) + 2} feeds: 2 ok, 0 unchanged, {len(urls)} failed; 8 new" in out
    assert "Traceback" not in err
    # Politeness: a short Retry-After is waited once (then given up), a long one is not retried at all.
    assert len(server.hits("/busy")) == 2 and len(server.hits("/later")) == 1
    # The healthy feeds were stored; `khabar feeds` shows each failure's reason with the feed.
    rows = feeds_json(home, capsys)
    assert [rows[url]["unread"] for url in good] == [5, 3]
    assert all(rows[url]["last_error"] is None for url in good)
    for name, url in urls.items():
        assert str(rows[url]["last_error"]).startswith(expected[name]) and rows[url]["error_count"] == 1
    assert khabar(home, "feeds") == 0
    text = capsys.readouterr().out
    assert f"last error: {expected['reset']}" in text and f"last error: {expected['later']}" in text
