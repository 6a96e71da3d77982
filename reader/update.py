"""fetch -> parse -> store -> entities: the one place that joins ``reader.feeds`` to ``reader.store``.

A refresh fetches every feed concurrently (``reader.feeds.fetch``), parses each in a worker as it
arrives, and writes it in one store transaction per feed. Parsing is CPU work (XML, HTML to blocks) that
the GIL would serialise, so a large refresh started from a single-threaded process (the ``refresh``
command) hands each fetched document to forked worker processes, one per core, that parse it *and* write
it through their own connection to the archive (SQLite serialises the writers; each feed is one short
transaction), while the parent only fetches: sending the parsed articles back to the parent would cost
as much as parsing them, and the parent's single core would then be the bottleneck. Anywhere else (the
TUI's worker thread, where forking a threaded process is unsafe, or a handful of feeds) a thread pool
parses and the calling thread writes.
A failing feed records its error and its failure count and never stops the others. Entity extraction is
not part of the refresh: once every feed is written, one pass over the new and updated articles runs,
timed separately, so a slow extractor never delays the articles themselves (and a missing
``reader.entities`` is simply skipped). ``start_entity_pass`` runs that pass in a detached process
instead, so ``khabar refresh`` can exit as soon as the articles are stored. At the end of every refresh
the ``keep_days`` retention is applied (one DELETE of old read articles), as ``khabar vacuum`` does.

``ensure_first_run`` subscribes an empty archive to the bundled sample feeds and takes them in from local
files, so the first start shows articles with no network; the TUI calls it too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reader.errors import FetchError, KhabarError, ParseError
from reader.feeds.build import clean_line
from reader.feeds.fetch import is_local

if TYPE_CHECKING:
    from reader.config import Paths, Settings
    from reader.feeds.build import ParsedFeed
    from reader.feeds.fetch import Fetcher, FetchResult
    from reader.model import Article, Feed
    from reader.store import Store

__all__ = ["FeedOutcome", "RefreshReport", "backfill_entities", "ensure_first_run", "entities_in_thread",
           "entity_pass_main", "fetch_full", "refresh", "refresh_store", "run_entities", "start_entity_pass"]

Progress = Callable[[int, int], None]
"""Called with (feeds done, feeds in all) as each feed finishes."""


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What happened to one feed in a refresh."""

    feed_id: int
    url: str
    title: str
    status: Literal["ok", "unchanged", "failed"]
    new: int = 0
    updated: int = 0
    error: str | None = None
    """Why it failed (sanitised, one line), for ``failed``."""
    seconds: float = 0.0
    notices: tuple[str, ...] = ()
    """Problems that did not stop it: ill-formed XML read leniently, a Retry-After waited, a redirect."""


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """The outcome of a refresh, per feed, with its totals."""

    outcomes: tuple[FeedOutcome, ...] = ()
    seconds: float = 0.0
    """Wall time of fetching, parsing and storing (entity extraction excluded)."""
    entity_seconds: float | None = None
    """Wall time of the entity pass afterwards, or None when it did not run."""
    new_ids: tuple[str, ...] = field(default=(), repr=False)
    """Ids of articles created or changed, for the entity pass and the UI."""
    purged: int = 0
    """Old read articles deleted by the ``keep_days`` retention at the end of the refresh."""

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def new(self) -> int:
        return sum(outcome.new for outcome in self.outcomes)

    @property
    def updated(self) -> int:
        return sum(outcome.updated for outcome in self.outcomes)

    @property
    def failed(self) -> tuple[FeedOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.status == "failed")

    @property
    def exit_code(self) -> int:
        """0 when every feed was fetched or unchanged, 1 when some failed."""
        return 1 if self.failed else 0

    def summary(self) -> str:
        """One line: feeds ok / unchanged / failed, new and updated articles, time taken."""
        feeds = len(self.outcomes)
        text = (f"{feeds} feed{'s' if feeds != 1 else ''}: {self.count('ok')} ok, {self.count('unchanged')} "
                f"unchanged, {self.count('failed')} failed; {self.new} new, {self.updated} updated "
                f"articles; {self.seconds:.1f} s")
        if self.purged:
            text += f"; {self.purged} old read article{'s' if self.purged != 1 else ''} purged (keep_days)"
        if self.entity_seconds is not None:
            text += f" (+{self.entity_seconds:.1f} s entities)"
        return text

    def first_error(self) -> str | None:
        """The first failure as ``title: reason``, for a status line."""
        for outcome in self.failed:
            return f"{outcome.title or outcome.url}: {outcome.error}"
        return None


