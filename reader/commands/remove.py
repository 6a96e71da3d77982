"""``khabar remove FEED``: unsubscribe; the feed's articles go too, except saved and starred ones."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "unsubscribe from a feed (saved and starred articles are kept)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("feed", metavar="FEED", help="feed id, URL or exact title")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from reader.store import Store

    with Store.open(ctx.paths.db_file) as store:
        feed = store.get_feed(args.feed)
        assert feed.id is not None
        store.remove_feed(feed.id)
    print(f"removed feed {feed.id}: {feed.title or feed.url}", file=ctx.stdout)
    return 0
