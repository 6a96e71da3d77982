"""``khabar import FILE|DIR...``: take in subscription lists and saved articles, whatever they are.

Each file is recognised by its content (and name): OPML 1.0/2.0 and Newsboat ``urls`` files subscribe
to their feeds (nested OPML outlines become tags); ``.txt``, ``.html``, ``.md`` files are saved articles;
a ``.json`` file written by ``khabar export --format json`` restores its feeds, articles, state and tags.
Directories are walked recursively (hidden files and folders skipped). Importing the same thing again
changes nothing: known feeds are left as they are and saved articles are keyed by their content.

Imported articles that have no entities (saved articles, JSON exports made before extraction) get the
entity pass as ``khabar refresh`` runs it: in a detached background process, or before exiting with
``--wait-entities``; ``--no-entities`` leaves them to ``khabar entities --backfill``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from reader.commands import Context
    from reader.model import Article, Feed
    from reader.store import Store

HELP = "import OPML, Newsboat urls files, saved articles (.txt .html .md) and Khabar JSON exports"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR", help="files or folders to import")
    entities = parser.add_mutually_exclusive_group()
    entities.add_argument("--no-entities", action="store_true",
                          help="skip the entity pass (khabar entities --backfill does it later)")
    entities.add_argument("--wait-entities", action="store_true",
                          help="extract entities before exiting, instead of in the background")


def _files(roots: list[Path]) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).parts
            if path.is_file() and not any(part.startswith(".") for part in relative):
                files.append(path)
    return files


class _Tally:
    def __init__(self) -> None:
        self.feeds_added = 0
        self.feeds_known = 0
        self.articles: list[Article] = []
        self.restored = 0
        self.restored_unchanged = 0
        self.changed: list[str] = []
        self.failed = 0
        self.skipped = 0


def _subscribe(store: Store, feeds: tuple[Feed, ...], tally: _Tally) -> None:
    from reader.errors import UsageError

    for feed in feeds:
        try:
            store.add_feed(feed)
        except UsageError:
            tally.feeds_known += 1
        else:
            tally.feeds_added += 1


def _import_file(store: Store, path: Path, tally: _Tally, ctx: Context) -> None:
    from reader.feeds.encoding import decode
    from reader.feeds.opml import looks_like_opml, read_opml
    from reader.feeds.saved import SAVED_SUFFIXES, read_saved
    from reader.feeds.urls import looks_like_urls, read_urls

    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(4096)
    if suffix == ".opml" or (suffix in (".xml", "") and looks_like_opml(head)):
        document = read_opml(path.read_bytes(), base_dir=path.parent)
        for notice in document.notices:
            ctx.warn(f"{path}: {notice}")
        _subscribe(store, document.feeds, tally)
        return
    if suffix == ".json":
        from reader.store.export import load, restore

        added, written = restore(store, load(path.read_bytes()))
        tally.changed.extend([*written.new, *written.updated])
        tally.feeds_added += len(added)
        tally.restored += len(written.new) + len(written.updated)
        tally.restored_unchanged += written.unchanged
        return
    if path.name == "urls" or suffix == ".urls" or (
            suffix in ("", ".txt") and looks_like_urls(decode(path.read_bytes()[:65536]).text)):
        urls = read_urls(decode(path.read_bytes()).text, base_dir=path.parent)
        for notice in urls.notices:
            ctx.warn(f"{path}: {notice}")
        _subscribe(store, urls.feeds, tally)
        return
    if suffix in SAVED_SUFFIXES:
        tally.articles.append(read_saved(path))
        return
    tally.skipped += 1
    ctx.warn(f"{path}: not a subscription list or saved article, skipped")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from reader.errors import KhabarError, StoreError, UsageError
    from reader.store import Store
    from reader.update import backfill_entities, start_entity_pass

    roots = [Path(raw).expanduser() for raw in args.paths]
    missing = [str(root) for root in roots if not root.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    tally = _Tally()
    ctx.paths.db_file.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(ctx.paths.db_file, on_wait=ctx.warn) as store:
        for path in _files(roots):
            try:
                _import_file(store, path, tally, ctx)
            except StoreError:
                raise
            except (KhabarError, OSError, UnicodeError) as exc:
                tally.failed += 1
                print(f"khabar: {path}: {exc}", file=ctx.stderr)
        written = store.import_articles(tally.articles) if tally.articles else None
        if written is not None:
            tally.changed.extend([*written.new, *written.updated])
        if tally.changed and args.wait_entities:
            backfill_entities(store, ctx.settings)
    if tally.changed and not args.no_entities and not args.wait_entities:
        start_entity_pass(ctx.paths)
    parts = [f"{tally.feeds_added} feeds added"]
    if tally.feeds_known:
        parts.append(f"{tally.feeds_known} already subscribed")
    if written is not None:
        parts.append(f"{len(written.new)} saved articles imported, {len(written.updated)} updated, "
                     f"{written.unchanged} unchanged")
    if tally.restored or tally.restored_unchanged:
        parts.append(f"{tally.restored} articles restored from JSON, {tally.restored_unchanged} unchanged")
    if tally.skipped:
        parts.append(f"{tally.skipped} files skipped")
    if tally.failed:
        parts.append(f"{tally.failed} files failed")
    print("; ".join(parts), file=ctx.stdout)
    return 1 if tally.failed else 0
