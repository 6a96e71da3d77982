"""Subscription lists: OPML and Newsboat urls files, read, written and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.feeds.opml import looks_like_opml, read_opml, write_opml
from reader.feeds.urls import looks_like_urls, read_urls, write_urls
from reader.model import Feed

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_feeds"


def test_opml_nested_outlines_become_tags() -> None:
    doc = read_opml((DATA / "nested.opml").read_bytes())
    assert doc.title == "From another reader"
    assert [(f.url, f.title, f.tags) for f in doc.feeds] == [
        ("https://gulf.example/rss", "Gulf news", ("أخبار", "Gulf / الخليج")),
        ("https://wire.example/ar.xml", "الوكالة", ("أخبار", "World/Middle East", "urgent")),
        ("http://top.example/feed", "Top level", ()),
    ]
    assert doc.feeds[0].site_url == "https://gulf.example/"
    assert any("javascript" in n for n in doc.notices)


def test_opml_round_trip() -> None:
    first = read_opml((DATA / "nested.opml").read_bytes())
    text = write_opml(first.feeds)
    assert looks_like_opml(text.encode())
    again = read_opml(text.encode())
    assert again.feeds == first.feeds
    assert write_opml(again.feeds) == text


def test_sample_opml_resolves_relative_paths() -> None:
    path = SAMPLES / "sample-feeds.opml"
    doc = read_opml(path.read_bytes(), base_dir=path.parent)
    assert len(doc.feeds) == 7
    for feed in doc.feeds:
        assert Path(feed.url).is_file() and Path(feed.url).parent == SAMPLES.resolve()
    arabic = next(f for f in doc.feeds if f.url.endswith("arabic-news.xml"))
    assert arabic.tags == ("أخبار", "عربي")


def test_opml_with_entity_attack_and_garbage() -> None:
    lol = b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">' \
          b'<!ENTITY c SYSTEM "file:///etc/passwd">]><opml><body><outline text="&b;" xmlUrl="http://x/"/>' \
          b"</body></opml>"
    with pytest.raises(ParseError):
        read_opml(lol)  # the entities are undefined once the DTD is gone: refused, never expanded
    with pytest.raises(ParseError):
        read_opml(b"<html><body>not opml</body></html>")
    with pytest.raises(ParseError):
        read_opml(b"\x00\x01 garbage")
    deep = b"<opml><body>" + b'<outline text="f">' * 5000 + b'<outline xmlUrl="http://d/"/>' + \
        b"</outline>" * 5000 + b"</body></opml>"
    (feed,) = read_opml(deep).feeds
    assert feed.tags == ("f",)


def test_urls_file() -> None:
    text = (DATA / "urls").read_text(encoding="utf-8")
    assert looks_like_urls(text)
    doc = read_urls(text)
    assert [(f.url, f.title, f.tags) for f in doc.feeds] == [
        ("https://gulf.example/rss", "Gulf news", ("أخبار", "Gulf / الخليج")),
        ("http://top.example/feed", "", ("tech",)),
        ("https://hidden.example/feed", "Hidden one", ("news",)),
        ("https://escaped.example/feed", "", ('a "quoted" tag', "back\\slash")),
    ]
    notices = " ".join(doc.notices)
    assert "query: feeds are not supported" in notices
    assert "exec: feeds are not supported" in notices and "filter: feeds" in notices
    assert "hidden-feed mark ignored" in notices


def test_urls_round_trip() -> None:
    feeds = read_urls((DATA / "urls").read_text(encoding="utf-8")).feeds
    text = write_urls(feeds)
    assert read_urls(text).feeds == feeds
    assert not looks_like_urls("just some prose\nnot urls")


def test_urls_and_opml_agree() -> None:
    feeds = (Feed("https://a.example/f", "A", tags=("x", "y z")), Feed("/local/path.xml", "", tags=()))
    assert read_urls(write_urls(feeds)).feeds == feeds
    assert read_opml(write_opml(feeds).encode()).feeds[0] == feeds[0]
