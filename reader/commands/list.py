"""``khabar list``: archived articles, newest first, as aligned columns or JSON.

The ids in the first column are what ``show``, ``mark`` and the other ARTICLE arguments take. Columns:
id, date (local time), flags (N unread, * starred, S saved), feed, title. Titles in Arabic, Persian, Urdu,
Hebrew or Kurdish go through the RTL engine so they read correctly and never push the columns about.
Into a pipe or a file (``--bidi auto``) the text stays logical and titles are not cut, so ``grep`` finds
them (see ``reader.commands._output``). When more articles match than ``--limit`` shows, a notice on
standard error says so.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "list archived articles, newest first (ids, dates, flags, feeds, titles)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--feed", metavar="F", help="only this feed (id, URL or exact title)")
    parser.add_argument("--tag", metavar="T", help="only feeds with this tag")
    parser.add_argument("--unread", action="store_true", help="only unread articles")
    parser.add_argument("--starred", action="store_true", help="only starred articles")
    parser.add_argument("--saved", action="store_true", help="only saved articles")
    parser.add_argument("--search", metavar="Q",
                        help="only articles matching this search (see 'khabar search')")
    parser.add_argument("--entity", metavar="NAME",
                        help="only articles mentioning this entity (its normalised key or name)")
    parser.add_argument("--limit", type=int, default=50, metavar="N",
                        help="at most N articles (default 50; 0 for all)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import json
    import shutil
    from dataclasses import replace

    from reader.commands._output import is_tty, output_mode, plural
    from reader.errors import UsageError
    from reader.rtl.terminal import explicit_bidi
    from reader.store import ArticleQuery, Store
    from reader.store.codec import to_iso
    from reader.store.table import article_line, fitting_width, header

    if args.limit < 0:
        raise UsageError(f"--limit must be 0 or more, got {args.limit}")
    with Store.open(ctx.paths.db_file, on_wait=ctx.warn) as store:
        feed_id = store.get_feed(args.feed).id if args.feed else None
        query = ArticleQuery(feed_id=feed_id, tag=args.tag, unread=args.unread, starred=args.starred,
                             saved=args.saved, search=args.search, entity_key=args.entity, limit=1)
        total = store.count_articles(query)
        limit = total if args.limit == 0 else args.limit
        articles = store.list_articles(replace(query, limit=limit))
        empty = not articles and store.count_articles() == 0
        feeds = len(store.list_feeds()) if empty else 0
    if empty and feeds:
        ctx.warn(f"no articles yet: 'khabar refresh' fetches your {plural(feeds, 'feed')}")
    elif empty:  # a new home: say where articles come from (the reader takes in the sample feeds)
        ctx.warn("the archive is empty: 'khabar' (the reader) or 'khabar refresh' starts it with the "
                 "bundled sample feeds; 'khabar add URL' or 'khabar import FILE' adds your own")
    if len(articles) < total:
        print(f"khabar: showing {len(articles)} of {plural(total, 'article')}; "
              "use --limit N or --limit 0 for all", file=ctx.stderr)
    out = ctx.stdout
    if args.json:
        json.dump([{"id": a.id, "feed_id": a.feed_id, "feed": a.feed_title, "title": a.title, "url": a.url,
                    "author": a.author, "published": to_iso(a.published), "updated": to_iso(a.updated),
                    "read": a.read, "starred": a.starred, "saved": a.saved} for a in articles],
                  out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    tty = is_tty(out)
    mode = output_mode(ctx.settings.bidi, out)
    width = shutil.get_terminal_size((100, 24)).columns or 100
    if not tty:
        width = max(width, fitting_width(articles))  # whole titles, for grep and files
    with explicit_bidi(out, enabled=mode == "app" and tty):
        if tty:
            out.write(header(width, mode) + "\n")
        for article in articles:
            out.write(article_line(article, width, mode) + "\n")
    if not articles and tty and not empty:
        ctx.warn("no articles match")
    return 0

