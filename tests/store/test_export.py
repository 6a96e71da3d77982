"""The JSON export rebuilds the archive; Markdown and OPML exports are well formed."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.model import Block, BlockKind, Direction, Entity, EntityType, Link, LinkKind, Mention, Span
from reader.store import Store
from reader.store import export as ex

from .helpers import article, feed


def _fill(store: Store) -> None:
    a = store.add_feed(feed("https://a.example/feed", "الجزيرة", tags=("news", "ar")))
    b = store.add_feed(feed("https://b.example/feed", "Tech"))
    assert a.id is not None and b.id is not None
    store.record_fetch(a.id, etag='"v1"', last_modified="Tue, 01 Oct 2024 10:00:00 GMT", error=None)
    store.record_fetch(b.id, etag=None, last_modified=None, error="HTTP 503")
    rich = replace(article("r", "عنوان", feed_url=a.url, author="مراسل", language="ar",
                           direction=Direction.RTL),
                   blocks=(Block(BlockKind.HEADING, "رأس", 1), Block(BlockKind.PARAGRAPH, "زار أربيل"),
                           Block(BlockKind.QUOTE, "قول", direction=Direction.RTL, lang="ar")),
                   links=(Link(1, "https://a.example/1", "رابط"),
                          Link(2, "https://a.example/a.mp3", "", LinkKind.ENCLOSURE, "audio/mpeg", 99)))
    ids = store.write_feed_entries(a.id, [rich, article("plain", "Plain", "text", feed_url=a.url, day=1)]).new
    store.write_feed_entries(b.id, [article("t", "Tech news", "bits", feed_url=b.url)])
    store.set_state([ids[0]], read=True, starred=True)
    mention = Mention(Span(8, 13, "entity-LOC"), "أربيل")
    store.set_entities(ids[0], [Entity(EntityType.LOC, "اربيل", "أربيل", (mention,))])
    saved = replace(article("file.txt", "Saved file", "offline text", feed_url="saved:"), saved=True)
    store.import_articles([saved])


def _snapshot(store: Store) -> tuple[object, ...]:
    feeds = sorted((f.url, f.title, f.tags, f.etag, f.last_modified, f.last_refresh, f.last_error,
                    f.error_count, f.unread) for f in store.list_feeds())
    urls = {f.id: f.url for f in store.list_feeds()}
    articles = sorted(((a.id, replace(a, feed_id=None), urls.get(a.feed_id), a.entities)
                       for a in store.iter_articles()), key=lambda row: row[0])
    return feeds, articles


def test_json_round_trip(tmp_path: Path) -> None:
    with Store.open(tmp_path / "one.db") as one:
        _fill(one)
        out = io.StringIO()
        assert ex.export_json(one, out) == 4
        before = _snapshot(one)
    data = json.loads(out.getvalue())
    assert data["format"] == "khabar-archive" and data["version"] == ex.VERSION
    loaded = ex.load(out.getvalue())
    with Store.open(tmp_path / "two.db") as two:
        added, result = ex.restore(two, loaded)
        assert len(added) == 2 and len(result.new) == 4
        assert _snapshot(two) == before
        # importing the same export again changes nothing
        added, again = ex.restore(two, ex.load(out.getvalue()))
        assert added == [] and again.unchanged == 4 and not again.new and not again.updated
        assert two.search("اربيل")[0].article.title == "عنوان"


def test_load_rejects_what_it_cannot_read() -> None:
    with pytest.raises(ParseError, match="not JSON"):
        ex.load("{nope")
    with pytest.raises(ParseError, match="not a Khabar archive export"):
        ex.load('{"feeds": []}')
    with pytest.raises(ParseError, match="newer than this Khabar"):
        ex.load('{"format": "khabar-archive", "version": 99}')
    bad_feed_ref = {"format": "khabar-archive", "version": 1, "feeds": [],
                    "articles": [{"id": "x", "guid": "g", "feed": 3}]}
    with pytest.raises(ParseError, match=r"articles\[0\]\.feed"):
        ex.load(json.dumps(bad_feed_ref))
    bad_block = {"format": "khabar-archive", "version": 1, "feeds": [],
                 "articles": [{"id": "x", "guid": "g", "blocks": [{"kind": "marquee", "text": "t"}]}]}
    with pytest.raises(ParseError, match=r"articles\[0\]"):
        ex.load(json.dumps(bad_block))
    assert ex.load({"format": "khabar-archive", "version": 1}).articles == []


def test_opml(store: Store) -> None:
    _fill(store)
    out = io.StringIO()
    assert ex.export_opml(store.list_feeds(), out) == 2
    root = ET.fromstring(out.getvalue())
    body = root.find("body")
    assert body is not None
    folders = {o.get("text"): [c.get("xmlUrl") for c in o] for o in body if o.get("xmlUrl") is None}
    assert folders == {"news": ["https://a.example/feed"]}  # once, under its first tag
    [tagged] = [o for o in body.iter("outline") if o.get("xmlUrl") == "https://a.example/feed"]
    assert tagged.get("category") == "news,ar"
    top = [o.get("xmlUrl") for o in body if o.get("xmlUrl")]
    assert top == ["https://b.example/feed"]


def test_opml_round_trip_keeps_every_tag_once(store: Store) -> None:
    """Export then import: every feed once, with all its tags in order (folder + categories)."""
    from reader.feeds.opml import read_opml

    feeds = [feed("https://a.example/feed", "الجزيرة", tags=("أخبار", "عربي", "middle east")),
             feed("https://b.example/feed", "Tech"),
             feed("https://c.example/feed", "Both", tags=("عربي", "أخبار")),
             feed("https://d.example/feed", "One", tags=("أخبار",))]
    for f in feeds:
        store.add_feed(f)
    out = io.StringIO()
    assert ex.export_opml(store.list_feeds(), out) == 4
    text = out.getvalue()
    assert text.count('xmlUrl="https://a.example/feed"') == 1
    back = {f.url: f.tags for f in read_opml(text.encode()).feeds}
    assert back == {f.url: f.tags for f in feeds}


def test_markdown(store: Store) -> None:
    _fill(store)
    out = io.StringIO()
    assert ex.export_markdown(store, out) == 4
    text = out.getvalue()
    assert "## عنوان" in text and "> قول" in text and "1. <https://a.example/1> رابط" in text
