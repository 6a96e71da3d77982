"""``khabar feeds [--json]``: the subscriptions with tags, unread counts, last refresh and last error."""

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
    for feed in feeds:
        refreshed = feed.last_refresh.strftime("%Y-%m-%d %H:%M") if feed.last_refresh else "never"
        tags = f"  [{', '.join(feed.tags)}]" if feed.tags else ""
        print(f"{feed.id:>4}  {feed.title or feed.url}{tags}", file=ctx.stdout)
        print(f"      {feed.url}", file=ctx.stdout)
        print(f"      {feed.unread} unread, refreshed {refreshed}", file=ctx.stdout)
        if feed.last_error:
            count = f" ({feed.error_count} times in a row)" if feed.error_count > 1 else ""
            print(f"      last error{count}: {feed.last_error}", file=ctx.stdout)
    return 0
