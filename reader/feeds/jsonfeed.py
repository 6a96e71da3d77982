"""JSON Feed 1.0 and 1.1 (jsonfeed.org) to model types.

Version 1.1 renamed ``author`` to ``authors`` and added ``language``; both spellings are read. Content is
taken from ``content_html`` (through ``reader.feeds.html``), else ``content_text``, else ``summary``;
attachments become enclosure links. Values of the wrong JSON type are ignored rather than trusted.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from reader.errors import ParseError
from reader.feeds.build import ParsedFeed, aware, clean_line, make_article, safe_url
from reader.feeds.encoding import decode
from reader.feeds.html import html_to_blocks, text_to_blocks
from reader.model import Article, Block, Link, LinkKind

__all__ = ["parse_json_feed"]

_WEB = frozenset({"http", "https"})


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return aware(datetime.fromisoformat(value.strip()))
    except ValueError:
        return None


def _author(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")
    if isinstance(authors, list):
        names = [a["name"] for a in authors if isinstance(a, dict) and _str(a.get("name"))]
        if names:
            return ", ".join(names)
    author = obj.get("author")
    if isinstance(author, dict):
        return _str(author.get("name"))
    return None


def parse_json_feed(data: bytes | str, *, url: str, feed_key: str | None = None, feed_id: int | None = None
                    ) -> ParsedFeed:
    """Parse a JSON Feed document; ``ParseError`` if it is not JSON or not a JSON Feed."""
    text = decode(data).text if isinstance(data, bytes) else data
    try:
        # strict=False: a raw control character inside a string (NUL, ESC) is not worth refusing the
        # feed for; the sanitiser removes it from every field anyway.
        doc = json.loads(text, strict=False)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"not a readable JSON Feed: {clean_line(str(exc), 200)}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise ParseError("not a JSON Feed: no items list")
    version = _str(doc.get("version")) or ""
    base = url if url.startswith(("http://", "https://")) else None
    site_url = safe_url(_str(doc.get("home_page_url")), base, schemes=_WEB)
    language = clean_line(_str(doc.get("language")), 35) or None
    feed_author = _author(doc)
    articles: list[Article] = []
    seen: set[str] = set()
    notices: list[str] = []
    for item in doc["items"]:
        if not isinstance(item, dict):
            continue
        article = _article(item, feed_key=feed_key or url, feed_id=feed_id, base=site_url or base,
                           language=language, feed_author=feed_author)
        if article.guid in seen:
            continue
        seen.add(article.guid)
        articles.append(article)
    if len(articles) < len(doc["items"]):
        notices.append(f"{len(doc['items']) - len(articles)} items skipped (malformed or repeated id)")
    fmt = "json11" if version.endswith("1.1") else "json10"
    return ParsedFeed(title=clean_line(_str(doc.get("title"))), site_url=site_url, language=language,
                      articles=tuple(articles), notices=tuple(notices), format=fmt)


def _article(item: dict[str, Any], *, feed_key: str, feed_id: int | None, base: str | None,
             language: str | None, feed_author: str | None) -> Article:
    link = safe_url(_str(item.get("url")) or _str(item.get("external_url")), base, schemes=_WEB)
    html = _str(item.get("content_html"))
    text = _str(item.get("content_text"))
    summary = _str(item.get("summary")) or ""
    blocks: tuple[Block, ...]
    links: tuple[Link, ...] = ()
    if html:
        blocks, links = html_to_blocks(html, base_url=link or base)
    elif text:
        blocks = text_to_blocks(text)
    else:
        blocks, summary = text_to_blocks(summary), ""
    known = {existing.url for existing in links}
    extra: list[Link] = []
    for attachment in item.get("attachments") or ():
        if not isinstance(attachment, dict):
            continue
        href = safe_url(_str(attachment.get("url")), base, schemes=_WEB)
        if not href or href in known:
            continue
        known.add(href)
        size = attachment.get("size_in_bytes")
        extra.append(Link(len(links) + len(extra) + 1, href, clean_line(_str(attachment.get("title")), 300),
                          LinkKind.ENCLOSURE, clean_line(_str(attachment.get("mime_type")), 100) or None,
                          size if isinstance(size, int) and size >= 0 else None))
    item_id = item.get("id")
    guid = str(item_id) if isinstance(item_id, str | int) and not isinstance(item_id, bool) else None
    title = _str(item.get("title"))
    return make_article(
        feed_key=feed_key, feed_id=feed_id, guid=guid, title=title, url=link,
        author=_author(item) or feed_author, published=_date(item.get("date_published")) or
        _date(item.get("date_modified")), updated=_date(item.get("date_modified")),
        language=_str(item.get("language")) or language, blocks=blocks, links=links + tuple(extra),
        summary=summary,
    )
