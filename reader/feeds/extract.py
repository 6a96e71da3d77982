"""The main text of a full web page, boilerplate removed: for saved ``.html`` files and ``fetch-full``.

Extraction is done by trafilatura. Compared on an Arabic news page (navigation, share buttons, a
"most read" sidebar, tags, an empty comments section and a footer around a 12-paragraph article),
trafilatura and readability-lxml both kept exactly the article's paragraphs, but only trafilatura also
kept its headline, sub-heading, list and quote as structure and returned the metadata a saved article
needs (title without the site-name suffix, author, publication date, canonical URL). It is actively
maintained, scores at the top of the independent extraction benchmarks, and works on the lxml tree
without any network access. Its HTML output is turned into blocks by ``reader.feeds.html``, so saved
pages and feed entries are converted by the same code.

When trafilatura finds no main text (or fails, as lxml does on pages nested deeper than libxml2 allows),
the whole page is converted instead: ``reader.feeds.html`` still drops scripts, styles and forms.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from reader.feeds.build import aware, clean_line, safe_url
from reader.feeds.html import html_to_blocks
from reader.model import Block, BlockKind, Link
from reader.rtl.sanitize import sanitize

__all__ = ["ExtractedPage", "extract_page"]

_CONTROL = re.compile("[\x1b\x80-\x9f]")


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """The main text of a page as blocks, with the metadata found in it."""

    title: str
    blocks: tuple[Block, ...]
    links: tuple[Link, ...]
    author: str | None = None
    published: datetime | None = None
    url: str | None = None
    language: str | None = None


def extract_page(html: str, *, url: str | None = None) -> ExtractedPage:
    """Extract the main text of ``html`` (fetched from ``url``, the base for relative links)."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # library code never prints
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    if _CONTROL.search(html):
        # lxml drops the controls it cannot parse, ESC among them, before the sanitiser ever sees them,
        # which left the rest of each escape sequence ('[2J', ']0;title') in the text: remove them whole.
        html = sanitize(html)
    main: str | None
    try:
        main = trafilatura.extract(html, url=url, output_format="html", include_links=True,
                                   include_images=True, include_formatting=True, include_comments=False,
                                   include_tables=True)
        metadata = trafilatura.extract_metadata(html, default_url=url)
    except Exception:  # a page trafilatura cannot handle is converted whole instead
        main, metadata = None, None
    title = clean_line(metadata.title if metadata else None, 300)
    canonical = safe_url(metadata.url if metadata else None, url, schemes=frozenset({"http", "https"}))
    base = canonical or url
    blocks, links = html_to_blocks(main or html, base_url=base)
    if blocks and blocks[0].kind is BlockKind.HEADING and (not title or blocks[0].text == title):
        title = title or blocks[0].text
        blocks = blocks[1:]  # the headline is the title, not the first line of the body
    published = None
    if metadata and metadata.date:
        try:
            published = aware(datetime.fromisoformat(metadata.date))
        except ValueError:
            published = None
    return ExtractedPage(
        title=title,
        blocks=blocks,
        links=links,
        author=clean_line(metadata.author if metadata else None) or None,
        published=published,
        url=canonical or url,
        language=clean_line(getattr(metadata, "language", None), 35) or None,
    )