PROCESS_POOL_MIN = 8
"""Feeds below which parsing stays in threads: forking workers costs more than it saves."""


def _parse(content: bytes, url: str, feed_key: str, feed_id: int, content_type: str | None) -> ParsedFeed:
    from reader.feeds.parse import parse_feed

    return parse_feed(content, url=url, feed_key=feed_key, feed_id=feed_id, content_type=content_type)


@dataclass(frozen=True, slots=True)
class _Stored:
    """What a worker process tells the parent about one feed it parsed and wrote: small, cheap to send."""

    notices: tuple[str, ...]
    new: tuple[str, ...]
    updated: tuple[str, ...]


_worker_store: Store | None = None
"""A worker process's own connection to the archive, opened at its first feed (never the parent's: an
SQLite connection must not cross a fork)."""


def _parse_and_store(db_file: Path, result: FetchResult, feed_key: str, feed_id: int, name_it: bool
                     ) -> _Stored:
    """In a worker process: parse one fetched document, write its entries and record the fetch."""
    global _worker_store
    parsed = _parse(result.content, result.final_url or feed_key, feed_key, feed_id, result.content_type)
    if _worker_store is None:
        import multiprocessing.util

        from reader.store import Store

        _worker_store = Store.open(db_file)
        # Closed when the worker exits (multiprocessing runs its finalizers), so the parent's own close,
        # the last one, checkpoints the write-ahead log back into the archive.
        multiprocessing.util.Finalize(_worker_store, _worker_store.close, exitpriority=10)
    written = _worker_store.write_feed_entries(feed_id, parsed.articles)
    _worker_store.record_fetch(feed_id, etag=result.etag, last_modified=result.last_modified, error=None,
                               url=result.moved_to, title=(parsed.title or None) if name_it else None)
    return _Stored(parsed.notices, tuple(written.new), tuple(written.updated))


def _store_file(store: Store) -> Path | None:
    """The archive's file, for worker processes to open their own connection; None for an in-memory one."""
    db = getattr(store, "_db", None)
    path = getattr(db, "path", None)
    if not isinstance(path, Path) or str(path) in ("", ":memory:") or not path.exists():
        return None
    return path


def _warm_up() -> None:
    """Before forking: import what the workers use and build the search index's folding tables (a tenth
    of a second), once here rather than once in every worker."""
    import importlib

    for name in ("feedparser", "lxml.etree", "reader.feeds.parse", "reader.feeds.fastxml",
                 "reader.feeds.html", "reader.store"):
        importlib.import_module(name)
    with contextlib.suppress(ImportError, AttributeError):
        importlib.import_module("reader.store.textfold").fingerprint()


def _parse_pool(feeds: int, db_file: Path | None) -> Executor:
    """Forked processes for big refreshes from a single-threaded process, else threads (see above)."""
    import multiprocessing
    import os
    import threading

    cores = os.cpu_count() or 1
    if db_file is not None and feeds >= PROCESS_POOL_MIN and cores > 1 and \
            threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        _warm_up()

        pool = ProcessPoolExecutor(max_workers=min(cores, 4), mp_context=multiprocessing.get_context("fork"))
        pool.submit(int).result()  # fork every worker now, while this is still the only thread
        return pool
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="khabar-parse")


