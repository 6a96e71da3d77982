"""Bytes to text for feeds, pages and saved files, including the undeclared legacy charsets of the Arabic
and Hebrew web.

feedparser decodes by RFC 3023 and then falls back to windows-1252, which turns an undeclared windows-1256
feed (still common on older Arabic sites) into Latin mojibake, and it lets an HTTP ``charset`` beat the
document's own declaration even when the server's default is simply wrong. So Khabar decodes first, here,
and hands feedparser UTF-8. The order, from strongest evidence to weakest:

1. a byte-order mark, or the UTF-16/32 pattern of ``<?`` without one;
2. valid UTF-8 (random legacy-charset text with non-ASCII bytes is practically never valid UTF-8), or
   UTF-8 with a few broken sequences: when well-formed multi-byte sequences outnumber the broken ones
   four to one, the document is UTF-8 with damage, and only the damage is replaced (legacy Arabic and
   Hebrew text scores under 0.03 on the same count, so no real windows-1256 page is taken for it);
3. the declared charsets (the document's own declaration first, then the HTTP header), each tried
   strictly; a declared Latin charset is overruled when the bytes are plainly Arabic or Hebrew;
4. a guess among windows-1256, ISO-8859-6, windows-1255, ISO-8859-8 and windows-1252, scored on how
   much of the non-ASCII text falls in one script and, for Arabic, how often the article ال occurs;
5. UTF-8 with replacement characters, so nothing is ever refused for its encoding alone.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Decoded", "decode", "html_charset", "xml_charset"]

_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_HTML_META = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_LATIN = frozenset({"iso8859-1", "latin-1", "cp1252", "ascii", "iso8859-15", "cp850"})
_GUESSES = ("cp1256", "iso8859-6", "cp1255", "iso8859-8", "cp1252")
_SAMPLE = 65536
_ARABIC = re.compile("[\u0600-\u06ff]")
_HEBREW = re.compile("[\u0590-\u05ff]")
_LATIN_IN_WORD = re.compile("(?<=[A-Za-z])[\u00c0-\u024f]|[\u00c0-\u024f](?=[A-Za-z])")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
MOSTLY_UTF8 = 4
"""Well-formed multi-byte UTF-8 sequences per broken one above which damaged UTF-8 is read as UTF-8."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how the decision was made."""

    text: str
    encoding: str
    """The Python codec name that was used."""
    note: str | None = None
    """Set when a declaration was overruled or the charset was guessed (for the feed's notices)."""


def xml_charset(data: bytes) -> str | None:
    """The ``encoding`` of an XML declaration in ASCII-compatible bytes, if there is one."""
    match = _XML_DECL.match(data[:300])
    return match.group(1).decode("ascii") if match else None


def html_charset(data: bytes) -> str | None:
    """The charset of an HTML ``<meta>`` in the first 4 KB, if there is one."""
    match = _HTML_META.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _codec(name: str | None) -> str | None:
    """The Python codec for a declared charset label; Latin-1 and ASCII labels mean windows-1252, as they
    do in every browser (WHATWG Encoding), because that is what such documents actually contain."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if codec in ("iso8859-1", "latin-1", "ascii") else codec


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return name, len(bom)
    # No BOM: an XML document starts with "<", so UTF-16 shows as "<" beside a NUL.
    head = data[:4]
    if len(head) == 4 and head[0] == 0x3C and head[1] == 0 and head[3] == 0:
        return "utf-16-le", 0
    if len(head) == 4 and head[0] == 0 and head[1] == 0x3C and head[2] == 0:
        return "utf-16-be", 0
    return None


def _score(text: str, codec: str) -> float:
    """How plausible ``text`` is as the output of ``codec``: the share of non-ASCII characters that look
    like the script the codec exists for, with a bonus for Arabic text full of the article ال."""
    non_ascii = len(_NON_ASCII.findall(text)) or 1
    if codec in ("cp1256", "iso8859-6"):
        arabic = len(_ARABIC.findall(text))
        article = text.count("ال") * 2 / (arabic or 1)
        return arabic / non_ascii * (1.0 if article >= 0.02 else 0.5) + article
    if codec in ("cp1255", "iso8859-8"):
        return len(_HEBREW.findall(text)) / non_ascii * 0.95
    return len(_LATIN_IN_WORD.findall(text)) / non_ascii


def guess(data: bytes) -> tuple[str, float]:
    """The most plausible legacy charset for ``data`` and its score (higher is surer)."""
    sample = data[:_SAMPLE]
    best, best_score = "cp1252", -1.0
    for codec in _GUESSES:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:
                continue
            text = sample[: exc.start].decode(codec)  # the sample may end inside a character
        score = _score(text, codec)
        if score > best_score:
            best, best_score = codec, score
    return best, best_score


def decode(data: bytes, declared: Iterable[str | None] = ()) -> Decoded:
    """Decode ``data`` following the order in the module docstring; never raises."""
    bom = _bom(data)
    if bom:
        unicode_name, skip = bom
        try:
            return Decoded(data[skip:].decode(unicode_name), unicode_name)
        except UnicodeDecodeError:
            return Decoded(data[skip:].decode(unicode_name, "replace"), unicode_name,
                           f"invalid {unicode_name} replaced")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(text, "utf-8")
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    for name in declared:
        codec = _codec(name)
        if name is None or codec is None or codec.startswith("utf-8"):
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            if codec != "cp1252":
                continue
            text = data.decode("latin-1")  # the five bytes windows-1252 leaves undefined
        if codec in _LATIN:
            guessed, score = guess(data)
            if guessed not in ("cp1252",) and score >= 0.8:
                return Decoded(data.decode(guessed, "replace"), guessed,
                               f"declared as {name} but the text is {guessed}; decoded as {guessed}")
        return Decoded(text, codec)
    guessed, _ = guess(data)
    note = f"no usable charset declared; guessed {guessed}"
    return Decoded(data.decode(guessed, "replace"), guessed, note)


def _damaged_utf8(data: bytes) -> Decoded | None:
    """``data`` as UTF-8 with its broken sequences replaced, when it is plainly UTF-8 with some damage
    (a truncated multi-byte character, a stray Latin-1 byte): without this, one bad byte in a UTF-8
    Arabic feed sent the whole document to the legacy guess and every letter came out as mojibake."""
    sample = data[:_SAMPLE]
    well_formed = len(_UTF8_SEQUENCE.findall(sample))
    if not well_formed:
        return None
    text = sample.decode("utf-8", "replace")
    broken = text.count("\ufffd") - sample.count(b"\xef\xbf\xbd")
    if well_formed < MOSTLY_UTF8 * max(broken, 1):
        return None
    return Decoded(data.decode("utf-8", "replace"), "utf-8", "invalid UTF-8 sequences replaced")
