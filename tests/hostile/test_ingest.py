"""The hostile corpus through ``khabar import`` and ``khabar refresh`` (subprocesses, a real archive): every
feed is taken in or refused with its own clear error, the others unaffected, and what is stored is inert.

The archive is built once per session (``conftest.built``); these tests read it back through the store
and, for the strongest claims (no control character anywhere, the XXE marker nowhere), through SQLite
itself and the raw bytes of the database file.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from reader.model import Article, Feed
from reader.rtl.sanitize import sanitize
from reader.store import ArticleQuery, Store
from tests.hostile.conftest import HTTP_FEEDS, Built
from tests.hostile.corpus import (
    BIDI,
    BIDI_CONTROLS,
    DATES,
    FAILING,
    MARKER,
    MARKUP,
    OPML_TITLES,
    PAYLOADS,
    PWNED,
    feed_names,
    unsafe,
)

ARABIC = "خبر عاجل من أربيل"


def _name(feed: Feed) -> str:
    parts = urlsplit(feed.url)
    name = parts.path.rsplit("/", 1)[-1]
    return f"http:{name}" if parts.scheme == "http" else name


@pytest.fixture(scope="module")
def feeds(built: Built) -> dict[str, Feed]:
    with built.store() as store:
        return {_name(feed): feed for feed in store.list_feeds()}


@pytest.fixture(scope="module")
def articles(built: Built, feeds: dict[str, Feed]) -> dict[str, list[Article]]:
    """Every stored article (full, with blocks and links) by feed name; saved pages under ``saved``."""
    by_id = {feed.id: name for name, feed in feeds.items()}
    found: dict[str, list[Article]] = defaultdict(list)
    with built.store() as store:
        for listed in store.list_articles(ArticleQuery(limit=100_000)):
            article = store.get_article(listed.id)
            found[by_id.get(article.feed_id, "saved")].append(article)
    return dict(found)


def titles(articles: list[Article]) -> set[str]:
    return {a.title for a in articles}


def text_fields(article: Article) -> list[str]:
    return [article.title, article.author or "", article.url or "", article.summary, article.guid,
            article.feed_title, article.language or "", *(b.text for b in article.blocks),
            *(b.lang or "" for b in article.blocks), *(link.url for link in article.links),
            *(link.text for link in article.links), *(link.mime_type or "" for link in article.links)]


# -- every feed: taken in, or refused alone ----------------------------------------------------------------
def test_every_feed_is_taken_or_refused_with_its_own_error(built: Built, feeds: dict[str, Feed],
                                                           articles: dict[str, list[Article]]) -> None:
    expected = set(feed_names()) | {f"http:{name}" for name in HTTP_FEEDS}
    assert set(feeds) == expected
    for name, feed in feeds.items():
        if name in FAILING:
            assert feed.last_error and feed.last_error.startswith(FAILING[name]), (name, feed.last_error)
            assert feed.error_count == 1 and name not in articles
        else:
            assert feed.last_error is None, (name, feed.last_error)
            assert articles.get(name), f"{name}: nothing taken in"
    # The refresh says which feeds failed, one line each, and its exit code says some did.
    assert built.refresh.returncode == 1
    failed_lines = [line for line in built.refresh.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed_lines) == len(FAILING)
    for name, reason in FAILING.items():
        assert any(name in line and reason in line for line in failed_lines), (name, failed_lines)
    ok = len(feeds) - len(FAILING)
    assert f"{len(feeds)} feeds: {ok} ok, 0 unchanged, {len(FAILING)} failed" in built.refresh.stdout
    assert "Traceback" not in built.refresh.stderr + built.subscribe.stderr + built.pages.stderr
    # The neighbour with nothing wrong is complete.
    assert titles(articles["good.rss"]) == {f"good article {i}" for i in range(3)}


def test_nothing_unsafe_is_stored_anywhere(built: Built) -> None:
    """Every text value of every row of every table (the full-text index's binary shadow tables
    aside): no C0 or C1 control but newline, no escape, and explicit bidi controls only balanced (the
    sanitiser's output is a fixed point of it)."""
    conn = sqlite3.connect(f"file:{built.db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if not r[0].startswith("sqlite_") and not r[0].endswith(("_data", "_idx", "_docsize"))]
        checked = 0
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if not isinstance(value, str):
                        continue
                    checked += 1
                    assert not unsafe(BIDI_CONTROLS.sub("", value.replace("\n", ""))), (table, value[:200])
                    assert sanitize(value) == value, (table, value[:200])
                    assert not PWNED.search(value), (table, value[:200])
        assert checked > 1000
    finally:
        conn.close()


def test_every_article_field_is_clean(articles: dict[str, list[Article]]) -> None:
    count = 0
    for name, found in articles.items():
        for article in found:
            for text in text_fields(article):
                assert sanitize(text) == text, (name, text[:200])
                assert not [c for c in unsafe(text.replace("\n", "")) if not c.startswith("U+20")], name
            for block in article.blocks:
                if block.kind.value != "preformatted":
                    assert "\n" not in block.text
            for field in (article.title, article.author or "", article.url or "", article.feed_title):
                assert "\n" not in field
            count += 1
    assert count > 100


# -- escapes -----------------------------------------------------------------------------------------------
KEEPS_TEXT = {"osc8-link": "LINKTEXT", "screen-title": "PWNED-WINDOW"}
"""Escapes whose visible part is meant to stay: an OSC 8 hyperlink's text; what follows ``ESC k`` (a
complete two-byte escape: the title text after it was never part of the sequence)."""


@pytest.mark.parametrize(("feed", "prefix"), [("escapes-raw.rss", "raw"), ("escapes-charref.rss", "charref"),
                                              ("escapes-entity.rss", "entity"), ("escapes.atom", "atom"),
                                              ("escapes.json", "json")])
def test_escapes_are_removed_whole_and_the_words_around_them_kept(
        articles: dict[str, list[Article]], feed: str, prefix: str) -> None:
    found = {a.title: a for a in articles[feed]}
    for name in PAYLOADS:
        middle = KEEPS_TEXT.get(name, "")
        body_middle = middle
        if name == "c1-csi" and prefix in ("charref", "entity", "atom"):
            # &#155; is a character reference to U+009B; HTML (and feedparser for XML) read references to
            # 0x80-0x9F as windows-1252, so it shows as '›' and its parameters as text: inert, like a typo.
            middle = "›2J›31m"
            body_middle = middle if prefix != "atom" else ""  # Atom's xhtml body holds the raw control
        title = f"{prefix} {name} before{middle}after"
        assert title in found, (title, sorted(found))
        article = found[title]
        body = article.body_text
        assert f"before{body_middle}after" in body, body
        if article.author:
            kept = KEEPS_TEXT.get(name, "")
            assert article.author in {f"author{m}name" for m in (kept, middle)} | {
                f"{prefix}{m}author" for m in (kept, middle)}, article.author


def test_escapes_in_feed_and_subscription_titles(feeds: dict[str, Feed]) -> None:
    assert feeds["escapes-raw.rss"].title == "OPML title raw"
    assert feeds["escapes.atom"].title == "Escapes atomLINKTEXTPWNED-WINDOWfeed"
    assert feeds["escapes.json"].title == "Escapes jsonLINKTEXTPWNED-WINDOWfeed"
    assert feeds["http:escapes-raw.rss"].title == "Escapes raw LINKTEXTPWNED-WINDOWfeed"
    for feed in feeds.values():
        assert set(feed.tags) == set() or all(sanitize(t) == t and "\x1b" not in t for t in feed.tags)
    assert OPML_TITLES["markup.rss"] == feeds["markup.rss"].title


# -- markup and bidi ---------------------------------------------------------------------------------------
def test_markup_is_stored_literally(articles: dict[str, list[Article]], feeds: dict[str, Feed]) -> None:
    assert titles(articles["markup.rss"]) == set(MARKUP.values())
    assert titles(articles["markup.json"]) == set(MARKUP.values())
    assert feeds["markup.json"].title == "[@click=app.quit]Markup json[/]"
    bodies = {a.body_text for a in articles["markup.rss"]}
    assert bodies == {f"body {text}" for text in MARKUP.values()}


def test_unbalanced_bidi_controls_are_closed_within_their_field(articles: dict[str, list[Article]]) -> None:
    found = articles["bidi.rss"]
    assert len(found) == len(BIDI)
    for article in found:
        for text in (article.title, article.author or "", *(b.text for b in article.blocks)):
            # Closed where they were opened: sanitising again changes nothing, and the title ends closed.
            assert sanitize(text, multiline=False) == text
    by_guid = {a.guid: a for a in found}
    assert by_guid["bidi-rlo"].title == "\u202eRLO unclosed title\u202c"
    assert by_guid["bidi-pdf"].title == "stray PDF title"
    assert by_guid["bidi-pdi"].title == "stray PDI title"
    # The body's override stops at the end of its paragraph: the next block is untouched.
    assert by_guid["bidi-rlo"].blocks[1].text == "next paragraph"


# -- XML attacks -------------------------------------------------------------------------------------------
def test_entities_are_never_expanded_and_nothing_external_is_read(built: Built,
                                                                 articles: dict[str, list[Article]]) -> None:
    for name in ("billion-laughs.rss", "billion-laughs-oneline.rss", "http:billion-laughs.rss"):
        (article,) = articles[name]
        assert "lollol" not in article.title + article.body_text, article.title
        assert article.title == "laugh &lol9;"  # an undefined entity, left as the text it is
    for name in ("xxe-relative.rss", "xxe-absolute.rss", "xxe-parameter.rss", "dtd-external.rss",
                 "xinclude.rss", "stylesheet.rss", *(f"http:{n}" for n in HTTP_FEEDS)):
        for article in articles[name]:
            assert all(MARKER not in text for text in text_fields(article)), name
    # No DTD, external entity or stylesheet was fetched from the server; only the feeds were.
    assert built.stray_requests() == []
    assert {r.path for r in built.server.requests} == {f"/feeds/{n}" for n in HTTP_FEEDS}
    # The marker is nowhere in the database file, nor in a write-ahead log beside it.
    for path in built.db.parent.iterdir():
        if path.name.startswith("khabar.db"):
            assert MARKER.encode() not in path.read_bytes(), path


# -- encodings ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("feed", ["invalid-utf8.rss", "wrong-charset.rss", "cp1256-declared-utf8.rss",
                                  "utf16-bom.rss", "utf16le-nobom.rss", "utf16be-nobom.rss", "nul-bytes.rss"])
