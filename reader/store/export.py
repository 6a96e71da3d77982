"""The archive as a file: a versioned JSON export that rebuilds it, plus Markdown and OPML for people
and other readers.

JSON format, version 1 (``FORMAT``/``VERSION`` at the top; a reader refuses a newer version)::

    {"format": "khabar-archive", "version": 1, "exported": "<ISO 8601>",
     "feeds": [{"id": 1, "url": "...", "title": "...", "site_url": null, "tags": ["news"],
                "etag": null, "last_modified": null, "last_refresh": "<ISO>", "last_error": null,
                "error_count": 0}],
     "articles": [{"id": "3f2a...", "feed": 1, "feed_title": "...", "guid": "...", "url": "...",
                   "title": "...", "author": null, "published": "<ISO>", "updated": null,
                   "language": "ar", "direction": "auto", "summary": "",
                   "blocks": [{"kind": "paragraph", "text": "...", "level": 0, "direction": "auto",
                               "lang": null}],
                   "links": [{"number": 1, "url": "...", "text": "...", "kind": "link",
                              "mime_type": null, "length": null}],
                   "read": false, "starred": false, "saved": true, "read_at": null,
                   "entities": [{"type": "LOC", "key": "...", "name": "...",
                                 "mentions": [{"start": 0, "end": 5, "text": "...", "kind": ""}]}]}]}

``feed`` refers to a feed ``id`` inside the same file (ids are renumbered on import); null means the
article belongs to no feed (an imported saved file, or a kept article of a removed feed). Times carry
their UTC offset. Texts are stored as ingested (already sanitised). Unknown keys are ignored, so later
versions may add fields without breaking older readers of the same major version.

``load`` returns model objects; ``restore`` puts them into a store (feeds by URL, then articles in one
transaction), which is what ``khabar import`` of a JSON export does.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TextIO

from reader.errors import ParseError
from reader.model import (
    Article,
    Block,
    BlockKind,
    Direction,
    Entity,
    EntityType,
    Feed,
    Link,
    LinkKind,
    Mention,
    Span,
)
from reader.store import codec
from reader.store.store import Store
from reader.store.types import WriteResult

FORMAT = "khabar-archive"
VERSION = 1


# -- JSON out -------------------------------------------------------------------------------------------

def feed_to_json(feed: Feed) -> dict[str, Any]:
    return {"id": feed.id, "url": feed.url, "title": feed.title, "site_url": feed.site_url,
            "tags": list(feed.tags), "etag": feed.etag, "last_modified": feed.last_modified,
            "last_refresh": codec.to_iso(feed.last_refresh), "last_error": feed.last_error,
            "error_count": feed.error_count}


def article_to_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id, "feed": article.feed_id, "feed_title": article.feed_title, "guid": article.guid,
        "url": article.url, "title": article.title, "author": article.author,
        "published": codec.to_iso(article.published), "updated": codec.to_iso(article.updated),
        "language": article.language, "direction": article.direction.value, "summary": article.summary,
        "blocks": [{"kind": b.kind.value, "text": b.text, "level": b.level, "direction": b.direction.value,
                    "lang": b.lang} for b in article.blocks],
        "links": [{"number": link.number, "url": link.url, "text": link.text, "kind": link.kind.value,
                   "mime_type": link.mime_type, "length": link.length} for link in article.links],
        "read": article.read, "starred": article.starred, "saved": article.saved,
        "read_at": codec.to_iso(article.read_at),
        "entities": [{"type": e.type.value, "key": e.key, "name": e.name,
                      "mentions": [{"start": m.span.start, "end": m.span.end, "text": m.text,
                                    "kind": m.span.kind} for m in e.mentions]} for e in article.entities],
    }


def write_json(out: TextIO, feeds: Iterable[Feed], articles: Iterable[Article], *,
               exported: datetime | None = None) -> int:
    """Stream an export to ``out`` one article at a time (an archive may not fit in memory twice);
    returns the number of articles written."""
    head = {"format": FORMAT, "version": VERSION, "exported": codec.to_iso(exported or codec.now())}
    out.write(json.dumps(head, ensure_ascii=False)[:-1])
    out.write(',\n"feeds": [')
    for i, feed in enumerate(feeds):
        out.write(("," if i else "") + "\n" + json.dumps(feed_to_json(feed), ensure_ascii=False))
    out.write('\n],\n"articles": [')
    count = 0
    for count, article in enumerate(articles, 1):
        line = json.dumps(article_to_json(article), ensure_ascii=False)
        out.write(("," if count > 1 else "") + "\n" + line)
    out.write("\n]}\n")
    return count


def export_json(store: Store, out: TextIO) -> int:
    """The whole archive as JSON; returns the number of articles."""
    return write_json(out, store.list_feeds(), store.iter_articles())


# -- JSON in --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ArchiveExport:
    """A loaded export: feeds with their export ids, articles whose ``feed_id`` are those ids."""

    feeds: list[Feed]
    articles: list[Article]
    version: int
    exported: datetime | None = None


def _time(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return codec.from_iso(str(value))
    except ValueError:
        raise ParseError(f"{where}: not an ISO 8601 time: {value!r}") from None


def _str(value: Any, where: str, *, optional: bool = True) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ParseError(f"{where}: expected a string, got {type(value).__name__}")
    return value


def _feed(data: Mapping[str, Any], where: str) -> Feed:
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ParseError(f"{where}.tags: expected a list of strings")
    fid = data.get("id")
    if not isinstance(fid, int):
        raise ParseError(f"{where}.id: expected a number")
    return Feed(url=_str(data.get("url"), f"{where}.url", optional=False), title=data.get("title") or "",
                id=fid, site_url=_str(data.get("site_url"), f"{where}.site_url"), tags=tuple(tags),
                etag=_str(data.get("etag"), f"{where}.etag"),
                last_modified=_str(data.get("last_modified"), f"{where}.last_modified"),
                last_refresh=_time(data.get("last_refresh"), f"{where}.last_refresh"),
                last_error=_str(data.get("last_error"), f"{where}.last_error"),
                error_count=int(data.get("error_count") or 0))


def _article(data: Mapping[str, Any], where: str) -> Article:
    try:
        blocks = tuple(Block(BlockKind(b["kind"]), str(b["text"]), int(b.get("level") or 0),
                             Direction(b.get("direction") or "auto"), b.get("lang"))
                       for b in data.get("blocks") or [])
        links = tuple(Link(int(k["number"]), str(k["url"]), str(k.get("text") or ""),
                           LinkKind(k.get("kind") or "link"), k.get("mime_type"), k.get("length"))
                      for k in data.get("links") or [])
        entities = tuple(
            Entity(type=EntityType(e["type"]), key=str(e["key"]), name=str(e.get("name") or e["key"]),
                   mentions=tuple(Mention(Span(int(m["start"]), int(m["end"]), str(m.get("kind") or "")),
                                          str(m["text"])) for m in e.get("mentions") or []))
            for e in data.get("entities") or [])
        feed = data.get("feed")
        return Article(
            id=_str(data.get("id"), f"{where}.id", optional=False),
            feed_id=int(feed) if feed is not None else None,
            guid=_str(data.get("guid"), f"{where}.guid", optional=False),
            title=str(data.get("title") or ""), url=_str(data.get("url"), f"{where}.url"),
            author=_str(data.get("author"), f"{where}.author"),
            published=_time(data.get("published"), f"{where}.published"),
            updated=_time(data.get("updated"), f"{where}.updated"),
            language=_str(data.get("language"), f"{where}.language"),
            direction=Direction(data.get("direction") or "auto"), blocks=blocks, links=links,
            summary=str(data.get("summary") or ""), read=bool(data.get("read")),
            starred=bool(data.get("starred")), saved=bool(data.get("saved")),
            read_at=_time(data.get("read_at"), f"{where}.read_at"),
            feed_title=str(data.get("feed_title") or ""), entities=entities)
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(f"{where}: invalid article ({type(exc).__name__}: {exc})") from None


def is_export(data: Any) -> bool:
    """Whether parsed JSON is a Khabar export (for ``khabar import``'s format detection)."""
    return isinstance(data, dict) and data.get("format") == FORMAT


def load(source: str | bytes | TextIO | Any) -> ArchiveExport:
    """Read an export (its text, bytes, a text stream, or already parsed JSON); ParseError with the place
    of the fault when it is not a valid Khabar export of a version this code reads."""
    if isinstance(source, (str, bytes)):
        try:
            data = json.loads(source)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"not JSON: {exc}") from None
    elif hasattr(source, "read"):
        try:
            data = json.load(source)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"not JSON: {exc}") from None
    else:
        data = source
    if not is_export(data):
        raise ParseError(f"not a Khabar archive export (no \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ParseError("export has no valid \"version\"")
    if version > VERSION:
        raise ParseError(f"export format version {version} is newer than this Khabar reads ({VERSION})")
    feeds_raw = data.get("feeds") or []
    articles_raw = data.get("articles") or []
    if not isinstance(feeds_raw, list) or not isinstance(articles_raw, list):
        raise ParseError("export \"feeds\" and \"articles\" must be lists")
    feeds = [_feed(f, f"feeds[{i}]") for i, f in enumerate(feeds_raw)]
    ids = {f.id for f in feeds}
    articles = [_article(a, f"articles[{i}]") for i, a in enumerate(articles_raw)]
    for i, article in enumerate(articles):
        if article.feed_id is not None and article.feed_id not in ids:
            raise ParseError(f"articles[{i}].feed: {article.feed_id} is not a feed id in this export")
    return ArchiveExport(feeds, articles, version, _time(data.get("exported"), "exported"))


