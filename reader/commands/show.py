"""``khabar show ARTICLE``: one article rendered for the terminal through the RTL engine.

Title, source line (feed, date, author), URL, the body with headings, lists, quotes and preformatted text,
and the numbered link references. Showing does not mark the article read (``khabar mark`` does). Into a
pipe or a file (``--bidi auto``) the text stays logical: ``khabar show ID > file`` can be grepped.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "show one article (title, source, date, body, links) rendered for the terminal"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", metavar="ARTICLE", help="an article id, as 'khabar list' prints")
    parser.add_argument("--width", type=int, metavar="N",
                        help="line width in cells (default: the terminal's width, at most 100)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import shutil

    from reader.commands._output import is_tty, output_mode
    from reader.errors import UsageError
    from reader.rtl.terminal import explicit_bidi
    from reader.store import Store
    from reader.store.render import render_article

    if args.width is not None and args.width < 20:
        raise UsageError(f"--width must be at least 20, got {args.width}")
    width = args.width or min(100, shutil.get_terminal_size((80, 24)).columns or 80)
    with Store.open(ctx.paths.db_file, on_wait=ctx.warn) as store:
        article = store.get_article(args.article)
    out = ctx.stdout
    tty = is_tty(out)
    mode = output_mode(ctx.settings.bidi, out)
    lines = render_article(article, width, mode=mode, base=ctx.settings.base_direction,
                           strip_harakat=ctx.settings.strip_harakat)
    with explicit_bidi(out, enabled=mode == "app" and tty):
        for line in lines:
            out.write(line + "\n")
    return 0
