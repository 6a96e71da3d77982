"""Parsing feed documents: formats, encodings, ill-formed XML, XML attacks, dates, guids and dedupe."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.feeds.parse import parse_feed
from reader.feeds.xmlsafe import defuse
from reader.model import LinkKind, article_id
from tests.feeds.feedgen import ARABIC, rss

SAMPLES = Path(__file__).resolve().parents[2] / "sample_feeds"


@pytest.mark.parametrize(("name", "fmt", "count"), [
    ("arabic-news.xml", "rss20", 33), ("english-world.atom", "atom10", 14), ("hebrew-news.xml", "rss20", 20),
    ("mixed-tech.json", "json11", 12),
])
def test_sample_feeds(name: str, fmt: str, count: int) -> None:
    feed = parse_feed((SAMPLES / name).read_bytes(), url=str(SAMPLES / name))
    assert feed.format == fmt
    assert len(feed.articles) == count
    assert not feed.notices
    for article in feed.articles:
        assert article.title and article.blocks
        assert article.id == article_id(str(SAMPLES / name), article.guid)


def test_entry_fields() -> None:
    doc = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>T &amp; F</title><link>http://site.example/</link><language>ar</language>
<item><title>&lt;b&gt;Bold&lt;/b&gt; title</title><link>/rel/1</link><guid isPermaLink="false">g1</guid>
<author>a@example.org (Ahmad)</author><pubDate>Sat, 22 May 2021 10:00:00 +0300</pubDate>
<description>short summary</description>
<content:encoded><![CDATA[<p>Body <a href="/l">link</a></p>]]></content:encoded>
<enclosure url="http://site.example/a.mp3" length="1234" type="audio/mpeg"/></item>
</channel></rss>"""
    feed = parse_feed(doc, url="http://site.example/feed")
    assert feed.title == "T & F" and feed.site_url == "http://site.example/" and feed.language == "ar"
    (article,) = feed.articles
    assert article.title == "Bold title"
    assert article.url == "http://site.example/rel/1"
    assert article.guid == "g1"
    assert article.published == datetime(2021, 5, 22, 7, 0, tzinfo=UTC)
    assert article.summary == "short summary"
    assert [b.text for b in article.blocks] == ["Body link[1]"]
    assert [(x.number, x.url, x.kind) for x in article.links] == [
        (1, "http://site.example/l", LinkKind.LINK), (2, "http://site.example/a.mp3", LinkKind.ENCLOSURE)]
    assert article.links[1].length == 1234 and article.links[1].mime_type == "audio/mpeg"
    assert article.language == "ar"


def test_guid_falls_back_to_link_then_content_hash() -> None:
    doc = b"""<rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>http://x.example/a</link></item>
<item><title>b</title><description>body b</description></item>
<item><title>b</title><description>body b</description></item>
<item><title>c</title><guid>dup</guid></item><item><title>c2</title><guid>dup</guid></item>
</channel></rss>"""
    feed = parse_feed(doc, url="http://x.example/feed")
    assert [a.guid for a in feed.articles][:1] == ["http://x.example/a"]
    assert feed.articles[1].guid.startswith("hash:")
    assert [a.title for a in feed.articles] == ["a", "b", "c"]  # repeated ids: first one wins
    assert any("repeated id" in n for n in feed.notices)


@pytest.mark.parametrize("date", ["Sat, 01 Jan 0000 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
                                  "yesterday-ish", "32/13/2020", ""])
def test_garbage_dates_become_none(date: str) -> None:
    doc = f'<rss version="2.0"><channel><title>t</title><item><title>x</title><guid>1</guid>' \
          f"<pubDate>{date}</pubDate></item></channel></rss>"
    (article,) = parse_feed(doc.encode(), url="http://x.example/").articles
    assert article.published is None


@pytest.mark.parametrize(("codec", "declared"), [
    ("windows-1256", True), ("windows-1256", False), ("iso-8859-6", True), ("iso-8859-6", False),
    ("windows-1255", True), ("windows-1255", False),
])
def test_legacy_encodings(codec: str, declared: bool) -> None:
    text = "שלום עולם, זהו מבזק חדשות בעברית" if "1255" in codec else ARABIC
    doc = (f'<?xml version="1.0" encoding="{codec}"?>' if declared else "") + \
        f"<rss version=\"2.0\"><channel><title>{text[:20]}</title><item><title>{text}</title>" \
        f"<guid>1</guid><description>{text}</description></item></channel></rss>"
    feed = parse_feed(doc.encode(codec), url="http://x.example/")
    assert feed.title == text[:20].strip()
    assert feed.articles[0].title == text
    assert feed.articles[0].blocks[0].text == text


def test_http_charset_is_used_and_wrong_latin_declaration_is_overruled() -> None:
    data = rss(3, arabic=True, declare=False).encode("windows-1256")
    assert parse_feed(data, url="u", content_type="text/xml; charset=windows-1256").articles[0].title \
        .startswith(ARABIC[:10])
    wrong = rss(3, arabic=True, encoding="iso-8859-1").encode("windows-1256")
    feed = parse_feed(wrong, url="u")
    assert feed.articles[0].title.startswith(ARABIC[:10])
    assert any("windows-1256" in n or "cp1256" in n for n in feed.notices)


def test_utf16_with_and_without_bom() -> None:
    doc = rss(2, arabic=True, encoding="utf-16")
    bare = rss(2, arabic=True, declare=False)
    for data in (doc.encode("utf-16"), doc.encode("utf-16-le"), doc.encode("utf-16-be"),
                 bare.encode("utf-16-le"), bare.encode("utf-16-be")):
        assert parse_feed(data, url="u").articles[0].title.startswith(ARABIC[:10])


