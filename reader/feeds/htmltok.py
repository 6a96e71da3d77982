"""A linear-time HTML tokenizer: start tags, end tags and text, nothing else.

Why not the standard library's ``html.parser``: on Python 3.11 it goes quadratic on unterminated
constructs, because ``close()`` re-scans to the end of the input from every ``<`` it cannot complete
(100,000 repetitions of ``<!--`` take a minute, of ``<a`` fifteen seconds), and it raises
``AssertionError`` on ``<![``. Feed HTML is written by strangers, so the converter needs a tokenizer
whose work is bounded by the input's length whatever the input is. This one follows the HTML standard's
tokenizer where it matters (comments, bogus comments, raw-text elements, end of file inside a tag or a
comment drops the rest, a ``<`` that starts nothing is text) and never looks back: every search starts
where the previous one ended and either finds its terminator or ends the input.

It does not build a tree and never recurses; the converter in ``reader.feeds.html`` keeps its own stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Final, NamedTuple

__all__ = ["EndTag", "StartTag", "Text", "tokenize", "unescape_html"]

RAW_TEXT: Final = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"})
"""Elements whose content is not markup: everything up to their end tag is one text token."""


class StartTag(NamedTuple):
    name: str
    attrs: dict[str, str]
    self_closing: bool


class EndTag(NamedTuple):
    name: str


class Text(NamedTuple):
    text: str
    raw: bool = False
    """True for the content of a raw-text element such as ``<script>``."""


Token = StartTag | EndTag | Text

_TAG_NAME = re.compile(r"[a-zA-Z][^\s/>\x00]*")
_ATTR_NAME = re.compile(r"[\s/]*([^\s/>\"'=][^\s/>=]*)")
_ATTR_EQ = re.compile(r"\s*=\s*")
_UNQUOTED = re.compile(r"[^\s>]*")
_TAG_END = re.compile(r"[\s/]*(/?)>")


# Numeric references to C0 controls and DEL (not NUL, TAB, LF, FF, CR). The HTML standard keeps these
# code points (a parse error, not a removal); ``html.unescape`` drops them, which left the rest of an
# escape written as ``&#27;[2J`` behind as ``[2J`` litter. Decoded here to the control itself, the
# sanitiser then removes each escape sequence whole, exactly as it does for a raw ESC.
_C0_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,2})|0*([0-9]{1,3}));?")
_KEPT_C0 = frozenset((0x00, 0x09, 0x0A, 0x0C, 0x0D))


def _c0(match: re.Match[str]) -> str:
    value = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if (value < 0x20 and value not in _KEPT_C0) or value == 0x7F:
        return chr(value)
    return match.group()


def unescape_html(text: str) -> str:
    """``html.unescape``, except that references to C0 controls give the control (see ``_C0_REF``)."""
    if "&#" in text:
        text = _C0_REF.sub(_c0, text)
    return unescape(text)


def _text(text: str) -> Text:
    return Text(unescape_html(text) if "&" in text else text)


def tokenize(html: str) -> Iterator[Token]:
    """Yield the tokens of ``html`` in order, in time linear in its length."""
    pos = 0
    end = len(html)
    raw_end: dict[str, re.Pattern[str]] = {}
    while pos < end:
        lt = html.find("<", pos)
        if lt < 0:
            yield _text(html[pos:])
            return
        if lt > pos:
            yield _text(html[pos:lt])
        pos = lt
        nxt = html[pos + 1: pos + 2]
        if nxt.isascii() and nxt.isalpha():
            tag = _start_tag(html, pos)
            if tag is None:
                return  # end of file inside a tag: the tag and anything after it are dropped
            token, pos = tag
            yield token
            if token.name in RAW_TEXT and not token.self_closing:
                pattern = raw_end.get(token.name)
                if pattern is None:
                    pattern = raw_end[token.name] = re.compile(rf"</{token.name}[\s/>]", re.IGNORECASE)
                match = pattern.search(html, pos)
                stop = match.start() if match else end
                if stop > pos:
                    yield Text(html[pos:stop], raw=True)
                pos = stop
            continue
        if nxt == "/":
            name = _TAG_NAME.match(html, pos + 2)
            close = html.find(">", pos + 2)
            if close < 0:
                return
            if name:
                yield EndTag(name.group().lower())
            pos = close + 1  # a "</>" or "</ junk>" is a bogus comment: dropped
            continue
        if html.startswith("<!--", pos):
            close = html.find("-->", pos + 4)
            if close < 0:
                return  # an unterminated comment runs to the end of the input
            pos = close + 3
            continue
        if html.startswith("<![CDATA[", pos):
            close = html.find("]]>", pos + 9)
            stop = close if close >= 0 else end
            yield Text(html[pos + 9: stop])
            pos = stop + 3
            continue
        if nxt in ("!", "?"):
            close = html.find(">", pos + 2)
            if close < 0:
                return
            pos = close + 1  # a declaration, processing instruction or bogus comment: dropped
            continue
        yield Text("<")
        pos += 1


def _start_tag(html: str, pos: int) -> tuple[StartTag, int] | None:
    """Parse the start tag at ``pos``; None when the input ends inside it."""
    name = _TAG_NAME.match(html, pos + 1)
    assert name is not None  # the caller saw a letter
    pos = name.end()
    attrs: dict[str, str] = {}
    end = len(html)
    while pos < end:
        close = _TAG_END.match(html, pos)
        if close:
            return StartTag(name.group().lower(), attrs, bool(close.group(1))), close.end()
        attr = _ATTR_NAME.match(html, pos)
        if not attr:
            pos += 1  # a stray quote or "=" where a name should be: skip it
            continue
        key = attr.group(1).lower()
        pos = attr.end()
        value = ""
        eq = _ATTR_EQ.match(html, pos)
        if eq:
            pos = eq.end()
            quote = html[pos: pos + 1]
            if quote in ('"', "'"):
                close_quote = html.find(quote, pos + 1)
                if close_quote < 0:
                    return None
                value = html[pos + 1: close_quote]
                pos = close_quote + 1
            else:
                unquoted = _UNQUOTED.match(html, pos)
                assert unquoted is not None  # matches the empty string at worst
                value = unquoted.group()
                pos = unquoted.end()
        attrs.setdefault(key, unescape_html(value) if "&" in value else value)
    return None
