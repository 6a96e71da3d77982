"""``khabar feeds [--json]``: the subscriptions with tags, unread counts, last refresh and last error.

Feed titles, tags and errors go through the RTL engine like ``khabar list``'s columns; into a pipe or a
file (``--bidi auto``) they stay logical text (see ``reader.commands._output``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "list subscriptions (title, URL, tags, unread, last refresh, last error)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import json

    from reader.store import Store

    if not ctx.paths.db_file.exists():
        feeds = []
    else:
        with Store.open(ctx.paths.db_file, readonly=True) as store:
            feeds = store.list_feeds()
    if args.json:
        rows = [{
            "id": feed.id, "title": feed.title, "url": feed.url, "site_url": feed.site_url,
            "tags": list(feed.tags), "unread": feed.unread,
            "last_refresh": feed.last_refresh.isoformat() if feed.last_refresh else None,
            "last_error": feed.last_error, "error_count": feed.error_count,
        } for feed in feeds]
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=ctx.stdout)
        return 0
    if not feeds:
        print("no feeds yet: khabar add URL, or khabar import FILE", file=ctx.stdout)
        return 0
    from reader.commands._output import fitted, is_tty, output_mode, plural
    from reader.rtl.terminal import explicit_bidi
    from reader.store.table import LRM

    out = ctx.stdout
    mode = output_mode(ctx.settings.bidi, out)
    # In terminal mode an LRM before each field keeps the terminal's BiDi from carrying an Arabic title
    # across the id or the tags (as in the list's columns); elsewhere the lines read as plain text.
    mark = LRM if mode == "terminal" else ""

    def field(text: str, limit: int = 200) -> str:
        return mark + fitted(text, mode, limit=limit)

    with explicit_bidi(out, enabled=mode == "app" and is_tty(out)):
        for feed in feeds:
            refreshed = feed.last_refresh.strftime("%Y-%m-%d %H:%M") if feed.last_refresh else "never"
            # Each tag on its own: laid out as one line, "أخبار, عربي" read right to left would put the
            # second tag first, while the list reads left to right like the rest of the line.
            tags = f"  {mark}[{', '.join(field(tag, 60) for tag in feed.tags)}{mark}]" if feed.tags else ""
            out.write(f"{feed.id:>4}  {field(feed.title or feed.url)}{tags}\n")
            out.write(f"      {field(feed.url, 1000)}\n")
            out.write(f"      {feed.unread} unread, refreshed {refreshed}\n")
            if feed.last_error:
                count = f" ({plural(feed.error_count, 'time')} in a row)" if feed.error_count > 1 else ""
                out.write(f"      {mark}last error{count}: {field(feed.last_error, 1000)}\n")
    return 0
