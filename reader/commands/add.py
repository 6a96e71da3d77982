"""``khabar add URL|PATH [--title T] [--tag T]...``: subscribe to a feed (fetched on the next refresh)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "subscribe to a feed by URL or local path"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL|PATH", help="feed address: http(s)://, file:// or a local file")
    parser.add_argument("--title", help="show the feed under this title instead of its own")
    parser.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag the feed (repeatable)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path
    from urllib.parse import urlsplit

    from reader.errors import UsageError
    from reader.feeds.build import clean_line, safe_url
    from reader.model import Feed
    from reader.store import Store

    raw = args.url.strip()
    scheme = urlsplit(raw).scheme.lower()
    if scheme in ("http", "https", "file"):
        url = safe_url(raw, schemes=frozenset({"http", "https", "file"}))
        if url is None:
            raise UsageError(f"not a usable feed address: {clean_line(raw, 200)}")
    elif len(scheme) > 1:
        raise UsageError(f"unsupported URL scheme {scheme!r}: use http, https, file or a local path")
    else:
        path = Path(raw).expanduser().resolve()
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        url = str(path)
    tags = tuple(dict.fromkeys(clean_line(tag, 200) for tag in args.tag if clean_line(tag, 200)))
    ctx.paths.db_file.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(ctx.paths.db_file) as store:
        feed = store.add_feed(Feed(url=url, title=clean_line(args.title or "", 300), tags=tags))
    print(f"added feed {feed.id}: {feed.title or feed.url}", file=ctx.stdout)
    print(f"fetch it with: khabar refresh --feed {feed.id}", file=ctx.stdout)
    return 0
