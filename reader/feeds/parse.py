"""Feed documents to model types: RSS 0.9x/1.0/2.0, RDF and Atom 0.3/1.0 through feedparser, JSON Feed
through ``reader.feeds.jsonfeed``. This is the only module that touches a feedparser dictionary.

Most feeds never reach feedparser itself: ``reader.feeds.fastxml`` reads plain, well-formed RSS 2.0, RSS
1.0 and Atom 1.0 with lxml into a dictionary of the same shape, many times faster, and refuses (so
feedparser runs) whenever it could not promise feedparser's answer. Everything after that is shared.

Before feedparser sees a document, ``reader.feeds.encoding`` decodes it (feedparser's own fallback turns
undeclared windows-1256 into mojibake) and ``reader.feeds.xmlsafe`` removes its DTD (entity expansion and
external entities become impossible). feedparser then gets UTF-8 with HTML sanitising and relative-URI
resolution turned off: ``reader.feeds.html`` drops scripts and resolves links itself while it builds the
blocks, so doing it twice would only cost time (feedparser's sanitiser is most of its run time).

Ill-formed feeds (feedparser's *bozo* flag) are still taken when they yield entries; the problem is
reported as a notice. A document with no entries and no feed title is refused with ``ParseError``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from reader.errors import ParseError
from reader.feeds.build import ParsedFeed, aware, clean_line, make_article, safe_url
from reader.feeds.encoding import decode, xml_charset
from reader.feeds.html import html_to_blocks, html_to_text, text_to_blocks
from reader.feeds.xmlsafe import defuse, has_masked, unmask_tree
from reader.model import Article, Block, Link, LinkKind

__all__ = ["is_json", "parse_feed"]

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def is_json(data: bytes, content_type: str | None = None) -> bool:
    """Whether ``data`` is a JSON document (JSON Feed) rather than XML."""
    if content_type and "json" in content_type.lower():
        return True
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def parse_feed(data: bytes, *, url: str, feed_key: str | None = None, feed_id: int | None = None,
               content_type: str | None = None, fast: bool = True) -> ParsedFeed:
    """Parse a feed document into a ParsedFeed.

    ``url`` is where it came from (the base for relative links when it is http(s)); ``feed_key`` keys the
    article ids (the feed's URL at first sight, default ``url``); ``feed_id`` is stamped on the articles.
    ``fast`` False always uses feedparser (the tests compare the two paths).
    """
    if is_json(data, content_type):
        from reader.feeds.jsonfeed import parse_json_feed

        return parse_json_feed(data, url=url, feed_key=feed_key, feed_id=feed_id)
    return _parse_xml(data, url=url, feed_key=feed_key or url, feed_id=feed_id,
                      charset=_charset(content_type), fast=fast)


def _parse_xml(data: bytes, *, url: str, feed_key: str, feed_id: int | None, charset: str | None,
               fast: bool = True) -> ParsedFeed:
    notices: list[str] = []
    decoded = decode(data, (xml_charset(data), charset))
    if decoded.note:
        notices.append(clean_line(decoded.note))
    defused = defuse(decoded.text)
    if defused.entities_declared:
        notices.append(f"DTD with {defused.entities_declared} entity declarations removed unexpanded")
    base = url if url.startswith(("http://", "https://")) else None
    # No Content-Location: with a base URL feedparser re-resolves a base for every element (a quarter
    # of its run time); relative links are resolved here instead, against the feed's own URL.
    result: Mapping[str, Any] | None = None
    if fast:
        from reader.feeds.fastxml import read

        result = read(defused.text)
    if result is None:
        import feedparser

        headers = {"content-type": "application/xml; charset=utf-8"}
        result = feedparser.parse(io.BytesIO(defused.text.encode("utf-8", "surrogatepass")),
                                  response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    if has_masked(defused.text):
        unmask_tree(result)  # controls masked for the XML parser go back, for the sanitiser to remove
    feed: Mapping[str, Any] = result.get("feed", {})
    entries: list[dict[str, Any]] = result.get("entries", [])
    title = _text_field(feed, "title")
    if result.get("bozo"):
        reason = clean_line(str(result.get("bozo_exception", "")), 200) or "unknown error"
        if not entries and not title:
            raise ParseError(f"not a readable feed ({reason})")
        notices.append(f"ill-formed XML, read leniently: {reason}")
    if not entries and not title and not result.get("version"):
        raise ParseError("not a feed: no RSS, RDF or Atom elements found")
    site_url = safe_url(feed.get("link"), base, schemes=frozenset({"http", "https"}))
    language = clean_line(feed.get("language"), 35) or None
    articles: list[Article] = []
    seen: set[str] = set()
    duplicates = 0
    for entry in entries:
        article = _article(entry, feed_key=feed_key, feed_id=feed_id, base=base, language=language)
        if article.guid in seen:
            duplicates += 1
            continue
        seen.add(article.guid)
        articles.append(article)
    if duplicates:
        notices.append(f"{duplicates} entries with a repeated id skipped")
    return ParsedFeed(title=title, site_url=site_url, language=language, articles=tuple(articles),
                      notices=tuple(notices), format=str(result.get("version") or ""))


def _text_field(mapping: Mapping[str, Any], key: str, limit: int = 300) -> str:
    """A one-line text field, converted from HTML when the feed says it is HTML."""
    value = mapping.get(key)
    if not isinstance(value, str) or not value:
        return ""
    detail = mapping.get(f"{key}_detail") or {}
    if str(detail.get("type", "")).lower() in _HTML_TYPES or "<" in value:
        value = html_to_text(value[: limit * 20])
    return clean_line(value, limit)


def _content(entry: Mapping[str, Any]) -> tuple[str, bool, str | None] | None:
    """The entry's richest content: (value, is_html, language), preferring HTML, then the longest."""
    best: tuple[str, bool, str | None] | None = None
    for item in entry.get("content") or ():
        value = item.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        is_html = str(item.get("type", "text/html")).lower() in _HTML_TYPES
        candidate = (value, is_html, item.get("language"))
        if best is None or (is_html, len(value)) > (best[1], len(best[0])):
            best = candidate
    return best


def _body(value: str, is_html: bool, base: str | None, link_start: int = 1
          ) -> tuple[tuple[Block, ...], tuple[Link, ...]]:
    if is_html:
        return html_to_blocks(value, base_url=base, link_start=link_start)
    return text_to_blocks(value), ()


def _article(entry: dict[str, Any], *, feed_key: str, feed_id: int | None, base: str | None,
             language: str | None) -> Article:
    link = safe_url(entry.get("link"), base, schemes=frozenset({"http", "https"}))
    entry_base = link or base
    summary_value = entry.get("summary") if isinstance(entry.get("summary"), str) else ""
    summary_detail = entry.get("summary_detail") or {}
    summary_is_html = str(summary_detail.get("type", "text/html")).lower() in _HTML_TYPES
    content = _content(entry)
    summary = ""
    if content is not None:
        blocks, links = _body(content[0], content[1], entry_base)
        if summary_value and summary_value.strip() != content[0].strip():
            summary = html_to_text(summary_value) if summary_is_html else summary_value
        language = clean_line(content[2], 35) or language
    elif summary_value:
        blocks, links = _body(summary_value, summary_is_html, entry_base)
    else:
        blocks, links = (), ()
    links = links + _enclosures(entry, {link.url for link in links}, len(links) + 1)
    author_detail = entry.get("author_detail") or {}
    author = author_detail.get("name") or entry.get("author")
    # dict.get, not FeedParserDict.get: feedparser maps a missing updated_parsed to published_parsed
    # with a DeprecationWarning, and we want to know which one the feed actually gave.
    published = aware(dict.get(entry, "published_parsed") or dict.get(entry, "created_parsed"))
    updated = aware(dict.get(entry, "updated_parsed"))
    guid = entry.get("id") if isinstance(entry.get("id"), str) else None
    return make_article(
        feed_key=feed_key, feed_id=feed_id, guid=guid, title=_text_field(entry, "title"), url=link,
        author=author if isinstance(author, str) else None, published=published or updated, updated=updated,
        language=language, blocks=blocks, links=links, summary=summary,
    )


def _enclosures(entry: Mapping[str, Any], known: set[str], start: int) -> tuple[Link, ...]:
    """Enclosures (podcasts, images) as numbered links after the body's own links."""
    links: list[Link] = []
    for item in entry.get("enclosures") or ():
        url = safe_url(item.get("href") or item.get("url"), schemes=frozenset({"http", "https"}))
        if not url or url in known:
            continue
        known.add(url)
        try:
            length: int | None = int(item.get("length") or 0) or None
        except (TypeError, ValueError):
            length = None
        mime = clean_line(item.get("type"), 100) or None
        links.append(Link(start + len(links), url, clean_line(item.get("title"), 300), LinkKind.ENCLOSURE,
                          mime, length if length is None or length >= 0 else None))
    return tuple(links)
