"""Article HTML to Khabar's blocks and numbered links, the way Newsboat renders a feed entry.

Headings, paragraphs, list items, quotes and preformatted text become ``Block``s; a table becomes one
paragraph per row with its cells joined by `` | ``; an image becomes an IMAGE block holding its alt text
(the view shows ``[image: alt]``); a link's text is followed by ``[n]`` and the URL is listed after the body
as link ``n``. Scripts, styles, iframes, forms, hidden elements and tracking pixels are dropped; ``dir`` and
``lang`` attributes travel with each block as hints; whitespace is collapsed outside ``<pre>``; every
text is passed through ``reader.rtl.sanitize``.

Why an event stream (``reader.feeds.htmltok``) rather than a tree from lxml, BeautifulSoup or html5lib:
with no tree and no recursion, HTML nested 10,000 levels deep costs a list of 10,000 small frames instead
of a ``RecursionError`` (BeautifulSoup) or a truncated document (libxml2 stops at depth 256); the work is
linear in the input whatever it contains; it costs no dependency; and a spec-exact tree (html5lib) would
buy nothing, since we only need the text, its block structure and its links. The standard library's
``html.parser`` has the right shape but not the right bounds on Python 3.11 (see ``htmltok``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Final

from reader.feeds.build import clean_line, clean_text, safe_url
from reader.feeds.htmltok import EndTag, StartTag, tokenize
from reader.model import Block, BlockKind, Direction, Link, LinkKind
from reader.rtl.sanitize import drop_escapes

__all__ = ["html_to_blocks", "html_to_text", "text_to_blocks"]

# Elements dropped together with everything inside them.
_DROP: Final = frozenset({
    "script", "style", "iframe", "frame", "frameset", "form", "noscript", "template", "svg", "math",
    "object", "canvas", "audio", "video", "select", "textarea", "button", "head", "title", "map",
    "dialog", "noembed", "noframes",
})
# Elements that never have content or an end tag.
_VOID: Final = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "param", "keygen",
})
# Elements that start and end a block.
_BLOCK: Final = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption", "section", "article",
    "header", "footer", "main", "aside", "nav", "address", "details", "summary", "center", "fieldset",
    "legend", "body", "html", "menu", "hgroup", "th", "td",
})
# Starting one of these closes an open element of the same family (HTML's implied end tags).
_CLOSES: Final = {
    "p": frozenset({"p"}), "li": frozenset({"li"}), "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}), "tr": frozenset({"tr"}), "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
}
_IMPLIED_SCAN: Final = 32
"""How far down the stack an implied end tag is looked for: bounded, so tag soup stays linear."""
_HEADINGS: Final = {f"h{n}": n for n in range(1, 7)}
_COLLAPSE = re.compile(r"[ \t\n\r\f]+")
_ESCAPE = re.compile("[\x1b\x80-\x9f]")
"""ESC or a C1 control: the markup may hold an escape sequence, to be removed whole before parsing."""
_TRACKER = re.compile(r"pixel|beacon|track(ing)?[/.?]|/~r/|feedsportal|doubleclick|/stats?\?|\.gif\?", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


MAX_LIST_LEVEL = 8
"""Deepest list nesting a block records; deeper items share it. Every renderer indents by the level, so
lists nested 10,000 deep (a hostile-corpus case) would otherwise indent past any screen's width."""


class _Frame:
    """One open element and the context it gives the text inside it (inherited from its parent)."""

    __slots__ = ("anchor_start", "cell", "counter", "direction", "kind", "lang", "level", "link",
                 "list_depth", "skip", "tag", "text_seen")

    tag: str
    skip: bool
    kind: BlockKind
    level: int
    direction: Direction
    lang: str | None
    list_depth: int
    counter: list[int] | None
    """The next number of the enclosing ordered list (shared by its items), or None."""
    cell: bool
    """Inside a table row: blocks do not break the row's paragraph."""
    link: int
    text_seen: bool
    anchor_start: tuple[int, int]

    def __init__(self, tag: str, parent: _Frame | None) -> None:
        self.tag = tag
        if parent is None:
            self.skip, self.kind, self.level, self.direction = False, BlockKind.PARAGRAPH, 0, Direction.AUTO
            self.lang, self.list_depth, self.counter, self.cell = None, 0, None, False
        else:
            self.skip, self.kind, self.level, self.direction = (parent.skip, parent.kind, parent.level,
                                                                parent.direction)
            self.lang, self.list_depth, self.counter, self.cell = (parent.lang, parent.list_depth,
                                                                   parent.counter, parent.cell)
        self.link = 0
        self.text_seen = False
        self.anchor_start = (0, 0)