async def _refresh_one(store: Store, fetcher: Fetcher, feed: Feed, parse_pool: Executor,
                       db_file: Path | None) -> tuple[FeedOutcome, list[str]]:
    assert feed.id is not None
    start = time.perf_counter()
    title = feed.title or feed.url
    notices: list[str] = []
    if fetcher.offline and not is_local(feed.url):
        # Refused without touching the feed's record: being offline is not the feed's failure.
        return FeedOutcome(feed.id, feed.url, title, "failed", error="offline: not fetched (--offline)"), []
    try:
        result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        notices.extend(result.notes)
        if result.moved_to:
            notices.append(f"moved permanently to {clean_line(result.moved_to, 200)}")
        if result.status == "unchanged":
            store.record_fetch(feed.id, etag=result.etag, last_modified=result.last_modified, error=None,
                               url=result.moved_to)
            return FeedOutcome(feed.id, feed.url, title, "unchanged", seconds=time.perf_counter() - start,
                               notices=tuple(notices)), []
        loop = asyncio.get_running_loop()
        if isinstance(parse_pool, ProcessPoolExecutor) and db_file is not None:
            stored = await loop.run_in_executor(parse_pool, _parse_and_store, db_file, result, feed.url,
                                                feed.id, not feed.title)
            notices.extend(stored.notices)
            new, updated = list(stored.new), list(stored.updated)
        else:
            parsed = await loop.run_in_executor(parse_pool, _parse, result.content,
                                                result.final_url or feed.url, feed.url, feed.id,
                                                result.content_type)
            notices.extend(parsed.notices)
            written = store.write_feed_entries(feed.id, parsed.articles)
            store.record_fetch(feed.id, etag=result.etag, last_modified=result.last_modified, error=None,
                               url=result.moved_to, title=None if feed.title else (parsed.title or None))
            new, updated = written.new, written.updated
    except (FetchError, ParseError) as exc:
        error = clean_line(str(exc), 300) or type(exc).__name__
        with contextlib.suppress(KhabarError):
            store.record_fetch(feed.id, etag=feed.etag, last_modified=feed.last_modified, error=error)
        return FeedOutcome(feed.id, feed.url, title, "failed", error=error,
                           seconds=time.perf_counter() - start, notices=tuple(notices)), []
    return FeedOutcome(feed.id, feed.url, title, "ok", len(new), len(updated),
                       seconds=time.perf_counter() - start, notices=tuple(notices)), [*new, *updated]


async def _refresh_all(store: Store, settings: Settings, feeds: Sequence[Feed], *, offline: bool,
                       jobs: int | None, progress: Progress | None) -> tuple[list[FeedOutcome], list[str]]:
    from reader.feeds.fetch import Fetcher

    outcomes: list[FeedOutcome] = []
    changed: list[str] = []
    done = 0
    if progress:
        progress(0, len(feeds))
    db_file = _store_file(store)
    with _parse_pool(len(feeds), db_file) as parse_pool:
        async with Fetcher(settings, offline=offline, jobs=jobs) as fetcher:
            tasks = [asyncio.ensure_future(_refresh_one(store, fetcher, feed, parse_pool, db_file))
                     for feed in feeds]
            try:
                for next_done in asyncio.as_completed(tasks):
                    outcome, ids = await next_done
                    outcomes.append(outcome)
                    changed.extend(ids)
                    done += 1
                    if progress:
                        progress(done, len(feeds))
            except BaseException:
                # One feed's failure that is not the feed's (the archive cannot be written): stop the others
                # and collect what they raise, so nothing is left unawaited, then report the one reason.
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
    order = {feed.id: index for index, feed in enumerate(feeds)}
    outcomes.sort(key=lambda outcome: order.get(outcome.feed_id, 0))
    return outcomes, changed


def run_entities(store: Store, article_ids: Sequence[str]) -> float | None:
    """The one call site of entity extraction after a refresh or import: extracts entities for
    ``article_ids`` and returns the seconds it took, or None when there is nothing to do.

    The contract with ``reader.entities``: a function ``annotate_articles(store, article_ids) -> None``
    that extracts and stores (``Store.set_entities_many``) the entities of those articles. Until the
    package provides it, the pass is skipped and ``khabar entities --backfill`` catches up later."""
    if not article_ids:
        return None
    import importlib

    try:
        entities = importlib.import_module("reader.entities")
    except ImportError:
        return None
    annotate = getattr(entities, "annotate_articles", None)
    if annotate is None:
        return None
    start = time.perf_counter()
    annotate(store, list(article_ids))
    return time.perf_counter() - start


