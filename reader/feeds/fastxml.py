"""The fast path for plain, well-formed RSS 2.0, RSS 1.0 (RDF) and Atom 1.0: lxml instead of feedparser.

feedparser is most of a refresh's parsing time: a Python callback for every element start, end and piece
of character data, each escaped ``&lt;`` of an HTML description included, then deep copies and regexes per
field. libxml2 builds the same document in C, and this module reads the handful of fields
``reader.feeds.parse`` uses straight from the tree, into a dictionary shaped like feedparser's result, so
``parse`` turns both into articles with the same code and the result is the same either way.

"The same" is kept by refusing rather than guessing. ``read`` answers None, and the caller uses
feedparser, for anything outside a small, common vocabulary it reproduces exactly: an ill-formed
document, an element or attribute it does not know in a place where feedparser gives it meaning (another
namespace's title, author or content; a ``<source>``; ``xml:base``; ``xml:lang`` below the root), a field
given twice (feedparser's handling of repeats depends on document order), XHTML or base64 content, markup
inside a text element. What it does reproduce, it reproduces with feedparser's own rules, several of them
odd and all of them deliberate here: text is stripped, URLs in ``<link>`` and permalink ``<guid>`` pass
through feedparser's ``_urljoin``, text that is UTF-8 read as Latin-1 is repaired, C1 characters become
windows-1252 punctuation, an RSS title that looks like HTML is typed as HTML, a permalink guid or an Atom
id stands in for a missing link, and an author's e-mail address is split off its name.
``tests/feeds/test_fastxml.py`` checks both paths against each other on every sample feed and on
generated ones.

Safety: the document has been through ``reader.feeds.xmlsafe.defuse`` (no DTD), and libxml2 is told
never to load a DTD, never to expand an entity, never to touch the network, and to keep its default
limits on depth and text size (``huge_tree`` off): whatever it refuses, feedparser gets, as before.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

__all__ = ["read"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_RISKY_NAMESPACES = frozenset({"http://www.w3.org/2005/Atom", "http://my.netscape.com/rdf/simple/0.9/",
                               "http://purl.org/rss/1.0/"})
"""Namespaces that set feedparser's idea of the format when declared on a root they do not belong to."""

_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_AUTHOR_EMAIL = re.compile(r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|"""
                           r"""(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?""")
_QUERY_ENTITY = re.compile("&([A-Za-z0-9_]+);")
_C1 = re.compile("[\x80-\x9f]")
_RSS_KEYS = {_DC + "creator": "author", _DC + "date": "updated", "pubDate": "published",
             _CONTENT + "encoded": "content"}
"""Item elements by the feedparser key they fill, where the two differ."""
_IMAGE_CHILDREN = frozenset({"url", "title", "link", "width", "height", "description"})
_TEXTINPUT_CHILDREN = frozenset({"title", "description", "name", "link"})


class _Refused(Exception):
    """Something feedparser would read its own way: the caller falls back to it."""


def read(text: str) -> dict[str, Any] | None:
    """A feedparser-shaped result (``feed``, ``entries``, ``version``) for ``text``, a defused document;
    None when the fast path cannot promise feedparser's answer."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             dtd_validation=False, attribute_defaults=False, collect_ids=False,
                             encoding="utf-8")
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError):
        return None
    try:
        return _Reader().document(root)
    except _Refused:
        return None


