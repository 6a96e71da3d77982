"""An article as terminal lines (``khabar show``): title, source line, body blocks, link references.

Every paragraph goes through the RTL engine (``reader.rtl.layout.layout_paragraph``) at the requested
width, with the block's own ``dir`` hint when the feed gave one, so Arabic and Hebrew paragraphs are
shaped, ordered and flush right while English ones stay flush left. Decorations (list bullets, quote bars,
indentation) sit on the side a paragraph starts from: the right for RTL. Pure: returns lines.
"""

from __future__ import annotations

from collections.abc import Iterator

from reader.model import Article, BlockKind, Direction
from reader.store.table import short_date


def _paragraph(text: str, width: int, *, base: str, mode: str, strip: bool, first: str = "",
               rest: str = "") -> Iterator[str]:
    """Lay out ``text`` in ``width`` cells with ``first``/``rest`` prefixes on its starting side."""
    from reader.rtl.layout import layout_paragraph

    indent = max(len(first), len(rest))
    layout = layout_paragraph(text, max(2, width - indent), base=base, mode=mode, strip_harakat=strip)
    for i, line in enumerate(layout.lines):
        deco = first if i == 0 else rest
        if line.rtl and mode == "app":
            yield " " * line.pad + line.text + (deco[::-1].rjust(indent) if deco else "")
        else:
            yield deco.ljust(indent) + line.text


def render_article(article: Article, width: int, *, mode: str = "app", base: str = "auto",
                   strip_harakat: bool = False) -> list[str]:
    """The article as lines at most ``width`` cells wide."""
    width = max(20, width)
    out: list[str] = []

    def para(text: str, block_dir: Direction = Direction.AUTO, **kw: str) -> None:
        chosen = block_dir.value if block_dir is not Direction.AUTO else (
            article.direction.value if article.direction is not Direction.AUTO else base)
        out.extend(_paragraph(text, width, base=chosen, mode=mode, strip=strip_harakat, **kw))

    para(article.title or "(untitled)")
    out.append("═" * width)
    # Date first and an LTR line: after Arabic letters, UBA rule W2 would turn the date's digits into
    # Arabic numbers and its hyphens would no longer join them (2024-01-03 would show as 03-01-2024).
    when = short_date(article.published or article.updated).strip()
    source = " · ".join(x for x in (when, article.feed_title, article.author or "") if x)
    if source:
        para(source, Direction.LTR)
    if article.url:
        out.append(article.url)
    flags = [name for name, on in (("unread", not article.read), ("starred", article.starred),
                                   ("saved", article.saved)) if on]
    out.append(f"[{article.id}{' · ' + ', '.join(flags) if flags else ''}]")
    out.append("")
    for block in article.blocks:
        if not block.text.strip() and block.kind is not BlockKind.IMAGE:
            continue
        if block.kind is BlockKind.HEADING:
            para(block.text, block.direction)
            out.append("─" * min(width, 40))
        elif block.kind is BlockKind.LIST_ITEM:
            pad = "  " * block.level
            para(block.text, block.direction, first=pad + "• ", rest=pad + "  ")
        elif block.kind is BlockKind.QUOTE:
            para(block.text, block.direction, first="│ ", rest="│ ")
        elif block.kind is BlockKind.PREFORMATTED:
            for line in block.text.split("\n"):
                para(line, Direction.LTR, first="  ", rest="  ")
        elif block.kind is BlockKind.IMAGE:
            para(f"[image: {block.text}]" if block.text else "[image]", block.direction)
        else:
            para(block.text, block.direction)
        out.append("")
    if article.links:
        out.append("Links:")
        for link in article.links:
            label = f" ({link.text})" if link.text and link.text != link.url else ""
            kind = f" [{link.kind.value}]" if link.kind.value != "link" else ""
            para(f"[{link.number}] {link.url}{label}{kind}", Direction.LTR, rest="    ")
    while out and not out[-1]:
        out.pop()
    return out
