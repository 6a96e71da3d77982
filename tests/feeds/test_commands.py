"""The feed commands through the real CLI: add, remove, feeds, import, refresh, fetch-full."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

if not hasattr(pytest.importorskip("reader.store"), "Store"):
    pytest.skip("the store is being built in parallel", allow_module_level=True)

from reader.cli import main
from reader.model import Feed
from tests.conftest import khabar_cmd, subprocess_env
from tests.feeds.feedgen import rss
from tests.feeds.server import FeedServer, Reply, conditional, serve

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_feeds"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


def khabar(home: Path, *args: str) -> int:
    return main(["--home", str(home), *args])


def feeds_json(home: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert khabar(home, "feeds", "--json") == 0
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows


def test_add_refresh_feeds_remove(tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
                                  ) -> None:
    server.routes["/feed"] = conditional(rss(4).encode())
    url = server.url("/feed")
    assert khabar(tmp_path, "add", url, "--title", "Mine", "--tag", "news", "--tag", "en") == 0
    assert "added feed 1: Mine" in capsys.readouterr().out
    assert khabar(tmp_path, "add", server.url("/feed")) == 2  # already subscribed: usage error
    assert "already" in capsys.readouterr().err
    assert khabar(tmp_path, "refresh") == 0
    out = capsys.readouterr().out
    assert out.strip().startswith("1 feed: 1 ok, 0 unchanged, 0 failed; 4 new, 0 updated articles;")
    (row,) = feeds_json(tmp_path, capsys)
    assert (row["title"], row["tags"], row["unread"], row["last_error"]) == ("Mine", ["news", "en"], 4, None)
    assert khabar(tmp_path, "refresh", "--feed", "Mine") == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert khabar(tmp_path, "feeds") == 0
    assert "Mine  [news, en]" in capsys.readouterr().out
    assert khabar(tmp_path, "remove", "Mine") == 0
    assert feeds_json(tmp_path, capsys) == []
    assert khabar(tmp_path, "remove", "Mine") == 2


def test_refresh_exit_codes(tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.routes["/ok"] = Reply(301, headers={"Location": "/ok2"})
    server.routes["/ok2"] = Reply(200, rss(2).encode())
    server.routes["/gone"] = Reply(410)
    khabar(tmp_path, "add", server.url("/ok"))
    khabar(tmp_path, "add", server.url("/gone"))
    capsys.readouterr()
    assert khabar(tmp_path, "refresh") == 1
    captured = capsys.readouterr()
    assert f"note: {server.url('/ok')}: moved permanently to {server.url('/ok2')}" in captured.err
    assert f"failed: {server.url('/gone')} ({server.url('/gone')}): HTTP 410 Gone" in captured.err
    assert "1 ok, 0 unchanged, 1 failed" in captured.out
    with pytest.raises(SystemExit) as info:
        khabar(tmp_path, "refresh", "--jobs", "0")
    assert info.value.code == 2
    assert khabar(tmp_path, "refresh", "--feed", "no such feed") == 2
    rows = feeds_json(tmp_path, capsys)
    assert {r["url"]: r["error_count"] for r in rows} == {server.url("/ok2"): 0, server.url("/gone"): 1}


def test_import_lists_and_saved_articles_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    (folder / "deeper" / ".hidden").mkdir(parents=True)
    shutil.copy(DATA / "nested.opml", folder / "subs.opml")
    shutil.copy(DATA / "urls", folder / "deeper" / "urls")
    shutil.copy(SAMPLES / "zagros-arabic-erbil-2021-05-22.txt", folder / "deeper")
    shutil.copy(DATA / "note.md", folder / "deeper")
    (folder / "deeper" / ".hidden" / "x.txt").write_text("hidden, never read")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    home = tmp_path / "home"
    assert khabar(home, "import", str(folder)) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == ("5 feeds added; 2 already subscribed; 2 saved articles imported, "
                                    "0 updated, 0 unchanged; 1 files skipped")
    assert "query: feeds are not supported" in captured.err
    rows = feeds_json(home, capsys)
    assert {r["url"]: r["tags"] for r in rows}["https://gulf.example/rss"] == ["أخبار", "Gulf / الخليج"]
    assert khabar(home, "import", str(folder)) == 0
    assert capsys.readouterr().out.strip() == ("0 feeds added; 7 already subscribed; 0 saved articles "
                                               "imported, 0 updated, 2 unchanged; 1 files skipped")
    assert khabar(home, "import", str(tmp_path / "missing")) == 2


def test_import_of_a_broken_file_fails_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.opml").write_text("<opml><body><outline")
    (tmp_path / "good.txt").write_text("source – place\nA paragraph of text. Another sentence.\n")
    assert khabar(tmp_path / "home", "import", str(tmp_path / "bad.opml"), str(tmp_path / "good.txt")) == 1
    captured = capsys.readouterr()
    assert "bad.opml: not a readable OPML file" in captured.err
    assert "1 saved articles imported" in captured.out


def test_fetch_full(tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    paragraphs = "".join(f"<p>Paragraph {n} of the full story from Erbil, long enough to count as article "
                         f"text for the extractor to keep it.</p>" for n in range(8))
    page = ("<html><head><title>Full story</title></head><body><nav><a href='/'>Home</a></nav><article>"
            f"<h1>Full story</h1>{paragraphs}</article><footer>Copyright</footer></body></html>")
    server.routes["/story"] = Reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})
    feed = rss(1).replace("http://example.org/item/0", server.url("/story"))
    server.routes["/feed"] = Reply(200, feed.encode())
    khabar(tmp_path, "add", server.url("/feed"))
    khabar(tmp_path, "refresh")
    capsys.readouterr()
    from reader.store import ArticleQuery, Store

    with Store.open(tmp_path / "khabar.db") as store:
        (article,) = store.list_articles(ArticleQuery())
    assert khabar(tmp_path, "fetch-full", article.id) == 0
    assert "(8 paragraphs)" in capsys.readouterr().out
    with Store.open(tmp_path / "khabar.db") as store:
        stored = store.get_article(article.id)
    body = stored.body_text
    assert body.startswith("Paragraph 0 of the full story") and "Home" not in body
    # The new body's entities are found at once (storing it dropped the old ones, whose spans it broke).
    assert "Erbil" in [e.name for e in stored.entities]
    assert all(body[m.span.start:m.span.end] == m.text for e in stored.entities for m in e.mentions)
    assert khabar(tmp_path, "--offline", "fetch-full", article.id) == 1
    assert "offline" in capsys.readouterr().err


def test_refresh_subprocess_parses_in_worker_processes(tmp_path: Path) -> None:
    """The real command, single-threaded, with enough local feeds to fork parse workers; then the sample
    feeds are taken in by the first run."""
    home = tmp_path / "home"
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for n in range(10):
        (feeds / f"f{n}.xml").write_text(rss(30, prefix=f"f{n}", arabic=n % 2 == 0), encoding="utf-8")
    env = subprocess_env(home)
    for n in range(10):
        subprocess.run(khabar_cmd("add", str(feeds / f"f{n}.xml")), env=env, check=True, capture_output=True)
    done = subprocess.run(khabar_cmd("--offline", "refresh"), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("10 feeds: 10 ok, 0 unchanged, 0 failed; 300 new, 0 updated articles;")
    assert "Traceback" not in done.stderr
    fresh = subprocess.run(khabar_cmd("--offline", "refresh"), env=subprocess_env(tmp_path / "new"),
                           capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.startswith("7 feeds: 7 ok, 0 unchanged, 0 failed;")  # the bundled sample feeds
    assert "first run: subscribed to the bundled sample feeds" in fresh.stderr


def _snapshot(home: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    from reader.store import ArticleQuery, Store

    with Store.open(home / "khabar.db") as store:
        feeds = sorted((f.url, f.title, f.tags, f.site_url) for f in store.list_feeds())
        titles = {f.id: f.url for f in store.list_feeds()}
        articles = sorted(
            (a.id, titles.get(a.feed_id), a.guid, a.title, a.url, a.author, a.published, a.blocks, a.links,
             a.read, a.starred, a.saved)
            for a in (store.get_article(x.id) for x in store.list_articles(ArticleQuery(limit=10_000))))
    return feeds, articles


def test_export_json_then_import_into_an_empty_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    from reader.store import ArticleQuery, Store

    home = tmp_path / "home"
    assert khabar(home, "--offline", "refresh") == 0  # the first run takes in the sample feeds
    with Store.open(home / "khabar.db") as store:
        some = [a.id for a in store.list_articles(ArticleQuery(limit=5))]
        store.set_state(some[:2], read=True)
        store.set_state(some[2:4], starred=True)
        feed = store.list_feeds()[0]
        assert feed.id is not None
        store.update_feed(Feed(feed.url, feed.title, feed.id, feed.site_url, (*feed.tags, "extra tag")))
    export = tmp_path / "archive.json"
    assert khabar(home, "export", "--format", "json", "-o", str(export)) == 0
    other = tmp_path / "other"
    assert khabar(other, "import", str(export)) == 0
    assert _snapshot(other) == _snapshot(home)
    capsys.readouterr()
    assert khabar(other, "import", str(export)) == 0  # again: nothing changes
    assert "0 feeds added" in capsys.readouterr().out
    assert _snapshot(other) == _snapshot(home)


def test_export_opml_then_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert khabar(home, "import", str(DATA / "nested.opml"), str(DATA / "urls")) == 0
    subscriptions = tmp_path / "subs.opml"
    assert khabar(home, "export", "--format", "opml", "-o", str(subscriptions)) == 0
    other = tmp_path / "other"
    assert khabar(other, "import", str(subscriptions)) == 0
    assert _snapshot(other)[0] == _snapshot(home)[0]


def test_worker_processes_write_titles_and_validators(tmp_path: Path) -> None:
    """With enough feeds the worker processes parse *and* write: the feeds get their own titles and the
    validators that make the next refresh a no-op, exactly as when the parent writes."""
    from reader.store import ArticleQuery, Store

    home = tmp_path / "home"
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    env = subprocess_env(home)
    for n in range(9):
        (feeds / f"f{n}.xml").write_text(rss(4, prefix=f"f{n}", title=f"Feed {n}"), encoding="utf-8")
        subprocess.run(khabar_cmd("add", str(feeds / f"f{n}.xml")), env=env, check=True, capture_output=True)
    done = subprocess.run(khabar_cmd("--offline", "refresh", "--no-entities"), env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("9 feeds: 9 ok, 0 unchanged, 0 failed; 36 new, 0 updated articles;")
    with Store.open(home / "khabar.db") as store:
        stored = {f.url: f for f in store.list_feeds()}
        assert {f.title for f in stored.values()} == {f"Feed {n}" for n in range(9)}
        assert all(f.last_modified and f.error_count == 0 and f.last_refresh for f in stored.values())
        for feed in stored.values():
            titles = {a.title.rsplit(" ", 1)[-1] for a in store.list_articles(ArticleQuery(feed_id=feed.id))}
            assert titles == {"0", "1", "2", "3"}
    again = subprocess.run(khabar_cmd("--offline", "refresh", "--no-entities"), env=env, capture_output=True,
                           text=True)
    assert again.stdout.startswith("9 feeds: 0 ok, 9 unchanged, 0 failed; 0 new, 0 updated articles;")
    assert sorted(p.name for p in home.iterdir()) == ["khabar.db"]  # the log checkpointed back, no lock file
