"""``khabar search QUERY``: the archive's full-text search, best matches first, with snippets.

The query language: words (all must match), "quoted phrases", prefix* searches, AND / OR / NOT in capitals,
and parentheses. Arabic is matched as Arabic readers search: without harakat, with any alef form, ة as ه,
ى as ي, Persian letters as Arabic ones, and with the article and attached conjunctions and prepositions
(كتاب finds الكتاب and بالكتاب). Latin is case- and accent-insensitive. Into a pipe or a file
(``--bidi auto``) the text stays logical and matches are not marked.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "search the archive (words, \"phrases\", prefix*, AND/OR/NOT, parentheses), best matches first"

_MARK = "\x1b[1;4m|\x1b[22;24m"
"""Bold underline around matches when writing to a terminal (and NO_COLOR is not set)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", metavar="QUERY", help="what to look for")
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import json
    import os
    import shutil

    from reader.commands._output import is_tty, output_mode
    from reader.errors import UsageError
    from reader.rtl.terminal import explicit_bidi
    from reader.store import Store
    from reader.store.codec import to_iso
    from reader.store.table import article_line, cell, fitting_width

    if args.limit < 1:
        raise UsageError(f"--limit must be at least 1, got {args.limit}")
    text = " ".join(args.query)
    with Store.open(ctx.paths.db_file, on_wait=ctx.warn) as store:
        hits = store.search(text, limit=args.limit)
    out = ctx.stdout
    if args.json:
        json.dump([{"id": h.article.id, "title": h.article.title, "feed": h.article.feed_title,
                    "url": h.article.url, "published": to_iso(h.article.published),
                    "score": round(h.score, 4),
                    "snippet": h.snippet, "snippet_start": h.snippet_start,
                    "highlights": [[s.start, s.end] for s in h.highlights],
                    "title_highlights": [[s.start, s.end] for s in h.title_spans]} for h in hits],
                  out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    tty = is_tty(out)
    mode = output_mode(ctx.settings.bidi, out)
    width = shutil.get_terminal_size((100, 24)).columns or 100
    if not tty:  # whole titles and snippets, for grep and files
        from reader.rtl.cells import text_width

        width = max(width, fitting_width([h.article for h in hits]),
                    max((text_width(h.snippet) + 5 for h in hits), default=0))
    mark = _MARK if tty and not os.environ.get("NO_COLOR") else ""
    with explicit_bidi(out, enabled=mode == "app" and tty):
        for hit in hits:
            out.write(article_line(hit.article, width, mode, title_spans=hit.title_spans, mark=mark) + "\n")
            if hit.snippet:
                snippet = "".join(" " if c.isspace() else c for c in hit.snippet)  # one line, same offsets
                shown = cell(snippet, width - 4, mode, spans=hit.highlights, mark=mark)
                out.write("    " + shown.rstrip() + "\n")
    if not hits:
        ctx.warn(f"nothing matches {text!r}")
    return 0