def restore(store: Store, export: ArchiveExport) -> tuple[list[Feed], WriteResult]:
    """Put a loaded export into ``store``: feeds matched by URL (added with tags and fetch state when
    new; an existing one gains the export's tags), then every article in one transaction with its state
    and entities. Returns the feeds added and what the article import did."""
    existing = {f.url: f for f in store.list_feeds()}
    mapping: dict[int | None, int | None] = {None: None}
    added = []
    for feed in export.feeds:
        known = existing.get(feed.url)
        if known is None:
            known = store.add_feed(replace(feed, id=None))
            added.append(known)
        elif set(feed.tags) - set(known.tags):
            store.update_feed(replace(known, tags=tuple(dict.fromkeys(known.tags + feed.tags))))
        mapping[feed.id] = known.id
    articles = [replace(a, feed_id=mapping[a.feed_id]) for a in export.articles]
    return added, store.import_articles(articles)


# -- Markdown and OPML ----------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def article_markdown(article: Article) -> Iterator[str]:
    """One article as Markdown lines: title, source line, body blocks, numbered link references."""
    yield f"## {_md(article.title) or '(untitled)'}"
    yield ""
    meta = [m for m in (article.feed_title, codec.to_iso(article.published or article.updated),
                        article.author) if m]
    if meta:
        yield "*" + _md(" · ".join(meta)) + "*"
    if article.url:
        yield f"<{article.url}>"
    yield ""
    for block in article.blocks:
        text = _md(block.text)
        if block.kind is BlockKind.HEADING:
            yield "#" * min(6, max(3, block.level + 2)) + " " + text
        elif block.kind is BlockKind.LIST_ITEM:
            yield "  " * block.level + "- " + text
            continue
        elif block.kind is BlockKind.QUOTE:
            yield "> " + text
        elif block.kind is BlockKind.PREFORMATTED:
            yield "```"
            yield block.text
            yield "```"
        elif block.kind is BlockKind.IMAGE:
            yield f"\\[image: {text}\\]"
        else:
            yield text
        yield ""
    if article.links:
        for link in article.links:
            yield f"{link.number}. <{link.url}>" + (f" {_md(link.text)}" if link.text else "")
        yield ""