def test_encodings_decode_to_the_right_letters(articles: dict[str, list[Article]], feed: str) -> None:
    (article,) = articles[feed]
    assert article.title.startswith(ARABIC), article.title
    assert ARABIC in article.body_text
    assert "\x00" not in article.title + article.body_text


def test_damaged_utf8_keeps_utf8_and_marks_only_the_damage(articles: dict[str, list[Article]]) -> None:
    (article,) = articles["invalid-utf8.rss"]
    assert article.body_text.startswith(f"body {ARABIC} end")
    assert "\ufffd" in article.body_text


def test_json_with_raw_controls_and_lone_surrogates_is_taken(articles: dict[str, list[Article]]) -> None:
    (article,) = articles["invalid-utf8.json"]
    assert article.body_text == "body lone"


# -- values ------------------------------------------------------------------------------------------------
def test_impossible_dates_become_unknown(articles: dict[str, list[Article]]) -> None:
    dated = {a.title: a for name in ("values.rss", "values.atom", "values.json") for a in articles[name]}
    for case in DATES:
        article = dated[f"date {case}"]
        assert article.published is None and article.updated is None, (case, article.published)
    for case in ("year0", "year9999", "overflow", "underflow"):
        for prefix in ("atom date", "json date"):
            article = dated[f"{prefix} {case}"]
            assert article.published is None and article.updated is None, (prefix, case)