class _Converter:
    """Collects blocks and links from tokenizer events; see the module docstring for the rules."""

    def __init__(self, base_url: str | None, link_start: int, markers: bool) -> None:
        self.base_url = base_url
        self.markers = markers
        self.blocks: list[Block] = []
        self.links: list[Link] = []
        self._numbers: dict[str, int] = {}
        self._next_number = link_start
        self._first_number = link_start
        self._root = _Frame("#root", None)
        self._stack: list[_Frame] = []
        self._open: Counter[str] = Counter()
        self._parts: list[str] = []
        self._anchors: list[_Frame] = []

    # -- context -----------------------------------------------------------------------------------------

    @property
    def _top(self) -> _Frame:
        return self._stack[-1] if self._stack else self._root

    def _flush(self) -> None:
        """End the current block, if it has any text, using the context of the innermost open element."""
        if not self._parts:
            return
        raw = "".join(self._parts)
        self._parts.clear()
        top = self._top
        if top.kind is BlockKind.PREFORMATTED:
            text = clean_text(raw.replace("\r\n", "\n").replace("\r", "\n"), multiline=True)
            text = text.strip("\n").rstrip()
        else:
            text = _COLLAPSE.sub(" ", clean_text(raw, multiline=False)).strip()
        if text:
            self.blocks.append(Block(top.kind, text, top.level, top.direction, top.lang))

    # -- events ------------------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attributes: dict[str, str]) -> None:
        top = self._top
        if top.skip:
            if tag not in _VOID:
                self._push(tag, top)
            return
        if tag in _VOID:
            self._void(tag, attributes)
            return
        if tag in _CLOSES:
            self._implied_close(_CLOSES[tag])
        top = self._top
        is_block = tag in _BLOCK
        if is_block and not top.cell:
            self._flush()
        elif is_block and tag not in ("td", "th", "tr"):
            self._parts.append(" ")
        frame = self._push(tag, top)
        if (tag in _DROP or "hidden" in attributes or attributes.get("aria-hidden") == "true"
                or _HIDDEN_STYLE.search(attributes.get("style", ""))):
            frame.skip = True
            return
        direction = attributes.get("dir", "").strip().lower()
        if direction in ("rtl", "ltr", "auto"):
            frame.direction = Direction(direction)
        lang = attributes.get("lang") or attributes.get("xml:lang")
        if lang:
            frame.lang = clean_line(lang, 35) or None
        if tag in _HEADINGS:
            frame.kind, frame.level = BlockKind.HEADING, _HEADINGS[tag]
        elif tag in ("ul", "ol", "menu", "dl"):
            frame.list_depth += 1
            frame.counter = [_start(attributes)] if tag == "ol" else None
        elif tag in ("li", "dd", "dt"):
            frame.kind, frame.level = BlockKind.LIST_ITEM, min(max(frame.list_depth - 1, 0),
                                                               MAX_LIST_LEVEL)
            if frame.counter is not None and tag == "li":
                self._parts.append(f"{frame.counter[0]}. ")
                frame.counter[0] += 1
        elif tag == "blockquote":
            if frame.kind is BlockKind.PARAGRAPH:
                frame.kind = BlockKind.QUOTE
        elif tag in ("pre", "listing", "xmp", "plaintext"):
            frame.kind = BlockKind.PREFORMATTED
        elif tag == "tr":
            frame.cell = True
        elif tag in ("td", "th"):
            if self._parts and "".join(self._parts).strip():
                self._parts.append(" | ")
            frame.cell = True
        elif tag == "a":
            url = safe_url(attributes.get("href"), self.base_url)
            if url:
                frame.link = self._number(url, "", LinkKind.LINK)
                frame.anchor_start = (len(self.blocks), len(self._parts))
                self._anchors.append(frame)

    def handle_endtag(self, tag: str) -> None:
        if not self._open[tag]:
            return  # a stray end tag: nothing of that name is open
        while self._stack:
            frame = self._stack[-1]
            self._close(frame)
            self._stack.pop()
            self._open[frame.tag] -= 1
            if frame.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        top = self._top
        if top.skip:
            return
        self._parts.append(data)
        if self._anchors and not data.isspace():
            self._anchors[-1].text_seen = True

    def run(self, html: str) -> None:
        """Convert all of ``html``."""
        if _ESCAPE.search(html):
            # An escape sequence's bytes can read as markup: in '\x1b[<A<script>' the '<' of the CSI
            # opened a tag named 'a<script', and the script's content showed as text. Gone whole first,
            # the markup around it parses as its author meant (and the text is sanitised again later).
            html = drop_escapes(html)
        for token in tokenize(html):
            if isinstance(token, StartTag):
                self.handle_starttag(token.name, token.attrs)
                if token.self_closing and token.name not in _VOID:
                    self.handle_endtag(token.name)
            elif isinstance(token, EndTag):
                self.handle_endtag(token.name)
            else:
                self.handle_data(token.text)
        self.close()

    def close(self) -> None:
        """End every open element and the last block."""
        while self._stack:
            self._close(self._stack[-1])
            self._stack.pop()
        self._flush()

    # -- helpers -----------------------------------------------------------------------------------------

    def _push(self, tag: str, parent: _Frame) -> _Frame:
        frame = _Frame(tag, parent)
        self._stack.append(frame)
        self._open[tag] += 1
        return frame

    def _close(self, frame: _Frame) -> None:
        """What ending ``frame`` does: a link marker for an anchor, the end of a block for a block."""
        if frame.skip:
            return
        if frame.link:
            if self._anchors and self._anchors[-1] is frame:
                self._anchors.pop()
            if frame.text_seen:
                self._name_link(frame)
                if self.markers:
                    self._parts.append(f"[{frame.link}]")
        if frame.tag in _BLOCK:
            parent = self._stack[-2] if len(self._stack) > 1 else self._root
            if parent.cell:
                self._parts.append(" ")
            else:
                self._flush()

    def _name_link(self, frame: _Frame) -> None:
        """Give a link the text of its first anchor, when the anchor stayed inside one block."""
        index = frame.link - self._first_number
        blocks, start = frame.anchor_start
        if blocks != len(self.blocks) or not 0 <= index < len(self.links) or self.links[index].text:
            return
        text = clean_line("".join(self._parts[start:]), 300)
        if text:
            self.links[index] = replace(self.links[index], text=text)

    def _implied_close(self, family: frozenset[str]) -> None:
        """Close an open element of ``family`` near the top of the stack, as HTML's implied end tags do."""
        for index in range(len(self._stack) - 1, max(len(self._stack) - 1 - _IMPLIED_SCAN, -1), -1):
            tag = self._stack[index].tag
            if tag in family:
                self.handle_endtag(tag)
                return
            if tag in ("ul", "ol", "table", "dl", "blockquote", "div", "menu"):
                return

    def _void(self, tag: str, attributes: dict[str, str]) -> None:
        top = self._top
        if tag == "br":
            if top.kind is BlockKind.PREFORMATTED:
                self._parts.append("\n")
            elif top.cell:
                self._parts.append(" ")
            else:
                self._flush()
        elif tag == "hr":
            self._flush()
        elif tag == "img" and not _is_tracker(attributes):
            src = safe_url(attributes.get("src"), self.base_url, schemes=frozenset({"http", "https"}))
            alt = clean_line(attributes.get("alt") or attributes.get("title"), 300)
            if not src and not alt:
                return
            if top.cell:
                self._parts.append(f" [image: {alt}] " if alt else " [image] ")
            else:
                self._flush()
                self.blocks.append(Block(BlockKind.IMAGE, alt, 0, top.direction, top.lang))
            if src:
                self._number(src, alt, LinkKind.IMAGE)

    def _number(self, url: str, text: str, kind: LinkKind) -> int:
        """The reference number of ``url``, adding it to the list the first time it is seen."""
        number = self._numbers.get(url)
        if number is None:
            number = self._numbers[url] = self._next_number
            self._next_number += 1
            self.links.append(Link(number, url, text, kind))
        return number