def export_markdown(store: Store, out: TextIO) -> int:
    """Every article, newest first, as one Markdown document."""
    count = 0
    out.write("# Khabar archive\n\n")
    for article in sorted(store.iter_articles(), key=lambda a: codec.timestamp(a.published or a.updated) or 0,
                          reverse=True):
        for line in article_markdown(article):
            out.write(line + "\n")
        count += 1
    return count


def export_opml(feeds: Iterable[Feed], out: TextIO) -> int:
    """Subscriptions as OPML 2.0: each feed once, inside a folder outline named after its first tag (at
    the top level when it has none), with an OPML 2.0 ``category`` attribute listing all its tags.
    Readers that only know folders file it under its first tag; Khabar's import (``reader.feeds.opml``)
    reads the folder and the categories back as the same tags in the same order. (Listing a feed under
    every tag made readers subscribe to it once per tag.)"""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "Khabar subscriptions"
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    count = 0
    for feed in feeds:
        count += 1
        parent = body
        if feed.tags:
            first = feed.tags[0]
            parent = folders.get(first) or folders.setdefault(
                first, ET.SubElement(body, "outline", text=first, title=first))
        attrs = {"type": "rss", "text": feed.title or feed.url, "title": feed.title or feed.url,
                 "xmlUrl": feed.url}
        if feed.site_url:
            attrs["htmlUrl"] = feed.site_url
        if feed.tags:
            attrs["category"] = ",".join(feed.tags)
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
    return count
