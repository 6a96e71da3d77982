"""Defuse untrusted XML before any XML parser sees it: no DTD, no entity declarations, no illegal characters.

feedparser 6 hands well-formed feeds to expat through ``xml.sax`` with external general entities turned
off, and strips ``<!ENTITY`` declarations itself, but only those at the start of a line: a billion-laughs
DTD written on one line reaches expat intact, and expat (2.5 here) stops it only after its amplification
limit trips, some 2 seconds and 57 MB later. Declarations that survive feedparser's regex can also make the
whole document ill-formed in ways that push it to the slow, lenient parser. OPML files go through
``xml.etree`` with the same exposure.

So every XML document Khabar reads goes through ``defuse`` first, which removes the document type
declaration from the prolog whole, internal subset included (a linear scan that honours quotes and
comments). With no DTD there is nothing to expand and nothing external to fetch: a reference to a
declared entity becomes an undefined entity, which the strict parser rejects and the lenient parser leaves
as literal text. This is cheaper and stricter than defusedxml (which forbids DTDs by raising, cannot be
plugged into feedparser's own parser, and has had no release since 2021), and it costs no dependency.

It also makes feeds that embed terminal escapes well-formed again: XML 1.0 forbids C0 controls, raw or
as character references, and one stray ESC would send the whole feed to the lenient parser. ESC, BEL and
the C1 controls are *masked* as private-use characters (feedparser would otherwise turn C1 controls into
windows-1252 punctuation, leaving the parameters of an 8-bit CSI behind as litter) and ``unmask`` puts
them back just before the sanitiser runs, so it still removes each escape sequence whole. The other C0
controls are dropped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Defused", "defuse", "has_masked", "unmask", "unmask_tree"]

_CHARREF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,2})|0*([0-9]{1,3}));")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f\ufffe\uffff]|&#")
_MASK_BASE = 0xF700
"""Masked control ``c`` is ``chr(_MASK_BASE + ord(c))``: U+F707 (BEL), U+F71B (ESC), U+F780-U+F79F (C1)."""
_TO_MASK = re.compile("[\x07\x1b\x80-\x9f]")
"""What is masked: BEL, ESC and the C1 controls."""
_MASKED = re.compile("[\uf707\uf71b\uf780-\uf79f]")
_PLAIN = re.compile(r"[^\"'<\[\]>]+")


@dataclass(frozen=True, slots=True)
class Defused:
    """The cleaned document and what was removed from it."""

    text: str
    doctype_removed: bool = False
    entities_declared: int = 0
    """How many ``<!ENTITY`` declarations the removed DTD held (nonzero suggests an expansion attack)."""
    external: bool = False
    """The DTD named an external subset or entity (``SYSTEM``/``PUBLIC``); it was never fetched."""


def defuse(text: str) -> Defused:
    """Remove the DOCTYPE from ``text``'s prolog and make its control characters legal XML."""
    text = _fix_controls(text)
    start, end = _find_doctype(text)
    if start < 0:
        return Defused(text)
    doctype = text[start:end]
    return Defused(
        text[:start] + text[end:],
        doctype_removed=True,
        entities_declared=doctype.count("<!ENTITY"),
        external=" SYSTEM" in doctype or " PUBLIC" in doctype,
    )


def _fix_controls(text: str) -> str:
    if not _ANY_CONTROL.search(text):
        return text

    def charref(match: re.Match[str]) -> str:
        value = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if value < 0x20 and value not in (0x09, 0x0A, 0x0D):
            return chr(value)
        return match.group()

    if "&#" in text:
        text = _CHARREF.sub(charref, text)
    # re.sub, not str.translate: translate looks every character of a non-ASCII text up in its table,
    # which took half a second per pass over a 10 MB Arabic body; the regex skips clean runs in C.
    text = _TO_MASK.sub(_mask_one, text)
    return _ILLEGAL.sub("", text)


def _mask_one(match: re.Match[str]) -> str:
    return chr(_MASK_BASE + ord(match.group()))


def _unmask_one(match: re.Match[str]) -> str:
    return chr(ord(match.group()) - _MASK_BASE)


def has_masked(text: str) -> bool:
    """Whether ``text`` holds any character ``defuse`` may have masked (almost never: check once per
    document, and skip ``unmask_tree`` when false)."""
    return _MASKED.search(text) is not None


def unmask(text: str) -> str:
    """Put back the controls ``defuse`` masked, so the sanitiser can remove their sequences whole."""
    return _MASKED.sub(_unmask_one, text)


def unmask_tree(root: Any) -> None:
    """``unmask`` every string inside nested dicts and lists, in place (a parser's result), iteratively."""
    stack = [root]
    while stack:
        node = stack.pop()
        items: Any = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if isinstance(value, str):
                node[key] = unmask(value)
            elif isinstance(value, dict | list):
                stack.append(value)


def _find_doctype(text: str) -> tuple[int, int]:
    """Where the prolog's ``<!DOCTYPE ...>`` starts and ends, or (-1, -1). Linear, quote- and
    comment-aware; an unterminated DOCTYPE runs to the end of the text."""
    pos, size = 0, len(text)
    while pos < size:
        lt = text.find("<", pos)
        if lt < 0:
            return -1, -1
        if text.startswith("<?", lt):
            close = text.find("?>", lt + 2)
            pos = size if close < 0 else close + 2
        elif text.startswith("<!--", lt):
            close = text.find("-->", lt + 4)
            pos = size if close < 0 else close + 3
        elif text.startswith("<!DOCTYPE", lt) or text.startswith("<!doctype", lt):
            return lt, _doctype_end(text, lt + 9)
        else:
            return -1, -1  # the root element: the prolog is over
    return -1, -1


def _doctype_end(text: str, pos: int) -> int:
    size = len(text)
    depth = 0
    while pos < size:
        plain = _PLAIN.match(text, pos)
        if plain:
            pos = plain.end()
            if pos >= size:
                break
        ch = text[pos]
        if ch in ('"', "'"):
            close = text.find(ch, pos + 1)
            pos = size if close < 0 else close + 1
            continue
        if ch == "<" and text.startswith("<!--", pos):
            close = text.find("-->", pos + 4)
            pos = size if close < 0 else close + 3
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        elif ch == ">" and depth == 0:
            return pos + 1
        pos += 1
    return size