def backfill_entities(store: Store, settings: Settings) -> tuple[int, float] | None:
    """The entity pass ``start_entity_pass`` runs, run here and now: every article without entities, with
    the extractor ``entity_backend`` names. Returns (articles done, seconds), or None when
    ``reader.entities`` is not there."""
    try:
        from reader.entities import backfill, load_extractor
    except ImportError:
        return None
    start = time.perf_counter()
    done = backfill(store, extractor=load_extractor(settings.entity_backend))
    return done, time.perf_counter() - start


def refresh_store(store: Store, settings: Settings, *, feeds: Sequence[str] | None = None,
                  offline: bool = False, jobs: int | None = None, progress: Progress | None = None,
                  entities: bool = True) -> RefreshReport:
    """Refresh ``feeds`` (ids, URLs or exact titles; all feeds when None) in ``store``, then apply the
    ``keep_days`` retention. With ``entities`` the entity pass over the changed articles runs inline."""
    selected = [store.get_feed(ref) for ref in feeds] if feeds else store.list_feeds()
    start = time.perf_counter()
    outcomes, changed = asyncio.run(_refresh_all(store, settings, selected, offline=offline, jobs=jobs,
                                                 progress=progress))
    # Retention here too, not only in ``khabar vacuum``: only read, unstarred, unsaved articles older than
    # keep_days go, so the articles just stored (unread) never do; an indexed DELETE when nothing is due.
    purged = store.purge(settings.keep_days) if settings.keep_days > 0 else 0
    seconds = time.perf_counter() - start
    entity_seconds = run_entities(store, changed) if entities else None
    return RefreshReport(tuple(outcomes), seconds, entity_seconds, tuple(changed), purged)


def refresh(paths: Paths, settings: Settings, *, feeds: Sequence[str] | None = None, offline: bool = False,
            jobs: int | None = None, progress: Progress | None = None) -> RefreshReport:
    """Open the archive at ``paths`` and refresh it (for callers in their own thread, like the TUI).

    Returns as soon as the articles are stored; the entity pass then runs in a background thread with its
    own connection (the TUI notices its commits through ``data_version``). If the process ends first,
    the pass's open transaction is simply lost and ``khabar entities --backfill`` catches up."""
    from reader.store import Store

    paths.db_file.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(paths.db_file)
    try:
        report = refresh_store(store, settings, feeds=feeds, offline=offline, jobs=jobs, progress=progress,
                               entities=False)
    finally:
        store.close()
    if report.new_ids:
        entities_in_thread(paths.db_file, report.new_ids)
    return report


def entities_in_thread(db_file: Path, article_ids: Sequence[str]) -> threading.Thread:
    """Run the entity pass over ``article_ids`` in a daemon thread with its own connection; returns the
    thread (already started), which callers may join."""
    thread = threading.Thread(target=_entities_in_background, args=(db_file, tuple(article_ids)),
                              name="khabar-entities", daemon=True)
    thread.start()
    return thread


def _entities_in_background(db_file: Path, article_ids: Sequence[str]) -> None:
    from reader.store import Store

    with contextlib.suppress(KhabarError), Store.open(db_file) as store:
        run_entities(store, article_ids)


ENTITY_LOCK_SUFFIX = ".entities.lock"
"""Beside the archive: byte 0 is held by a pass that waits its turn, byte 1 by the pass that runs."""


def start_entity_pass(paths: Paths) -> subprocess.Popen[bytes]:
    """Start ``khabar entities --backfill`` on the archive at ``paths`` in a detached process (its own
    session, no terminal, no output) and return at once, so a command can exit while entities are still
    being extracted. The backfill takes every article that has none yet, so it also covers what earlier
    refreshes and imports left, and SQLite's locking (WAL, busy timeout) lets it write beside the reader.

    Passes never pile up: ``entity_pass_main`` lets one run and at most one wait for it (a waiting pass has
    not looked at the archive yet, so it will see whatever the newer refresh stored); any further pass
    started meanwhile exits at once."""
    db = paths.db_file
    options = ["--db", str(db)]
    # The child must read the same settings (entity_backend): the same config file, or none at all.
    if paths.config_file.exists():
        options += ["--config", str(paths.config_file)]
    else:
        options += ["--home", str(paths.config_file.parent)]
    code = "import sys; from reader.update import entity_pass_main; sys.exit(entity_pass_main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(db) + ENTITY_LOCK_SUFFIX, *options, "entities", "--backfill"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True)


