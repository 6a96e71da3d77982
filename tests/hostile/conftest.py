"""One archive built from the whole hostile corpus, through the real CLI, once per session.

``khabar import`` takes in ``hostile.opml`` (every corpus feed as a ``file://`` subscription, some with
hostile titles of their own) and a Newsboat ``urls`` file naming the XML-attack feeds once more over
HTTP from a 127.0.0.1 server, so their relative and absolute external identifiers have a web base to
resolve against. ``khabar refresh`` reads them all in one run (some must fail, and must fail alone),
``khabar import pages/`` adds the saved articles. The server records every request: apart from the feeds
themselves, nothing may ever be asked for (no DTD, no entity, no stylesheet).

Tests that only read share the archive; tests that change it (the UI marks articles read) copy it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.store import Store
from tests.conftest import khabar_cmd, subprocess_env
from tests.feeds.server import FeedServer, Reply, serve
from tests.hostile.corpus import (
    MARKER,
    PAGES,
    deep_html,
    huge_body,
    huge_title,
    huge_word,
    many_items,
    materialize,
)

HTTP_FEEDS = ("xxe-relative.rss", "xxe-absolute.rss", "xxe-parameter.rss", "dtd-external.rss",
              "xinclude.rss", "stylesheet.rss", "billion-laughs.rss", "escapes-raw.rss")
"""Corpus feeds also served over HTTP (under ``/feeds/``)."""

EVIL_DTD = f'<!ENTITY ent "{MARKER}-from-dtd"><!ENTITY % leak SYSTEM "file:///etc/hostname">'.encode()


@dataclass(frozen=True)
class Built:
    """The session's hostile archive and how it was made."""

    home: Path
    """The ``KHABAR_HOME`` the CLI ran in; the archive is ``home / "khabar.db"``."""
    feeds: Path
    """The materialised copy of ``tests/data/hostile/feeds``."""
    secret: Path
    """The local file holding ``MARKER`` that the XXE cases point at."""
    server: FeedServer
    refresh: subprocess.CompletedProcess[str]
    subscribe: subprocess.CompletedProcess[str]
    pages: subprocess.CompletedProcess[str]

    @property
    def db(self) -> Path:
        return self.home / "khabar.db"

    def http_url(self, name: str) -> str:
        return self.server.url(f"/feeds/{name}")

    def stray_requests(self) -> list[str]:
        """Requests to the server for anything but the feeds it serves (a DTD, an entity, a stylesheet)."""
        return [r.path for r in self.server.requests if not r.path.startswith("/feeds/")]

    def store(self) -> Store:
        return Store.open(self.db, readonly=True)


def run_khabar(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``khabar --home HOME ARGS`` in a subprocess (no terminal: output is a pipe)."""
    return subprocess.run(khabar_cmd("--home", str(home), *args), capture_output=True, text=True,
                          encoding="utf-8", errors="surrogateescape", env=subprocess_env(home),
                          input=stdin, timeout=300, check=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    home.mkdir()
    with serve() as server:
        server.routes["/evil.dtd"] = Reply(200, EVIL_DTD, {"Content-Type": "application/xml-dtd"})
        feeds = materialize(root / "feeds", dtd_url=server.url("/evil.dtd"), secret=root / "secret.txt")
        for name in HTTP_FEEDS:
            server.routes[f"/feeds/{name}"] = Reply(200, (feeds / name).read_bytes(),
                                                    {"Content-Type": "application/rss+xml"})
        server.routes["/feeds/xxe-secret.txt"] = Reply(200, MARKER.encode())
        urls = root / "http.urls"
        urls.write_text("".join(f"{server.url('/feeds/' + name)}\n" for name in HTTP_FEEDS), encoding="utf-8")
        subscribe = run_khabar(home, "import", str(feeds / "hostile.opml"), str(urls))
        assert subscribe.returncode == 0, subscribe.stderr
        refresh = run_khabar(home, "refresh")
        pages = run_khabar(home, "import", str(PAGES))
        yield Built(home, feeds, root / "secret.txt", server, refresh, subscribe, pages)


SIZE_CASES = {"huge-title.rss": huge_title, "huge-body.rss": huge_body, "huge-word.rss": huge_word,
              "deep-html.rss": deep_html}
"""Size cases read into one archive; the 100,000-item feed gets an archive of its own (``many_home``),
refreshed at the same time by a second process, which halves the fixture's wall time."""


@dataclass(frozen=True)
class Sized:
    """Two archives holding the size cases, each read in by one ``khabar refresh`` subprocess."""

    home: Path
    many_home: Path
    refreshes: tuple[subprocess.CompletedProcess[str], ...]
    max_rss: tuple[int, ...]
    """Each refresh process's peak resident set, in bytes (from ``wait4``: its own, no one else's)."""

    def store(self, home: Path | None = None) -> Store:
        return Store.open((home or self.home) / "khabar.db", readonly=True)


def _subscribe(root: Path, home: Path, cases: dict[str, Callable[[], bytes]]) -> None:
    home.mkdir()
    urls = []
    for name, make in cases.items():
        (root / name).write_bytes(make())
        urls.append((root / name).as_uri())
    (home / "size.urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
    assert run_khabar(home, "import", str(home / "size.urls")).returncode == 0


@pytest.fixture(scope="session")
def sized(tmp_path_factory: pytest.TempPathFactory) -> Sized:
    root = tmp_path_factory.mktemp("sized")
    homes = (root / "home", root / "many")
    _subscribe(root, homes[0], SIZE_CASES)
    _subscribe(root, homes[1], {"many-items.json": many_items})
    # Output to files, not pipes: communicate() would reap the child, and wait4 must do that to get
    # the child's own resource usage.
    running = []
    for home in homes:
        out, err = (home / "out").open("w+b"), (home / "err").open("w+b")
        running.append((home, subprocess.Popen(khabar_cmd("--home", str(home), "refresh"),
                                               env=subprocess_env(home), stdout=out, stderr=err), out, err))
    results, peaks = [], []
    for home, process, out, err in running:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.close()
        err.close()
        results.append(subprocess.CompletedProcess(process.args, process.returncode,
                                                   (home / "out").read_text("utf-8"),
                                                   (home / "err").read_text("utf-8")))
        peaks.append(usage.ru_maxrss * 1024)
    return Sized(homes[0], homes[1], tuple(results), tuple(peaks))


@pytest.fixture
def hostile_copy(built: Built, tmp_path: Path) -> Path:
    """A private copy of the hostile archive's home (for tests that change it); returns the home."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(built.db, home / "khabar.db")
    return home


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
