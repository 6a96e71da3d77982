"""What every parser shares: clean one-line text, safe URLs, sane dates, stable guids, and the Article.

Feed fields are hostile: a title can be a megabyte of text with escape sequences in it, a date can be year
0 or 9999, a link can be ``javascript:``. Each parser (RSS/Atom, JSON Feed, saved files) calls these
helpers at its edge so the rules are the same everywhere, and every text goes through the one sanitiser
(``reader.rtl.sanitize``) exactly here or in ``reader.feeds.html``.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from reader.model import Article, Block, Direction, Link, article_id, body_text
from reader.rtl.sanitize import sanitize

TITLE_MAX = 300
"""Longest title kept, in code points; longer ones (a 1 MB title is a hostile-corpus case) are cut."""
LINE_MAX = 500
"""Longest author, feed title or other one-line field kept."""
URL_MAX = 4096
"""Longest URL kept; anything longer is not a link a person would follow."""
SUMMARY_MAX = 2000
"""Longest plain-text summary kept (the body holds the full text)."""
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
"""Dates outside [EARLIEST, LATEST) are treated as garbage (year 0 and 9999 are hostile-corpus cases)."""

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes a link in an article may have; ``javascript:``, ``data:``, ``file:`` and the rest are dropped."""

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What a feed document says about itself and its entries, already in model types."""

    title: str = ""
    site_url: str | None = None
    language: str | None = None
    articles: tuple[Article, ...] = ()
    """Entries in document order, de-duplicated by guid (the first occurrence wins)."""
    notices: tuple[str, ...] = field(default=())
    """Sanitised remarks about problems that did not stop parsing (ill-formed XML, dropped duplicates)."""
    format: str = ""
    """The format detected: ``rss20``, ``atom10``, ``json11`` and so on."""


def clean_text(text: str, *, multiline: bool) -> str:
    """The one sanitiser, ``reader.rtl.sanitize``: every text of every feed and file passes through here."""
    return sanitize(text, multiline=multiline)


def clean_line(text: str | None, limit: int = LINE_MAX) -> str:
    """Sanitise a one-line field, collapse its whitespace, and cut it at a word boundary past ``limit``."""
    if not text:
        return ""
    if len(text) > limit * 4:
        text = text[: limit * 4]  # bound the work on megabyte titles before the regexes run
    text = _SPACES.sub(" ", clean_text(text, multiline=False)).strip()
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` code points at a word boundary, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ،,;:-–—") + "…"


def safe_url(url: str | None, base: str | None = None, *, schemes: frozenset[str] = LINK_SCHEMES
             ) -> str | None:
    """An absolute URL with an allowed scheme, or None.

    Whitespace and control characters inside the URL are removed (browsers do the same), a relative URL
    is resolved against ``base`` when the base is http(s), and anything whose scheme is not in ``schemes``
    (``javascript:``, ``data:``, ``file:``, ``vbscript:``) is refused, so Khabar never offers to open it.
    """
    if not url:
        return None
    # Escape sequences go whole first (an ESC dropped alone would leave ``]0;title`` in the URL).
    url = "".join(ch for ch in sanitize(url.strip(), multiline=False)
                  if ch > " " and not "\x7f" <= ch <= "\x9f")
    if not url or len(url) > URL_MAX:
        return None
    try:
        parts = urlsplit(url)
        if not parts.scheme and base and urlsplit(base).scheme in ("http", "https"):
            url = urljoin(base, url)
            parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in schemes:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    return sanitize(url, multiline=False)


def aware(value: datetime | time.struct_time | None) -> datetime | None:
    """A timezone-aware datetime within [EARLIEST, LATEST), or None for missing or garbage dates.

    feedparser gives ``time.struct_time`` values already converted to UTC; JSON Feed and saved files give
    datetimes, naive ones meaning UTC.
    """
    if value is None:
        return None
    try:
        if isinstance(value, time.struct_time):
            result = datetime(*value[:6], tzinfo=UTC)
        else:
            result = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        if not EARLIEST <= result < LATEST:
            return None
    except (ValueError, OverflowError, TypeError):
        return None
    return result


def content_hash(*parts: str) -> str:
    """A short, stable digest of some texts: the guid of last resort (``hash:...``)."""
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return "hash:" + digest.hexdigest()


def make_article(
    *,
    feed_key: str,
    feed_id: int | None,
    guid: str | None,
    title: str | None,
    url: str | None = None,
    author: str | None = None,
    published: datetime | None = None,
    updated: datetime | None = None,
    language: str | None = None,
    direction: Direction = Direction.AUTO,
    blocks: Sequence[Block] = (),
    links: Sequence[Link] = (),
    summary: str = "",
    saved: bool = False,
) -> Article:
    """Build an Article from parsed fields, choosing its guid (the entry's, else the link, else a hash of
    title and body) and a title (the entry's, else the start of the body, else the link)."""
    blocks = tuple(blocks)
    clean_title = clean_line(title, TITLE_MAX)
    body = body_text(blocks)
    guid = clean_line(guid, URL_MAX) or (url or "") or content_hash(clean_title, body)
    if not clean_title:
        first = next((b.text for b in blocks if b.text.strip()), "")
        clean_title = clean_line(first, 80) or (url or "")
    return Article(
        id=article_id(feed_key, guid),
        feed_id=feed_id,
        guid=guid,
        title=clean_title,
        url=url,
        author=clean_line(author) or None,
        published=published,
        updated=updated,
        language=clean_line(language, 35) or None,
        direction=direction,
        blocks=blocks,
        links=tuple(links),
        summary=shorten(clean_line(summary, SUMMARY_MAX * 2), SUMMARY_MAX),
        saved=saved,
    )