class _Reader:
    def __init__(self) -> None:
        import feedparser.datetimes
        import feedparser.html
        import feedparser.mixin
        import feedparser.urls

        self.parse_date = feedparser.datetimes._parse_date
        self.urljoin = feedparser.urls._urljoin
        self.cp1252: dict[int, str] = feedparser.html._cp1252
        self.looks_like_html = feedparser.mixin._FeedParserMixin.looks_like_html
        self.version = ""
        self.lang: str | None = None

    # -- the document ---------------------------------------------------------------------------------
    def document(self, root: Any) -> dict[str, Any]:
        tag = root.tag
        if tag == "rss":
            self._root_attrs(root, {"version"})
            version = str(root.get("version", ""))
            self.version = _RSS_VERSIONS.get(version) or ("rss20" if version.startswith("2.") else "rss")
            self._no_risky_namespaces(root, allowed="http://www.w3.org/2005/Atom")
            feed, entries = self._rss(root)
        elif tag == _ATOM + "feed":
            self._root_attrs(root, set())
            self.version = "atom10"
            self._no_risky_namespaces(root, allowed="http://www.w3.org/2005/Atom")
            feed, entries = self._atom(root)
        elif tag == _RDF + "RDF" and root.nsmap.get(None) == "http://purl.org/rss/1.0/":
            self._root_attrs(root, set())
            self.version = "rss10"
            self._no_risky_namespaces(root, allowed="http://purl.org/rss/1.0/")
            feed, entries = self._rdf(root)
        else:
            raise _Refused
        return {"feed": feed, "entries": entries, "version": self.version, "bozo": 0}

    def _root_attrs(self, root: Any, allowed: set[str]) -> None:
        """Only known attributes on the root; ``xml:lang`` there is the feed's language and every text's."""
        for name in root.attrib:
            if name == _XML_LANG:
                continue
            if name not in allowed:
                raise _Refused
        lang = root.get(_XML_LANG)
        self.lang = lang.replace("_", "-") if lang else None
        # xml:base anywhere, xml:lang or a plain "base" attribute below the root: feedparser tracks them.
        if root.xpath("boolean(//@xml:base | //*[parent::*]/@xml:lang | //@base | //@lang)"):
            raise _Refused

    @staticmethod
    def _no_risky_namespaces(root: Any, allowed: str | None = None) -> None:
        for uri in root.nsmap.values():
            if uri in _RISKY_NAMESPACES and uri != allowed:
                raise _Refused

    def _start_feed(self) -> dict[str, Any]:
        feed: dict[str, Any] = {}
        if self.lang:
            feed["language"] = self.lang
        return feed

    # -- RSS 2.0 (and 0.9x) ---------------------------------------------------------------------------
    def _rss(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        feed = self._start_feed()
        entries: list[dict[str, Any]] = []
        channels = [child for child in root if _is_element(child)]
        if len(channels) != 1 or channels[0].tag != "channel" or channels[0].attrib:
            raise _Refused
        seen: set[str] = set()
        for child in channels[0]:
            if not _is_element(child):
                continue
            tag = child.tag
            if tag == "item":
                if child.attrib:
                    raise _Refused
                entries.append(self._rss_item(child, rdf=False))
            else:
                self._channel_child(child, tag, feed, seen)
        return feed, entries

    def _channel_child(self, child: Any, tag: str, feed: dict[str, Any], seen: set[str]) -> None:
        """One child of an RSS or RDF channel: title, link and language are read; known harmless elements
        are skipped; anything else refuses."""
        if tag in ("title", "link", "language", _DC + "language"):
            key = "language" if tag == _DC + "language" else tag
            if key in seen or child.attrib:
                raise _Refused
            seen.add(key)
            value = self._text(child, relative=tag == "link")
            if key == "title":
                feed["title"] = value
                feed["title_detail"] = self._detail(self._rss_title_type(value), value)
            elif key == "link":
                feed["link"] = _QUERY_ENTITY.sub(r"&\g<1>", value)
            else:
                feed["language"] = value
        elif tag == _ATOM + "link":
            self._atom_link(child, feed, in_entry=False)
        elif tag == "image":
            self._skip_children(child, _IMAGE_CHILDREN)
        elif tag in ("textInput", "textinput"):
            self._skip_children(child, _TEXTINPUT_CHILDREN)
        elif tag in ("description", "lastBuildDate", "pubDate", "generator", "copyright", "managingEditor",
                     "webMaster", "ttl", "docs", "category", "rating", "skipHours", "skipDays", "cloud",
                     _DC + "date", _DC + "rights", _DC + "publisher", _DC + "creator", _RSS1 + "items"):
            if tag == "category" and set(child.attrib) - {"domain"}:
                raise _Refused
            # Markup inside: feedparser would read it as XHTML content, in the feed's context.
            if len(child) and tag not in ("skipHours", "skipDays", _RSS1 + "items"):
                raise _Refused
        else:
            raise _Refused

    @staticmethod
    def _skip_children(element: Any, allowed: frozenset[str]) -> None:
        """An image or text input: its fields are feedparser's, not ours, unless an unexpected child makes
        feedparser forget it is inside one."""
        for child in element:
            if _is_element(child) and child.tag not in allowed:
                raise _Refused

    def _rss_item(self, item: Any, *, rdf: bool) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        links: list[dict[str, Any]] = []
        seen: set[str] = set()
        link: str | None = None
        guid: str | None = None
        guid_is_link = False
        content: str | None = None
        if rdf:
            about = item.get(_RDF + "about")
            if about:
                entry["id"] = about
        for child in item:
            if not _is_element(child):
                continue
            tag = child.tag
            if rdf and tag.startswith(_RSS1):
                tag = tag[len(_RSS1):]
            elif rdf and not tag.startswith("{"):
                raise _Refused  # names in no namespace inside an RSS 1.0 item
            key = _RSS_KEYS.get(tag, tag)
            if key in ("title", "link", "description", "guid", "published", "author", "content", "updated"):
                if key in seen:
                    raise _Refused
                seen.add(key)
                attributes = set(child.attrib)
                if attributes and not (key == "guid" and attributes == {"isPermaLink"}):
                    raise _Refused
            if key == "title":
                value = self._text(child)
                entry["title"] = value
                entry["title_detail"] = self._detail(self._rss_title_type(value), value)
            elif key == "link":
                value = self._text(child, relative=True).replace("&amp;", "&")
                link = _QUERY_ENTITY.sub(r"&\g<1>", value)
                links.append({"rel": "alternate", "type": "text/html", **({"href": link} if link else {})})
            elif key == "description":
                value = self._text(child)
                entry["summary"] = value
                entry["summary_detail"] = self._detail("text/html", value)
            elif key == "content":
                content = self._text(child)
                entry["content"] = [self._detail("text/html", content)]
            elif key == "guid":
                guid_is_link = child.get("isPermaLink", "true") == "true"
                guid = self._text(child, relative=guid_is_link)
                entry["id"] = guid
            elif key == "published":
                entry["published_parsed"] = self.parse_date(self._text(child))
            elif key == "updated":
                entry["updated_parsed"] = self.parse_date(self._text(child))
            elif key == "author":
                self._rss_author(entry, self._text(child))
            elif tag == "enclosure" and not rdf:
                links.append(self._enclosure(child))
            elif tag in ("category", "comments") and not rdf:
                if set(child.attrib) - ({"domain"} if tag == "category" else set()) or len(child):
                    raise _Refused
            else:
                raise _Refused
        if link is not None:
            entry["link"] = link
        elif guid is not None and guid_is_link:
            entry["link"] = guid
        if content is not None and "summary" not in entry:
            entry["summary"] = content
        entry["links"] = links
        entry["enclosures"] = [{k: v for k, v in x.items() if k != "rel"} for x in links
                               if x["rel"] == "enclosure"]
        return entry

    def _rss_title_type(self, value: str) -> str:
        """RSS says titles are plain text; feedparser calls one HTML when it looks like HTML."""
        # Without a "<" or an "&" there is neither the end tag nor the entity it needs to look like HTML.
        if ("<" in value or "&" in value) and self.looks_like_html(value):
            return "text/html"
        return "text/plain"

    @staticmethod
    def _enclosure(element: Any) -> dict[str, Any]:
        attrs = {name.lower(): value for name, value in element.attrib.items()}
        if len(attrs) != len(element.attrib) or any(name.startswith("{") for name in attrs) or \
                len(element) or (element.text or "").strip():
            raise _Refused
        if "type" in attrs:
            attrs["type"] = attrs["type"].lower()
        if "rel" in attrs:
            attrs["rel"] = attrs["rel"].lower()
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        if href:
            attrs.pop("url", None)
            attrs.pop("uri", None)
            attrs["href"] = href
        attrs["rel"] = "enclosure"
        return attrs

    @staticmethod
    def _rss_author(entry: dict[str, Any], author: str) -> None:
        """feedparser's ``_sync_author_detail`` for an author given as one string: ``name (e-mail)``."""
        entry["author"] = author
        if not author:
            return
        email = None
        match = _AUTHOR_EMAIL.search(author)
        if match:
            email = match.group(0)
            author = author.replace(email, "").replace("()", "").replace("<>", "").replace("&lt;&gt;", "")
            author = author.strip()
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if author or email:
            detail: dict[str, Any] = {}
            if author:
                detail["name"] = author
            if email:
                detail["email"] = email
            entry["author_detail"] = detail

    # -- RSS 1.0 (RDF) --------------------------------------------------------------------------------
    def _rdf(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        feed = self._start_feed()
        entries: list[dict[str, Any]] = []
        children = [child for child in root if _is_element(child)]
        if not children or children[0].tag != _RSS1 + "channel":
            raise _Refused  # feedparser reads a channel title after an item's or image's title differently
        seen: set[str] = set()
        for child in children:
            tag = child.tag
            if tag == _RSS1 + "channel":
                if child is not children[0] or set(child.attrib) - {_RDF + "about"}:
                    raise _Refused
                for part in child:
                    if not _is_element(part):
                        continue
                    name = part.tag
                    if name.startswith(_RSS1):
                        name = name[len(_RSS1):]
                        if name in ("image", "textinput"):
                            if set(part.attrib) - {_RDF + "resource"} or len(part):
                                raise _Refused
                            continue
                        if name == "items":
                            name = _RSS1 + "items"
                    elif name in ("title", "link", "language", "description"):
                        raise _Refused
                    self._channel_child(part, name, feed, seen)
            elif tag == _RSS1 + "item":
                if set(child.attrib) - {_RDF + "about"}:
                    raise _Refused
                entries.append(self._rss_item(child, rdf=True))
            elif tag == _RSS1 + "image":
                self._skip_children(child, frozenset(_RSS1 + name for name in _IMAGE_CHILDREN))
            elif tag == _RSS1 + "textinput":
                self._skip_children(child, frozenset(_RSS1 + name for name in _TEXTINPUT_CHILDREN))
            else:
                raise _Refused
        return feed, entries

    # -- Atom 1.0 -------------------------------------------------------------------------------------
    def _atom(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        feed = self._start_feed()
        entries: list[dict[str, Any]] = []
        seen: set[str] = set()
        feed_id: str | None = None
        for child in root:
            if not _is_element(child):
                continue
            tag = child.tag
            if not tag.startswith(_ATOM):
                raise _Refused
            name = tag[len(_ATOM):]
            if name == "entry":
                if child.attrib:
                    raise _Refused
                entries.append(self._atom_entry(child))
            elif name == "link":
                self._atom_link(child, feed, in_entry=False)
            elif name == "title":
                if "title" in seen:
                    raise _Refused
                seen.add("title")
                value, kind = self._atom_text(child)
                feed["title"] = value
                feed["title_detail"] = self._detail(kind, value)
            elif name == "id":
                if "id" in seen or set(child.attrib):
                    raise _Refused
                seen.add("id")
                feed_id = self._text(child, relative=True)
            elif name in ("updated", "subtitle", "rights", "icon", "logo", "generator", "category", "author",
                          "contributor"):
                if name in ("subtitle", "rights"):
                    self._atom_text(child)
                elif name in ("author", "contributor"):
                    self._atom_person(child)
            else:
                raise _Refused
        if "link" not in feed and feed_id is not None:
            feed["link"] = feed_id
        return feed, entries

    def _atom_entry(self, element: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        links: list[dict[str, Any]] = []
        seen: set[str] = set()
        entry_id: str | None = None
        content: str | None = None
        for child in element:
            if not _is_element(child):
                continue
            tag = child.tag
            if not tag.startswith(_ATOM):
                raise _Refused
            name = tag[len(_ATOM):]
            if name in ("id", "title", "summary", "content", "published", "updated", "author"):
                if name in seen:
                    raise _Refused
                seen.add(name)
            if name == "link":
                links.append(self._atom_link(child, entry, in_entry=True))
            elif name == "id":
                if child.attrib:
                    raise _Refused
                entry_id = self._text(child, relative=True)
                entry["id"] = entry_id
            elif name == "title":
                value, kind = self._atom_text(child)
                entry["title"] = value
                entry["title_detail"] = self._detail(kind, value)
            elif name == "summary":
                value, kind = self._atom_text(child)
                entry["summary"] = value
                entry["summary_detail"] = self._detail(kind, value)
            elif name == "content":
                content, kind = self._atom_text(child)
                entry["content"] = [self._detail(kind, content)]
            elif name in ("published", "updated"):
                if child.attrib:
                    raise _Refused
                entry[f"{name}_parsed"] = self.parse_date(self._text(child))
            elif name == "author":
                name_, email = self._atom_person(child)
                detail = {k: v for k, v in (("name", name_), ("email", email)) if v is not None}
                if detail:
                    entry["author_detail"] = detail
                    if name_ and email:
                        entry["author"] = f"{name_} ({email})"
                    else:
                        entry["author"] = name_ or email
                else:
                    entry["author"] = ""
            elif name in ("category", "contributor", "rights"):
                if name == "contributor":
                    self._atom_person(child)
                elif name == "rights":
                    self._atom_text(child)
            else:
                raise _Refused
        if "link" not in entry and entry_id is not None:
            entry["link"] = entry_id
        if content is not None and "summary" not in entry:
            kind = entry["content"][0]["type"]
            if kind == "text/plain" or kind in _HTML_TYPES:
                entry["summary"] = content
        entry["links"] = links
        entry["enclosures"] = [{k: v for k, v in x.items() if k != "rel"} for x in links
                               if x["rel"] == "enclosure"]
        return entry

    def _atom_link(self, element: Any, context: dict[str, Any], *, in_entry: bool) -> dict[str, Any]:
        """feedparser's ``_start_link``: the last alternate HTML link is the link."""
        attrs: dict[str, Any] = {}
        for name, value in element.attrib.items():
            if name.startswith("{") or (name.lower() != name and name.lower() in element.attrib):
                raise _Refused
            attrs[name.lower()] = value.lower() if name.lower() in ("rel", "type") else value
        if len(element) or (element.text or "").strip() or "href" not in attrs or "url" in attrs or \
                "uri" in attrs:
            raise _Refused  # a link with text content: feedparser reads that as the link itself
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        attrs["href"] = self.urljoin("", attrs["href"])
        if attrs["rel"] == "alternate" and _map_type(attrs["type"]) in _HTML_TYPES:
            context["link"] = attrs["href"]
        return attrs

    def _atom_text(self, element: Any) -> tuple[str, str]:
        """An Atom text construct: (text, type); XHTML, base64 or out-of-line content refuses."""
        if set(element.attrib) - {"type"}:
            raise _Refused
        kind = _map_type(element.get("type", "text/plain"))
        if kind not in ("text/plain", "text/html"):
            raise _Refused
        return self._text(element), kind

    def _atom_person(self, element: Any) -> tuple[str | None, str | None]:
        """An author's name and e-mail as feedparser keeps them (stripped, nothing else done to them)."""
        if element.attrib:
            raise _Refused
        found: dict[str, str] = {}
        for child in element:
            if not _is_element(child):
                continue
            tag = child.tag
            name = tag[len(_ATOM):] if tag.startswith(_ATOM) else ""
            if name not in ("name", "email", "uri") or name in found or child.attrib or len(child):
                raise _Refused
            found[name] = (child.text or "").strip()
        return found.get("name"), found.get("email")

    # -- text -----------------------------------------------------------------------------------------
    def _text(self, element: Any, *, relative: bool = False) -> str:
        """An element's text as feedparser's ``pop`` leaves it. Markup or comments inside refuse."""
        if len(element):
            raise _Refused
        value = (element.text or "").strip()
        if relative and value:
            value = self.urljoin("", value)
        if value.isascii():
            return value
        # Text that is UTF-8 decoded as Latin-1 somewhere upstream: feedparser repairs it.
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            value = value.encode("iso-8859-1").decode("utf-8")
        return value.translate(self.cp1252) if _C1.search(value) else value

    def _detail(self, kind: str, value: str) -> dict[str, Any]:
        return {"type": kind, "language": self.lang, "base": "", "value": value}


def _is_element(node: Any) -> bool:
    """Elements only: comments and processing instructions between elements mean nothing to feedparser."""
    return isinstance(node.tag, str)


def _map_type(kind: str) -> str:
    kind = kind.lower()
    return {"text": "text/plain", "plain": "text/plain", "html": "text/html",
            "xhtml": "application/xhtml+xml"}.get(kind, kind)
