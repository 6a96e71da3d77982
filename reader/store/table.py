"""Aligned text columns for ``khabar list`` and ``khabar search``, safe with right-to-left titles.

A terminal that does no BiDi prints Arabic letters in memory order (backwards); one that does BiDi
reorders the whole line and can swap an Arabic feed name with the Arabic title beside it. So every cell
goes through the RTL engine's one-line layout (``reader.rtl.visual_line``): in ``app`` mode the cell is
already in visual order, shaped, truncated at its logical end and right-aligned within its column; in
``terminal`` mode the cell stays logical and each column starts with a LEFT-TO-RIGHT MARK, so the
terminal's algorithm cannot carry a run of Arabic across a column boundary. Widths are counted in cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reader.model import Article, Span

LRM = "\u200e"
GAP = "  "


def cell(text: str, width: int, mode: str, *, spans: Sequence[Span] = (), mark: str = "") -> str:
    """``text`` laid out in exactly ``width`` cells; RTL text flush right in ``app`` mode. ``mark``
    wraps matched spans (a pair of escape sequences), given only when writing to a terminal."""
    from reader.rtl.layout import visual_line

    if width <= 0:
        return ""
    line = visual_line(text, width, mode=mode, spans=spans)
    body = line.text
    if spans and mark:
        on, off = mark.split("|", 1)
        body = "".join(on + piece + off if kind else piece for piece, kind in line.pieces())
    pad = line.pad if mode == "app" else 0
    return " " * pad + body + " " * max(0, width - line.cells - pad)


def short_date(value: datetime | None) -> str:
    """``YYYY-MM-DD HH:MM`` in local time, or blanks."""
    if value is None:
        return " " * 16
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def flags(article: Article) -> str:
    """Three columns: ``N`` unread, ``*`` starred, ``S`` saved."""
    return (("N" if not article.read else " ") + ("*" if article.starred else " ")
            + ("S" if article.saved else " "))


def join(cells: Sequence[str], mode: str) -> str:
    """Join cells with a gap; in ``terminal`` mode each starts with an LRM (see the module docstring)."""
    if mode == "terminal":
        return GAP.join(LRM + c for c in cells).rstrip()
    return GAP.join(cells).rstrip()


def article_line(article: Article, total_width: int, mode: str, *, feed_width: int = 18,
                 title_spans: Sequence[Span] = (), mark: str = "") -> str:
    """``id  date  flags  feed  title`` in ``total_width`` cells (the title takes what is left)."""
    fixed = len(article.id) + 16 + 3 + feed_width + 4 * len(GAP)
    title_width = max(10, total_width - fixed)
    return join([article.id, short_date(article.published or article.updated), flags(article),
                 cell(article.feed_title, feed_width, mode),
                 cell(article.title, title_width, mode, spans=title_spans, mark=mark)], mode)


def fitting_width(articles: Sequence[Article], *, feed_width: int = 18) -> int:
    """The line width at which ``article_line`` cuts none of these titles (for a pipe or a file)."""
    from reader.rtl.cells import text_width

    widest = max((len(a.id) + text_width(a.title) for a in articles), default=0)
    return widest + 16 + 3 + feed_width + 4 * len(GAP) + 1


def header(total_width: int, mode: str, *, feed_width: int = 18, id_width: int = 12) -> str:
    title_width = max(10, total_width - (id_width + 16 + 3 + feed_width + 4 * len(GAP)))
    return join(["ID".ljust(id_width), "DATE".ljust(16), "   ", "FEED".ljust(feed_width),
                 "TITLE".ljust(title_width)], mode)