def _start(attributes: dict[str, str]) -> int:
    try:
        return int(attributes.get("start", "1"))
    except ValueError:
        return 1


def _is_tracker(attributes: dict[str, str]) -> bool:
    """A tracking pixel: a 0 or 1 pixel image, a hidden one, or one served by a known tracker path."""
    for name in ("width", "height"):
        value = attributes.get(name, "").strip().removesuffix("px")
        if value in ("0", "1"):
            return True
    if _HIDDEN_STYLE.search(attributes.get("style", "")):
        return True
    return bool(_TRACKER.search(attributes.get("src", ""))) and not attributes.get("alt")


def html_to_blocks(html: str, *, base_url: str | None = None, link_start: int = 1
                   ) -> tuple[tuple[Block, ...], tuple[Link, ...]]:
    """Convert an HTML fragment or page to blocks and numbered links (numbered from ``link_start``).

    Relative links and image sources are resolved against ``base_url`` when it is http(s). Never raises
    on malformed input; it returns whatever text it could recover.
    """
    converter = _Converter(base_url, link_start, markers=True)
    converter.run(html)
    return tuple(converter.blocks), tuple(converter.links)


def html_to_text(html: str) -> str:
    """The text of an HTML snippet on one line (for titles and summaries that arrive as HTML)."""
    if "<" not in html and "&" not in html:
        return _COLLAPSE.sub(" ", clean_text(html, multiline=False)).strip()
    converter = _Converter(None, 1, markers=False)
    converter.run(html)
    return " ".join(block.text for block in converter.blocks if block.kind is not BlockKind.IMAGE)


def text_to_blocks(text: str, *, per_line: bool = False, direction: Direction = Direction.AUTO
                   ) -> tuple[Block, ...]:
    """Plain text to paragraphs: one per line when ``per_line``, else one per run of lines separated by
    a blank line (a single line break inside a paragraph is just a wrapped line)."""
    text = clean_text(text, multiline=True)
    chunks = text.split("\n") if per_line else re.split(r"\n[ \t]*\n", text)
    blocks = []
    for chunk in chunks:
        clean = _COLLAPSE.sub(" ", chunk).strip()
        if clean:
            blocks.append(Block(BlockKind.PARAGRAPH, clean, 0, direction))
    return tuple(blocks)