def test_invalid_utf8_and_nul_bytes() -> None:
    data = rss(2).encode().replace(b"Test", b"T\xff\xfe\x00st")
    assert b"\xff\xfe\x00" in data
    feed = parse_feed(data, url="u")
    assert len(feed.articles) == 2
    assert feed.title.startswith("T") and feed.title.endswith("st feed") and "\x00" not in feed.title


def test_ill_formed_feed_is_still_taken() -> None:
    doc = b'<rss version="2.0"><channel><title>t</title><item><title>a & b</title><guid>1</guid>' \
          b"<description>x</description></item><item><title>c</title><guid>2</guid></item>"
    feed = parse_feed(doc, url="u")
    assert [a.title for a in feed.articles] == ["a & b", "c"]
    assert any("ill-formed" in n for n in feed.notices)


@pytest.mark.parametrize("data", [b"", b"not xml at all", b"<html><body><p>a web page</p></body></html>",
                                  b"\x00\xff\xfe garbage", b'{"json": "but not a feed"}', b"{broken json"])
def test_not_a_feed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(data, url="u")


def test_control_characters_in_xml_do_not_force_the_lenient_parser() -> None:
    doc = '<rss version="2.0"><channel><title>t\x1b]0;pwned\x07</title><item><title>a\x1b[2Jb&#27;[31mc' \
          "\x00</title><guid>1</guid></item></channel></rss>"
    feed = parse_feed(doc.encode(), url="u")
    assert not feed.notices
    assert feed.title == "t"
    assert feed.articles[0].title == "abc"
    raw_c1 = '<rss version="2.0"><channel><title>x\x9b31mred\x9d0;t\x9c</title></channel></rss>'
    assert parse_feed(raw_c1.encode(), url="u").title == "xred"


LOL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>x &lol9;</title><guid>1</guid></item>
</channel></rss>"""


@pytest.mark.parametrize("doc", [LOL, LOL.replace("\n", "")])
def test_billion_laughs_is_not_expanded(doc: str) -> None:
    tracemalloc.start()
    feed = parse_feed(doc.encode(), url="u")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "lollol" not in feed.title + feed.articles[0].title
    assert any("entity declarations removed" in n for n in feed.notices)
    assert peak < 20_000_000


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    for decl in (f'<!ENTITY xxe SYSTEM "file://{secret}">', f'<!ENTITY % p SYSTEM "file://{secret}"> %p;'):
        doc = f'<?xml version="1.0"?><!DOCTYPE rss [{decl}]><rss version="2.0"><channel><title>t</title>' \
              f"<item><title>a &xxe; b</title><guid>1</guid></item></channel></rss>"
        feed = parse_feed(doc.encode(), url="u")
        assert "TOP-SECRET" not in repr(feed)


def test_defuse_keeps_the_document_and_reports_the_dtd() -> None:
    result = defuse('<?xml version="1.0"?><!-- c --><!DOCTYPE x SYSTEM "http://e/x.dtd" [<!ENTITY a "]>">'
                    '<!-- ]> -->]><x>&a;</x>')
    assert result.text == '<?xml version="1.0"?><!-- c --><x>&a;</x>'
    assert result.entities_declared == 1 and result.external
    assert defuse("<x><!DOCTYPE y></x>").text == "<x><!DOCTYPE y></x>"  # only the prolog is touched


def test_ten_thousand_items() -> None:
    feed = parse_feed(rss(10_000).encode(), url="http://example.org/feed")
    assert len(feed.articles) == 10_000
    assert len({a.id for a in feed.articles}) == 10_000


def test_json_feed_versions_and_attachments() -> None:
    import json

    doc = {
        "version": "https://jsonfeed.org/version/1", "title": "JF \x1b[31mred", "home_page_url": "https://j.example/",
        "author": {"name": "Feed Author"},
        "items": [
            {"id": 1, "url": "/one", "title": "<b>literal</b> title",
             "content_html": "<p>Hi <a href='/x'>x</a></p>", "date_published": "2021-05-22T10:00:00+03:00",
             "attachments": [{"url": "https://j.example/a.mp3", "mime_type": "audio/mpeg",
                              "size_in_bytes": 5}]},
            {"id": "two", "content_text": "Plain\n\nparagraphs", "date_modified": "not a date",
             "authors": [{"name": "A"}, {"name": "B"}], "language": "ar"},
            {"id": "two", "content_text": "a repeated id"},
            "not an object",
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), url="https://j.example/feed.json")
    assert feed.format == "json10" and feed.title == "JF red"
    first, second = feed.articles
    assert first.guid == "1" and first.url == "https://j.example/one"
    assert first.title == "<b>literal</b> title"  # JSON Feed titles are plain text
    assert first.author == "Feed Author" and first.published == datetime(2021, 5, 22, 7, 0, tzinfo=UTC)
    assert [(x.url, x.kind) for x in first.links] == [("https://j.example/x", LinkKind.LINK),
                                                       ("https://j.example/a.mp3", LinkKind.ENCLOSURE)]
    assert [b.text for b in second.blocks] == ["Plain", "paragraphs"]
    assert second.author == "A, B" and second.published is None and second.language == "ar"
    assert any("2 items skipped" in n for n in feed.notices)
    with pytest.raises(ParseError):
        parse_feed(b"[" * 100_000, url="u", content_type="application/feed+json")
