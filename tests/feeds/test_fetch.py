"""Fetching over real HTTP on 127.0.0.1: conditional GET, redirects, compression, limits, failures."""

from __future__ import annotations

import asyncio
import dataclasses
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.config import Settings
from reader.errors import FetchError
from reader.feeds.fetch import Fetcher, FetchResult
from tests.feeds.server import FeedServer, Reply, Request, bomb, compressed, conditional, serve

BODY = b'<rss version="2.0"><channel><title>t</title></channel></rss>'
FAST = Settings(connect_timeout=2.0, read_timeout=0.5, feed_timeout=2.0, max_feed_bytes=5_000_000)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


def fetch(url: str, settings: Settings = FAST, **kwargs: object) -> FetchResult:
    offline = bool(kwargs.pop("offline", False))
    max_retry_after = float(kwargs.pop("max_retry_after", 30.0))  # type: ignore[arg-type]

    async def go() -> FetchResult:
        async with Fetcher(settings, offline=offline, max_retry_after=max_retry_after) as fetcher:
            return await fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_conditional_get(server: FeedServer) -> None:
    server.routes["/feed"] = conditional(BODY)
    first = fetch(server.url("/feed"))
    assert first.status == "ok" and first.content == BODY and first.etag == '"v1"'
    assert first.content_type == "application/rss+xml; charset=utf-8"
    second = fetch(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.status == "unchanged" and second.content == b""
    sent = server.hits("/feed")[1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == first.last_modified
    assert sent["user-agent"].startswith("khabar/")


def test_user_agent_from_settings(server: FeedServer) -> None:
    server.routes["/feed"] = Reply(200, BODY)
    fetch(server.url("/feed"), dataclasses.replace(FAST, user_agent="my-agent/1"))
    assert server.requests[0].headers["user-agent"] == "my-agent/1"


def test_redirects(server: FeedServer) -> None:
    server.routes["/old"] = Reply(301, headers={"Location": "/older"})
    server.routes["/older"] = Reply(308, headers={"Location": server.url("/new")})
    server.routes["/new"] = Reply(200, BODY)
    server.routes["/temp"] = Reply(302, headers={"Location": "/old"})
    moved = fetch(server.url("/old"))
    assert moved.content == BODY and moved.moved_to == server.url("/new")
    assert moved.final_url == moved.moved_to
    temporary = fetch(server.url("/temp"))
    assert temporary.content == BODY and temporary.moved_to is None


def test_redirect_loop_and_too_many(server: FeedServer) -> None:
    server.routes["/a"] = Reply(302, headers={"Location": "/b"})
    server.routes["/b"] = Reply(302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(server.url("/a"))
    for n in range(7):
        server.routes[f"/r{n}"] = Reply(302, headers={"Location": f"/r{n + 1}"})
    server.routes["/r7"] = Reply(200, BODY)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(server.url("/r0"))
    assert fetch(server.url("/r2")).content == BODY  # exactly five is fine
    server.routes["/evil"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="non-web"):
        fetch(server.url("/evil"))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "br"])
def test_compressed_bodies(server: FeedServer, encoding: str) -> None:
    server.routes["/c"] = compressed(BODY * 100, encoding)
    assert fetch(server.url("/c")).content == BODY * 100


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compression_bomb_is_refused_with_bounded_memory(server: FeedServer, encoding: str) -> None:
    server.routes["/bomb"] = bomb(encoding)
    tracemalloc.start()
    with pytest.raises(FetchError, match="decompresses to more than"):
        fetch(server.url("/bomb"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 3 * FAST.max_feed_bytes


def test_response_size_cap(server: FeedServer) -> None:
    server.routes["/big"] = Reply(200, b"x" * (FAST.max_feed_bytes + 1))
    with pytest.raises(FetchError, match="is 5000001 bytes, more than the 5000000 bytes allowed"):
        fetch(server.url("/big"))
    server.routes["/stream"] = Reply(200, b"x" * (FAST.max_feed_bytes + 1), length=False)
    with pytest.raises(FetchError, match="larger than the 5000000 bytes allowed"):
        fetch(server.url("/stream"))


def test_server_that_never_answers(server: FeedServer) -> None:
    server.routes["/hang"] = Reply(hang=True)
    with pytest.raises(FetchError, match=r"no data for 0\.5 s"):
        fetch(server.url("/hang"))


def test_server_that_drips(server: FeedServer) -> None:
    server.routes["/drip"] = Reply(200, BODY, drip=0.2)
    with pytest.raises(FetchError, match="longer than 1 s in all"):
        fetch(server.url("/drip"), dataclasses.replace(FAST, feed_timeout=1.0))


@pytest.mark.parametrize(("status", "message"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500"),
                                                 (410, "HTTP 410 Gone")])
def test_http_errors(server: FeedServer, status: int, message: str) -> None:
    server.routes["/e"] = Reply(status, b"error page")
    with pytest.raises(FetchError, match=message):
        fetch(server.url("/e"))


def test_retry_after_is_honoured_once(server: FeedServer) -> None:
    def route(request: Request) -> Reply:
        if len(server.hits("/busy")) == 1:
            return Reply(429, headers={"Retry-After": "1"})
        return Reply(200, BODY)

    server.routes["/busy"] = route
    result = fetch(server.url("/busy"))
    assert result.content == BODY and result.waited == 1.0
    assert "waited 1 s" in result.notes[0]


def test_retry_after_too_long_or_repeated(server: FeedServer) -> None:
    server.routes["/later"] = Reply(503, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match="retry after 3600 s"):
        fetch(server.url("/later"))
    assert len(server.hits("/later")) == 1
    server.routes["/always"] = Reply(429, headers={"Retry-After": "0"})
    with pytest.raises(FetchError, match="429 Too Many Requests again"):
        fetch(server.url("/always"))
    server.routes["/bare"] = Reply(429)
    with pytest.raises(FetchError, match=r"^HTTP 429 Too Many Requests$"):
        fetch(server.url("/bare"))


def test_connection_refused() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        fetch(f"http://127.0.0.1:{port}/feed")


def test_offline_refuses_network_but_reads_files(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"offline: not fetching http://example.org/feed \(--offline\)"):
        fetch("http://example.org/feed", offline=True)
    path = tmp_path / "feed.xml"
    path.write_bytes(BODY)
    for url in (str(path), path.as_uri()):
        result = fetch(url, offline=True)
        assert result.status == "ok" and result.content == BODY
        again = fetch(url, offline=True, last_modified=result.last_modified)
        assert again.status == "unchanged"


def test_local_file_errors(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="cannot read"):
        fetch(str(tmp_path / "missing.xml"))
    with pytest.raises(FetchError, match="is a directory"):
        fetch(str(tmp_path))
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * (FAST.max_feed_bytes + 1))
    with pytest.raises(FetchError, match="larger than"):
        fetch(str(big))


def test_unsupported_scheme() -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp'"):
        fetch("ftp://example.org/feed")


def test_concurrency_is_bounded_per_host(server: FeedServer) -> None:
    import threading
    import time

    active = 0
    most = 0
    lock = threading.Lock()

    def route(request: Request) -> Reply:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        return Reply(200, BODY)

    for n in range(12):
        server.routes[f"/f{n}"] = route

    async def go() -> None:
        settings = dataclasses.replace(FAST, per_host=3)
        async with Fetcher(settings, jobs=10) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/f{n}")) for n in range(12)))

    asyncio.run(go())
    assert most == 3
