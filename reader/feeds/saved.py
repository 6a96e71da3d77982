"""Saved-article files to Articles: ``.txt`` like the bundled seed article, ``.html`` pages, ``.md``.

Plain text follows the convention of the seed article (``zagros-arabic-erbil-2021-05-22.txt``):

* the first line is the source and dateline ("زاكروس عربية – أربيل"); it becomes the author line when it
  is short and is not a sentence;
* then one paragraph per line;
* trailing site furniture (a comment counter, "no comments yet", share and print links, copyright) is
  not body text: short lines at the end that mention such things are dropped;
* the title is the first sentence of the first paragraph, shortened at a word boundary;
* the date comes from the file name (``YYYY-MM-DD``), else the first date in the text (ISO, day/month/
  year, or a day, month name and year in Arabic, Levantine, Persian-calendar-free or English
  spelling), else is unknown.

Pages go through ``reader.feeds.extract`` (trafilatura); Markdown is rendered by markdown-it-py (already
installed with Rich) with raw HTML disabled and then converted like any HTML. Saved articles belong to no
feed, are marked saved, and get an id from their content, so importing the same file twice, from
anywhere, yields the same article and changes nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from reader.errors import ParseError
from reader.feeds.build import aware, clean_line, content_hash, make_article, shorten
from reader.feeds.encoding import decode, html_charset
from reader.feeds.html import html_to_blocks, text_to_blocks
from reader.model import Article, Block, BlockKind, Link, body_text

__all__ = ["SAVED_KEY", "SAVED_SUFFIXES", "first_date", "read_saved", "saved_from_text", "title_from"]

SAVED_KEY = "saved:"
"""The feed key of saved articles in ``article_id``."""
SAVED_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".md", ".markdown"})
TITLE_LEN = 100
"""Longest title made from the first sentence, in code points."""
MAX_SAVED_BYTES = 20_000_000

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_FILENAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "كانون الثاني|يناير|جانفي|January|Jan",
    "شباط|فبراير|فيفري|February|Feb",
    "آذار|اذار|مارس|March|Mar",
    "نيسان|أبريل|ابريل|إبريل|أفريل|April|Apr",
    "أيار|ايار|مايو|ماي|May",
    "حزيران|يونيو|يونيه|جوان|June|Jun",
    "تموز|يوليو|يوليه|جويلية|July|Jul",
    "آب|اب|أغسطس|اغسطس|أوت|August|Aug",
    "أيلول|ايلول|سبتمبر|September|Sept|Sep",
    "تشرين الأول|تشرين الاول|أكتوبر|اكتوبر|October|Oct",
    "تشرين الثاني|نوفمبر|November|Nov",
    "كانون الأول|كانون الاول|ديسمبر|December|Dec",
), 1):
    for _name in _names.split("|"):
        _MONTHS[_name.lower()] = _number
_MONTH_NAMES = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DATES = (
    ("ymd", re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")),
    ("dMy", re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_NAMES})[\s,،]+(\d{{4}})(?!\d)", re.IGNORECASE)),
    ("Mdy", re.compile(rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)", re.IGNORECASE)),
)
_SENTENCE_END = re.compile(r"[.!?؟…](?=\s|$)")
_FURNITURE = re.compile(
    r"تعليق|التعليقات|شارك|مشاركة|طباعة|اقرأ أيضا|اقرأ أيضاً|جميع الحقوق|الوسوم|"
    r"\bcomments?\b|\bshare\b|\bprint\b|\bread more\b|\brelated\b|all rights reserved|©|\btags?:",
    re.IGNORECASE,
)
_FURNITURE_WORDS = 8


def first_date(text: str) -> datetime | None:
    """The earliest-placed date written in ``text``, as midnight UTC, or None."""
    text = text.translate(_DIGITS)
    found: list[tuple[int, datetime]] = []
    for kind, pattern in _DATES:
        for match in pattern.finditer(text):
            try:
                if kind == "ymd":
                    y, m, d = (int(g) for g in match.groups())
                elif kind == "dmy":
                    d, m, y = (int(g) for g in match.groups())
                elif kind == "dMy":
                    d, m, y = int(match[1]), _MONTHS[match[2].lower()], int(match[3])
                else:
                    m, d, y = _MONTHS[match[1].lower()], int(match[2]), int(match[3])
                value = aware(datetime(y, m, d, tzinfo=UTC))
            except (ValueError, KeyError):
                continue
            if value is not None:
                found.append((match.start(), value))
                break  # the first valid match of this pattern is the earliest one
    return min(found, key=lambda item: item[0])[1] if found else None


def _filename_date(path: Path) -> datetime | None:
    match = _FILENAME_DATE.search(path.stem)
    if not match:
        return None
    try:
        return aware(datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC))
    except ValueError:
        return None


def title_from(blocks: tuple[Block, ...]) -> str:
    """The first sentence of the first paragraph, shortened at a word boundary."""
    first = next((b.text for b in blocks if b.kind is not BlockKind.IMAGE and b.text.strip()), "")
    end = _SENTENCE_END.search(first)
    sentence = first[: end.start()] if end else first
    return shorten(sentence.strip(), TITLE_LEN)


def _is_dateline(line: str) -> bool:
    """A short first line that is not a sentence: a source and dateline, not body text."""
    return 0 < len(line.split()) <= 10 and not _SENTENCE_END.search(line) and len(line) <= 120


def _strip_furniture(lines: list[str]) -> list[str]:
    while lines and len(lines[-1].split()) <= _FURNITURE_WORDS and _FURNITURE.search(lines[-1]):
        lines.pop()
    return lines


def saved_from_text(text: str, *, name: str = "") -> Article:
    """A saved article from plain text in the seed-article convention (see the module docstring)."""
    lines = [clean_line(line, 10**9) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    author = None
    if len(lines) > 1 and _is_dateline(lines[0]):
        author = lines.pop(0)
    lines = _strip_furniture(lines)
    blocks = text_to_blocks("\n".join(lines), per_line=True)
    if not blocks:
        raise ParseError(f"{name or 'text'}: no text to import")
    published = _filename_date(Path(name)) if name else None
    return _saved(title_from(blocks), blocks, (), author=author,
                  published=published or first_date(body_text(blocks)))


def _saved(title: str, blocks: tuple[Block, ...], links: tuple[Link, ...], *, author: str | None,
           published: datetime | None, url: str | None = None, language: str | None = None) -> Article:
    guid = content_hash(title, body_text(blocks))
    return make_article(feed_key=SAVED_KEY, feed_id=None, guid=guid, title=title, url=url, author=author,
                        published=published, language=language, blocks=blocks, links=links, saved=True)


def _markdown(text: str, name: str) -> Article:
    from markdown_it import MarkdownIt

    front: dict[str, str] = {}
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            for line in text[4:end].splitlines():
                key, _, value = line.partition(":")
                front[key.strip().lower()] = value.strip().strip("\"'")
            text = text[end + 4:]
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    blocks, links = html_to_blocks(html)
    title = clean_line(front.get("title"), 300)
    if blocks and blocks[0].kind is BlockKind.HEADING and blocks[0].level == 1 and \
            (not title or blocks[0].text == title):
        title = blocks[0].text
        blocks = blocks[1:]  # the heading is the title, not the body's first line
    if not blocks:
        raise ParseError(f"{name}: no text to import")
    published = None
    if front.get("date"):
        published = first_date(front["date"])
    published = published or _filename_date(Path(name)) or first_date(body_text(blocks))
    return _saved(title or title_from(blocks), blocks, links, author=clean_line(front.get("author")) or None,
                  published=published, url=front.get("url") or None)


def _page(data: bytes, name: str) -> Article:
    from reader.feeds.extract import extract_page

    text = decode(data, (html_charset(data),)).text
    page = extract_page(text)
    if not page.blocks:
        raise ParseError(f"{name}: no main text found in the page")
    published = page.published or _filename_date(Path(name)) or first_date(body_text(page.blocks))
    return _saved(page.title or title_from(page.blocks), page.blocks, page.links, author=page.author,
                  published=published, url=page.url, language=page.language)


def read_saved(path: Path) -> Article:
    """Read one saved-article file (``.txt``, ``.html``/``.htm``, ``.md``); ``ParseError`` if unusable."""
    suffix = path.suffix.lower()
    if suffix not in SAVED_SUFFIXES:
        raise ParseError(f"{path.name}: not a saved-article file ({', '.join(sorted(SAVED_SUFFIXES))})")
    try:
        if path.stat().st_size > MAX_SAVED_BYTES:
            raise ParseError(f"{path.name}: larger than {MAX_SAVED_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read {clean_line(str(path))}: {exc.strerror or exc}") from None
    if suffix in (".html", ".htm"):
        return _page(data, path.name)
    text = decode(data).text
    if suffix in (".md", ".markdown"):
        return _markdown(text, path.name)
    return saved_from_text(text, name=path.name)
