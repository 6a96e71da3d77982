"""``khabar fetch-full ARTICLE``: download an article's page and keep its main text for offline reading."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "download an article's page and store its full text"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", metavar="ARTICLE", help="article id, as printed by khabar list")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from reader.commands._output import plural
    from reader.store import Store
    from reader.update import fetch_full_store

    with Store.open(ctx.paths.db_file) as store:
        article = fetch_full_store(store, ctx.settings, args.article, offline=ctx.offline)
    paragraphs = plural(len(article.blocks), "paragraph")
    print(f"stored the full text of {article.id} ({paragraphs}): {article.title}", file=ctx.stdout)
    return 0