def test_missing_titles_and_links(articles: dict[str, list[Article]]) -> None:
    found = {a.guid: a for a in articles["values.rss"]}
    assert found["no-title"].title == "an item with no title at all"
    untitled = [a for a in articles["values.rss"] if a.title in ("", "(untitled)")]
    assert len(untitled) <= 1
    for article in articles["values.rss"]:
        assert article.id and article.guid


@pytest.mark.parametrize("feed", ["values.rss", "values.atom", "values.json", "saved"])
def test_unsafe_link_schemes_are_never_stored(articles: dict[str, list[Article]], feed: str) -> None:
    for article in articles[feed]:
        for url in (article.url, *(link.url for link in article.links)):
            if url is not None:
                assert urlsplit(url).scheme in ("http", "https", "mailto"), url
    if feed == "values.rss":
        js = next(a for a in articles[feed] if a.guid == "js")
        assert [link.url for link in js.links] == ["http://ok.example/"]


def test_duplicate_guids_keep_the_first(articles: dict[str, list[Article]]) -> None:
    dups = [a for a in articles["values.rss"] if a.guid == "dup"]
    assert [a.title for a in dups] == ["duplicate guid first"]
    assert [a.title for a in articles["values.atom"] if a.guid == "urn:v:same"] == ["atom dup 1"]
    assert [a.title for a in articles["values.json"] if a.guid == "jd-dup"] == ["json dup 1"]


def test_distinct_guids_sharing_a_link_are_distinct_articles(articles: dict[str, list[Article]]) -> None:
    assert titles(articles["same-link.rss"]) == {f"same link {n}" for n in range(3)}


# -- saved pages -------------------------------------------------------------------------------------------
def test_saved_pages_are_imported_clean(built: Built, articles: dict[str, list[Article]]) -> None:
    assert built.pages.returncode == 0, built.pages.stderr
    saved = articles["saved"]
    assert len(saved) == 3 and all(a.saved for a in saved)
    texts = "\n".join(t for a in saved for t in text_fields(a))
    assert "[@click=app.quit]" in texts and "[bold]" in texts
    links = [link.url for a in saved for link in a.links]
    assert links and all(urlsplit(url).scheme in ("http", "https") for url in links), links
    # Markdown's raw HTML is shown as the text it is, never run or turned into a link.
    markdown = next(a for a in saved if a.title.startswith("Markdown"))
    assert "<script>alert(1)</script>" in markdown.body_text
    assert not PWNED.search(texts)


def test_a_second_refresh_changes_nothing(built: Built, hostile_copy: Path) -> None:
    from reader.config import Settings
    from reader.update import refresh_store

    with Store.open(hostile_copy / "khabar.db") as store:
        local = [f.url for f in store.list_feeds() if not f.url.startswith("http")]
        assert len(local) > 20
        before = store.count_articles(ArticleQuery(limit=100_000))
        report = refresh_store(store, Settings(), feeds=local, entities=False)
        assert report.new == 0 and report.updated == 0
        assert {o.status for o in report.outcomes} == {"unchanged", "failed"}
        assert store.count_articles(ArticleQuery(limit=100_000)) == before
        assert store.integrity_check()
