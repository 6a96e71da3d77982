"""OPML 1.0 and 2.0 subscription lists: read them (nested outlines become tags) and write them back.

Reading: every outline with an ``xmlUrl`` is a feed; the texts of the outlines around it become its tags,
outermost first, followed by the entries of an OPML 2.0 ``category`` attribute. Relative ``xmlUrl``s (the
bundled sample OPML uses them) are resolved against the OPML file's folder. The document goes through
``reader.feeds.xmlsafe`` first, so an OPML file cannot expand entities or reach outside itself, and the
outline tree is walked with an explicit stack, so nesting depth costs no recursion.

Writing: one outline per feed, nested inside one folder outline per tag in order, so a feed tagged
``(News, Arabic)`` sits in ``News`` > ``Arabic`` and reading the file back gives the same tags in the
same order.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from reader.errors import ParseError
from reader.feeds.build import clean_line, safe_url
from reader.feeds.encoding import decode, xml_charset
from reader.feeds.xmlsafe import defuse, has_masked, unmask
from reader.model import Feed

__all__ = ["OpmlDocument", "looks_like_opml", "read_opml", "write_opml"]

FEED_SCHEMES = frozenset({"http", "https", "file"})


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    """The feeds an OPML file lists and what was skipped."""

    title: str
    feeds: tuple[Feed, ...]
    notices: tuple[str, ...] = ()


def looks_like_opml(data: bytes) -> bool:
    """Whether ``data`` starts like an OPML document."""
    head = data[:2048].lower()
    return b"<opml" in head


def _feed_url(raw: str, base_dir: Path | None) -> str | None:
    """A feed URL from an ``xmlUrl``: web and file URLs as they are, relative paths resolved against the
    OPML file's folder (so the bundled OPML can list its neighbours)."""
    raw = raw.strip()
    scheme = urlsplit(raw).scheme.lower()
    if scheme in ("http", "https"):
        return safe_url(raw, schemes=FEED_SCHEMES)
    if scheme == "file":
        return safe_url(raw, schemes=FEED_SCHEMES)
    if scheme or not raw:
        return None
    if raw.startswith(("/", "~")):
        return str(Path(raw).expanduser())
    if base_dir is None:
        return None
    return str((base_dir / raw).resolve())


def read_opml(data: bytes, *, base_dir: Path | None = None) -> OpmlDocument:
    """Parse an OPML document; ``ParseError`` if it is not OPML."""
    text = defuse(decode(data, (xml_charset(data),)).text).text
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ParseError(f"not a readable OPML file: {clean_line(str(exc), 200)}") from None
    if root.tag.lower() != "opml":
        raise ParseError("not an OPML file: the root element is not <opml>")
    masked = has_masked(text)
    head_title = unmask(root.findtext("head/title") or "")
    body = root.find("body")
    feeds: list[Feed] = []
    notices: list[str] = []
    seen: set[str] = set()
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [(child, ()) for child in reversed(list(body or ()))]
    while stack:
        element, folders = stack.pop()
        if element.tag != "outline":
            continue
        attrs = {key.lower(): unmask(value) if masked else value for key, value in element.attrib.items()}
        label = clean_line(attrs.get("text") or attrs.get("title"), 200)
        xml_url = attrs.get("xmlurl")
        if xml_url is None:
            inner = (*folders, label) if label else folders
            stack.extend((child, inner) for child in reversed(list(element)))
            continue
        url = _feed_url(xml_url, base_dir)
        if url is None:
            notices.append(f"skipped {clean_line(xml_url, 200) or 'an outline'}: not a web or file URL")
            continue
        if url in seen:
            continue
        seen.add(url)
        tags = list(folders)
        for category in (attrs.get("category") or "").split(","):
            tag = clean_line(category.strip().strip("/"), 200)
            if tag:
                tags.append(tag)
        title = clean_line(attrs.get("title") or attrs.get("text"), 300)
        feeds.append(Feed(
            url=url,
            title="" if title in (url, xml_url.strip()) else title,  # writers put the URL in for no title
            site_url=safe_url(attrs.get("htmlurl"), schemes=frozenset({"http", "https"})),
            tags=tuple(dict.fromkeys(tags)),
        ))
    return OpmlDocument(clean_line(head_title, 300), tuple(feeds), tuple(notices))


def write_opml(feeds: Sequence[Feed], *, title: str = "Khabar subscriptions") -> str:
    """An OPML 2.0 document listing ``feeds``, each nested in one folder outline per tag, in order."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[tuple[str, ...], ET.Element] = {(): body}
    for feed in feeds:
        parent = body
        for depth in range(1, len(feed.tags) + 1):
            path = tuple(feed.tags[:depth])
            folder = folders.get(path)
            if folder is None:
                folder = folders[path] = ET.SubElement(parent, "outline", text=path[-1], title=path[-1])
            parent = folder
        attrs = {"type": "rss", "text": feed.title or feed.url, "title": feed.title or feed.url,
                 "xmlUrl": feed.url}
        if feed.site_url:
            attrs["htmlUrl"] = feed.site_url
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

