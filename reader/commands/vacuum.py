"""``khabar vacuum``: apply retention (``keep_days``), tidy the search index, and compact the archive.

Retention deletes read, unstarred, unsaved articles older than ``keep_days`` days (the config key; 0 keeps
everything, ``--keep-days`` overrides it for this run). Starred and saved articles are never deleted.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "purge old read articles (keep_days), optimise the search index and compact the archive"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep-days", type=int, metavar="N",
                        help="purge read, unstarred, unsaved articles older than N days (default: config "
                             "keep_days; 0 keeps everything)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from reader.errors import UsageError
    from reader.store import Store

    keep = ctx.settings.keep_days if args.keep_days is None else args.keep_days
    if keep < 0:
        raise UsageError(f"--keep-days must be 0 or more, got {keep}")
    path = ctx.paths.db_file
    with Store.open(path, on_wait=ctx.warn) as store:
        before = _size(path)
        purged = store.purge(keep)
        store.vacuum()
        after = _size(path)
    print(f"purged {purged} article{'s' if purged != 1 else ''}; archive {before / 1e6:.1f} MB -> "
          f"{after / 1e6:.1f} MB", file=ctx.stdout)
    return 0


def _size(path: object) -> int:
    """The archive's bytes on disk, its write-ahead log included."""
    import os

    total = 0
    for suffix in ("", "-wal"):
        if os.path.exists(f"{path}{suffix}"):
            total += os.path.getsize(f"{path}{suffix}")
    return total