def entity_pass_main(argv: Sequence[str]) -> int:
    """The detached entity pass (see ``start_entity_pass``): ``argv`` is the lock file, then the ``khabar``
    command line to run once it is this pass's turn."""
    lock_file, *command = argv
    try:
        import fcntl
    except ImportError:  # no POSIX locks (Windows): passes may overlap, which costs time, not correctness
        from reader.cli import main

        return main(command)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)  # the one waiting place
        except OSError:
            return 0  # a pass is already waiting, and it will see this refresh's articles
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, 1)  # wait for the running pass, if any
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 0)  # running now: the next pass may wait
        from reader.cli import main

        return main(command)
    finally:
        os.close(fd)


def ensure_first_run(store: Store, settings: Settings, *, take_in: bool = True) -> bool:
    """On an empty archive (no feeds, no articles), subscribe to the bundled sample feeds and the seed
    article and, with ``take_in``, read them in from local files and run the entity pass over all of them
    in a background thread, as ``refresh`` does (the TUI's first start). Without ``take_in`` the caller
    does both (``khabar refresh`` leaves them to its own refresh, so its summary counts them, and its
    entity pass, which takes every article without entities, the seed included). Returns whether it did
    anything; ``first_run_entities`` is the thread, for callers that wait for it."""
    from reader.feeds.opml import read_opml
    from reader.feeds.saved import read_saved
    from reader.resources import sample_feeds_path
    from reader.store import ArticleQuery

    global first_run_entities
    if store.list_feeds() or store.count_articles(ArticleQuery()):
        return False
    folder = sample_feeds_path()
    opml = folder / "sample-feeds.opml"
    document = read_opml(opml.read_bytes(), base_dir=folder)
    for feed in document.feeds:
        store.add_feed(feed)
    saved = [read_saved(path) for path in sorted(folder.glob("*.txt"))]
    changed: list[str] = []
    if saved:
        written = store.import_articles(saved)
        changed += [*written.new, *written.updated]
    if take_in:
        report = refresh_store(store, settings, offline=True, entities=False)
        changed += report.new_ids
        db_file = _store_file(store)
        if db_file is None:
            run_entities(store, changed)
        elif changed:
            first_run_entities = entities_in_thread(db_file, changed)
    return True


first_run_entities: threading.Thread | None = None
"""The entity pass the last ``ensure_first_run`` started in this process, if any."""


def fetch_full(paths: Paths, settings: Settings, article_id: str, *, offline: bool = False) -> Article:
    """Download the page of article ``article_id``, extract its main text and store it as the body, so it
    can be read offline. Returns the updated article."""
    from reader.store import Store

    store = Store.open(paths.db_file)
    try:
        return fetch_full_store(store, settings, article_id, offline=offline)
    finally:
        store.close()


def fetch_full_store(store: Store, settings: Settings, article_id: str, *, offline: bool = False) -> Article:
    """``fetch_full`` on an open store."""
    from reader.feeds.encoding import decode, html_charset
    from reader.feeds.extract import extract_page
    from reader.feeds.fetch import Fetcher

    article = store.get_article(article_id)
    if not article.url:
        raise FetchError("this article has no web address to fetch")

    async def go() -> FetchResult:
        async with Fetcher(settings, offline=offline, jobs=1) as fetcher:
            return await fetcher.fetch(article.url or "")

    result = asyncio.run(go())
    text = decode(result.content, (html_charset(result.content), _charset(result.content_type))).text
    page = extract_page(text, url=result.final_url or article.url)
    if not page.blocks:
        raise ParseError("no main text found on the page")
    store.replace_body(article.id, page.blocks, page.links)
    # The new body's entities, now: one article takes milliseconds, and replace_body has dropped the old
    # ones (their spans pointed into the old text); nothing else would find them again.
    run_entities(store, [article.id])
    return store.get_article(article.id)


def _charset(content_type: str | None) -> str | None:
    if not content_type or "charset=" not in content_type.lower():
        return None
    return content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip("\"'") or None

