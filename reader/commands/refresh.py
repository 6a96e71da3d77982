"""``khabar refresh [--feed F]... [--jobs N]``: fetch feeds concurrently and store what is new.

Exit codes: 0 when every feed was fetched or unchanged, 1 when some failed (each listed with its reason),
2 on usage errors. A progress bar is drawn only when stderr is a terminal. The summary line is printed as
soon as the articles are stored, and the command exits: the entity pass over the new articles runs in a
detached background process (``reader.update.start_entity_pass``), so a slow extractor never makes a
refresh slower, and the reader shows entities as soon as they are stored. ``--wait-entities`` runs the
pass before exiting instead (scripts that need entities on exit), timed separately; ``--no-entities``
runs none (``khabar entities --backfill`` does it later).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "fetch feeds and store new and updated articles"


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--feed", action="append", metavar="FEED",
                        help="refresh only this feed (id, URL or exact title; repeatable)")
    parser.add_argument("--jobs", type=_jobs, metavar="N",
                        help="feeds fetched at once (default: the jobs setting)")
    entities = parser.add_mutually_exclusive_group()
    entities.add_argument("--no-entities", action="store_true",
                          help="skip the entity pass (khabar entities --backfill does it later)")
    entities.add_argument("--wait-entities", action="store_true",
                          help="extract entities before exiting, instead of in the background")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from reader.store import Store
    from reader.update import backfill_entities, ensure_first_run, refresh_store, start_entity_pass

    ctx.paths.db_file.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(ctx.paths.db_file, on_wait=ctx.warn) as store:
        first_run = not args.feed and ensure_first_run(store, ctx.settings, take_in=False)
        if first_run:
            print("first run: subscribed to the bundled sample feeds", file=ctx.stderr)
        if ctx.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            with Progress("Refreshing", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=Console(file=ctx.stderr), transient=True) as bar:
                task = bar.add_task("refresh", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                report = refresh_store(store, ctx.settings, feeds=args.feed, offline=ctx.offline,
                                       jobs=args.jobs, progress=progress, entities=False)
        else:
            report = refresh_store(store, ctx.settings, feeds=args.feed, offline=ctx.offline, jobs=args.jobs,
                                   entities=False)
        for outcome in report.outcomes:
            for notice in outcome.notices:
                print(f"note: {outcome.title}: {notice}", file=ctx.stderr)
        for outcome in report.failed:
            print(f"failed: {outcome.title} ({outcome.url}): {outcome.error}", file=ctx.stderr)
        # Both passes take every article without entities: the new ones, the first run's seed article
        # (imported before the refresh), and whatever an earlier --no-entities left.
        wanted = (report.new_ids or first_run) and not args.no_entities
        if wanted and not args.wait_entities:
            start_entity_pass(ctx.paths)
            tail = "; extracting entities in the background" if ctx.stdout.isatty() else ""
            print(report.summary() + tail, file=ctx.stdout, flush=True)
            return report.exit_code
        print(report.summary(), file=ctx.stdout, flush=True)
        if wanted:
            if ctx.stderr.isatty():
                print("extracting entities…", file=ctx.stderr, flush=True)
            done = backfill_entities(store, ctx.settings)
            if done is not None:
                print(f"entities: {done[0]} articles in {done[1]:.1f} s", file=ctx.stderr)
    return report.exit_code
