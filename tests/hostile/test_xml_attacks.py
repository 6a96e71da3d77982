"""XML attacks, in-process so memory and file access can be watched: entity expansion (billion laughs,
quadratic blowup) is refused with bounded memory and nothing expanded; external entities, external DTDs,
XInclude and stylesheet processing instructions never read a local file or reach the network.

Memory is measured with ``tracemalloc`` (peak of Python allocations, which is where expanded text would
live); file access with a ``sys.addaudithook`` hook that records every ``open`` of the secret file, so
"never read" is observed, not inferred from the output. No wall-clock limits: a regression would show as
memory or as expanded text, long before any timeout.
"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from reader.config import Settings
from reader.errors import ParseError
from reader.feeds.opml import read_opml
from reader.feeds.parse import parse_feed
from reader.model import Feed
from reader.store import ArticleQuery, Store
from reader.update import refresh_store
from tests.feeds.server import FeedServer, Reply, serve
from tests.hostile.conftest import EVIL_DTD
from tests.hostile.corpus import MARKER, billion_laughs, materialize, quadratic_blowup

T = TypeVar("T")
PEAK_LIMIT = 64 * 2**20
"""Generous: parsing these documents for real needs a few MB; expanding them needs gigabytes."""

_WATCHED: set[str] = set()
_OPENED: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _WATCHED and args and isinstance(args[0], str | bytes | Path):
        path = str(args[0] if not isinstance(args[0], bytes) else args[0].decode(errors="replace"))
        if any(path.endswith(watched) for watched in _WATCHED):
            _OPENED.append(path)


sys.addaudithook(_audit)  # hooks cannot be removed; this one is inert unless a test watches a path


@pytest.fixture
def secret(tmp_path: Path) -> Iterator[Path]:
    """A local file holding MARKER whose every ``open`` in this process is recorded."""
    path = tmp_path / "secret-for-xxe.txt"
    path.write_text(MARKER, encoding="utf-8")
    _WATCHED.add(path.name)
    yield path
    _WATCHED.discard(path.name)


def peak_of(work: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("document", [billion_laughs(10), billion_laughs(30), quadratic_blowup()],
                         ids=["laughs-10", "laughs-30", "quadratic"])
def test_entity_expansion_is_refused_with_bounded_memory(document: bytes) -> None:
    parsed, peak = peak_of(lambda: parse_feed(document, url="http://attack.example/feed"))
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MiB"
    (article,) = parsed.articles
    text = article.title + article.body_text
    assert "lollol" not in text and "BBBBBBBBBB" not in text
    assert any("entity declarations removed unexpanded" in notice for notice in parsed.notices)


def test_the_corpus_files_parse_in_bounded_memory(tmp_path: Path, secret: Path) -> None:
    feeds = materialize(tmp_path / "feeds", dtd_url="http://127.0.0.1:9/never.dtd", secret=secret)
    _OPENED.clear()  # materialize wrote the secret; from here on nothing may open it
    for path in sorted(feeds.iterdir()):
        if path.suffix not in (".rss", ".atom", ".json"):
            continue
        data = path.read_bytes()
        try:
            _, peak = peak_of(lambda: parse_feed(data, url=path.as_uri()))  # noqa: B023 - called at once
        except Exception as exc:  # refused feeds refuse with ParseError and nothing else
            assert type(exc).__name__ == "ParseError", (path.name, exc)
            continue
        assert peak < PEAK_LIMIT, (path.name, peak)
    assert _OPENED == []


@pytest.fixture
def attack_server() -> Iterator[FeedServer]:
    with serve() as server:
        server.routes["/evil.dtd"] = Reply(200, EVIL_DTD)
        yield server


def test_refresh_over_http_reads_no_file_and_fetches_no_dtd(tmp_path: Path, secret: Path,
                                                           attack_server: FeedServer) -> None:
    feeds = materialize(tmp_path / "feeds", dtd_url=attack_server.url("/evil.dtd"), secret=secret)
    _OPENED.clear()  # materialize wrote the secret; from here on nothing may open it
    names = ["xxe-relative.rss", "xxe-absolute.rss", "xxe-parameter.rss", "dtd-external.rss", "xinclude.rss",
             "stylesheet.rss", "billion-laughs.rss", "billion-laughs-oneline.rss"]
    for name in names:
        attack_server.routes[f"/{name}"] = Reply(200, (feeds / name).read_bytes())
    attack_server.routes["/quadratic.rss"] = Reply(200, quadratic_blowup())
    attack_server.routes["/xxe-secret.txt"] = Reply(200, MARKER.encode())
    with Store.open(tmp_path / "khabar.db") as store:
        for name in [*names, "quadratic.rss"]:
            store.add_feed(Feed(url=attack_server.url(f"/{name}")))
        report, peak = peak_of(lambda: refresh_store(store, Settings(), entities=False))
        assert report.count("ok") == len(names) + 1, report.first_error()
        assert peak < PEAK_LIMIT * 2, peak
        texts = [t for a in store.list_articles(ArticleQuery(limit=1000))
                 for t in (store.get_article(a.id).title, store.get_article(a.id).body_text)]
    assert texts and not any(MARKER in t or "lollol" in t for t in texts)
    assert _OPENED == [], "the secret file was opened"
    assert {r.path for r in attack_server.requests} == {f"/{n}" for n in [*names, "quadratic.rss"]}
    assert MARKER.encode() not in (tmp_path / "khabar.db").read_bytes()


def test_opml_attacks_are_defused(tmp_path: Path, secret: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10 if i else "lol"}">' for i in range(10))
    document = (f'<?xml version="1.0"?><!DOCTYPE opml [{lol}<!ENTITY x SYSTEM "file://{secret}">]>'
                '<opml version="2.0"><head><title>&l9;&x;</title></head><body>'
                '<outline text="&l9; &x;" xmlUrl="http://feed.example/rss"/></body></opml>').encode()
    _OPENED.clear()

    def read() -> str:
        try:
            read_opml(document, base_dir=tmp_path)
        except ParseError as exc:
            return str(exc)
        return "read"

    outcome, peak = peak_of(read)
    # The DTD is removed unexpanded, so the entities are undefined: the file is refused, clearly.
    assert outcome == "not a readable OPML file: undefined entity: line 1, column 54"
    assert peak < PEAK_LIMIT
    assert _OPENED == []
