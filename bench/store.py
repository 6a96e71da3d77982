"""Benchmark the archive: a generated 100,000-article archive (half Arabic, mean body 3 KB).

Measures, as issue 4 asks:

* open + first page (the newest 100 articles): median of 20 opens (target <= 50 ms);
* search medians over 100 runs for a one-word Arabic query, a two-word Arabic phrase, an Arabic prefix
  query and an English word (target <= 30 ms each), with each query's match count;
* insert throughput with search indexing (``Store.write_feed_entries``, one transaction per feed batch of
  50) next to a bare ``sqlite3`` + FTS5 insert loop of the same rows in the same run (target >= 0.8);
* archive size per article, peak memory.

Text is generated from real news: bodies are runs of consecutive words (5 to 25) taken at random from the
66 Arabic articles in ``/work/shared/data/news/ar`` and the English headlines and snippets in
``/work/shared/data/news/he``, so word frequencies and two-word phrases are those of real news. The archive
is cached under ``/tmp/khabar-bench-store`` (keyed by the generator's parameters and the schema), so reruns
skip the build. ``--rebuild`` forces it, ``--articles N`` changes the size, ``--quick`` uses 20,000.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from bench.common import max_rss_mb, median_ms, row, timeit
from reader.model import Article

CACHE = Path(os.environ.get("KHABAR_BENCH_CACHE", "/tmp/khabar-bench-store"))
NEWS = Path(os.environ.get("KHABAR_NEWS", "/work/shared/data/news"))
FEEDS = 200
BATCH = 50
SEED = 4
GENERATOR_VERSION = 3
INSERT_SAMPLE = 10_000
QUERIES = [
    ("one Arabic word", "الحكومة"),
    ("two-word Arabic phrase", '"الأمم المتحدة"'),
    ("Arabic prefix", "اقتصاد*"),
    ("English word", "ceasefire"),
]


# -- corpus ---------------------------------------------------------------------------------------------

def _arabic_words() -> list[str]:
    words: list[str] = []
    for path in sorted((NEWS / "ar").glob("*.txt")):
        match = re.search(r"<TEXT>(.*?)</TEXT>", path.read_text(encoding="utf-8"), re.S)
        if match:
            words += match.group(1).split()
    return words


def _english_words() -> list[str]:
    words: list[str] = []
    with (NEWS / "he" / "articles_final.csv").open(encoding="utf-8-sig") as handle:
        for record in csv.DictReader(handle):
            if record.get("language") == "English":
                words += f"{record['headline']}. {record['snippet']}".split()
    return words


def _text(rng: random.Random, words: list[str], target: int) -> list[str]:
    """Paragraphs of runs of real consecutive words, about ``target`` UTF-8 bytes in all."""
    paragraphs: list[str] = []
    size = 0
    while size < target:
        para: list[str] = []
        for _ in range(rng.randint(3, 8)):
            start = rng.randrange(len(words) - 30)
            para += words[start:start + rng.randint(5, 25)]
        text = " ".join(para)
        paragraphs.append(text)
        size += len(text.encode()) + 1
    return paragraphs


def generate(count: int, seed: int = SEED) -> Iterator[tuple[int, Article]]:
    """(feed index, Article) for ``count`` articles; feeds 0-99 Arabic, 100-199 English, dates spread
    over about two years, newest last."""
    from reader.model import Block, BlockKind, Direction, article_id

    rng = random.Random(seed)
    arabic, english = _arabic_words(), _english_words()
    start = datetime(2023, 1, 1, tzinfo=UTC)
    for k in range(count):
        feed = k % FEEDS
        is_arabic = feed < FEEDS // 2
        words = arabic if is_arabic else english
        title_at = rng.randrange(len(words) - 12)
        title = " ".join(words[title_at:title_at + rng.randint(5, 12)])
        body = _text(rng, words, rng.randint(1500, 4500))
        guid = f"https://feed{feed}.example/item/{k}"
        yield feed, Article(
            id=article_id(f"https://feed{feed}.example/rss", guid), feed_id=None, guid=guid, title=title,
            url=guid, published=start + timedelta(seconds=k * 600 + rng.randint(0, 599)),
            language="ar" if is_arabic else "en", direction=Direction.RTL if is_arabic else Direction.LTR,
            blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in body))


def batches(count: int) -> Iterator[tuple[int, list[Article]]]:
    """Per-feed batches of BATCH articles, as refreshes would write them."""
    pending: dict[int, list[Article]] = {}
    for feed, art in generate(count):
        group = pending.setdefault(feed, [])
        group.append(art)
        if len(group) == BATCH:
            yield feed, group
            pending[feed] = []
    for feed, group in pending.items():
        if group:
            yield feed, group


# -- building -------------------------------------------------------------------------------------------

def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_store(path: Path, data: Iterable[tuple[int, list[Article]]]) -> float:
    """Write ``data`` through the store into a new archive; returns the seconds spent in the store
    (generating a lazy ``data`` is not counted)."""
    from reader.model import Feed
    from reader.store import Store

    _fresh(path)
    with Store.open(path) as store:
        ids = [store.add_feed(Feed(url=f"https://feed{i}.example/rss", title=f"Feed {i}")).id
               for i in range(FEEDS)]
        store.write_feed_entries(ids[0] or 0, [])  # first index write pays the one-off fold table
        spent = 0.0
        for feed, group in data:
            started = time.perf_counter()
            store.write_feed_entries(ids[feed] or 0, group)
            spent += time.perf_counter() - started
        return spent


def build_bare(path: Path, data: Iterable[tuple[int, list[Article]]], *, fold: bool = False) -> float:
    """The same rows through bare sqlite3 + FTS5, same batching; returns seconds. Raw text by default;
    with ``fold`` the indexed text goes through ``reader.normalize.fold`` first, as a plain
    implementation of the issue's normalisation would do it."""
    from reader.normalize import fold as fold_text

    def folded(text: str) -> str:
        return fold_text(text) if fold else text

    _fresh(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, feed INTEGER, guid TEXT,"
                 " url TEXT, title TEXT, published TEXT, body TEXT)")
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body)")
    started = time.perf_counter()
    for feed, group in data:
        conn.execute("BEGIN")
        for art in group:
            body = "\n".join(b.text for b in art.blocks)
            cur = conn.execute("INSERT INTO articles(id, feed, guid, url, title, published, body)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (art.id, feed, art.guid, art.url, art.title, str(art.published), body))
            conn.execute("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                         (cur.lastrowid, folded(art.title), folded(body)))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def cached_archive(count: int, rebuild: bool) -> tuple[Path, dict[str, float]]:
    from reader.store import SCHEMA_VERSION
    from reader.store.textfold import fingerprint

    CACHE.mkdir(parents=True, exist_ok=True)
    key = f"n{count}-s{SEED}-g{GENERATOR_VERSION}-v{SCHEMA_VERSION}-{fingerprint()[:8]}"
    path = CACHE / f"archive-{key}.db"
    info = CACHE / f"archive-{key}.json"
    if path.exists() and info.exists() and not rebuild:
        return path, json.loads(info.read_text())
    print(f"building the {count:,}-article archive (cached in {CACHE}) ...", flush=True)
    body_bytes = 0

    def counted() -> Iterator[tuple[int, list[Article]]]:
        nonlocal body_bytes
        for feed, group in batches(count):  # generated as written: the archive never sits in memory
            body_bytes += sum(len(a.body_text.encode()) for a in group)
            yield feed, group

    seconds = build_store(path, counted())
    from reader.store import Store

    with Store.open(path) as store:
        store.vacuum()
    meta = {"build_s": seconds, "articles": count, "body_bytes": body_bytes}
    info.write_text(json.dumps(meta))
    return path, meta


# -- measuring ------------------------------------------------------------------------------------------

def measure_queries(path: Path) -> dict[str, object]:
    """Open + first page and search timings; run in a child process so its peak memory is its own."""
    import tracemalloc

    from reader.store import ArticleQuery, Store
    from reader.store.query import parse, to_fts

    def first_page() -> None:
        with Store.open(path) as store:
            page = store.list_articles(ArticleQuery(limit=100))
            assert len(page) == 100

    cold_start = time.perf_counter()
    first_page()
    cold = time.perf_counter() - cold_start
    open_times = timeit(first_page, repeat=20, warmup=0)
    results: dict[str, object] = {"open_cold_ms": cold * 1000, "open_ms": median_ms(open_times)}
    with Store.open(path) as store:
        results["count"] = store.count_articles()
        page_times = timeit(lambda: store.list_articles(ArticleQuery(limit=100)), repeat=50)
        results["page_ms"] = median_ms(page_times)
        searches = {}
        for label, query in QUERIES:
            matches = store.count_articles(ArticleQuery(search=query))
            t50 = median_ms(timeit(partial(store.search, query, limit=50), repeat=100, warmup=2))
            t20 = median_ms(timeit(partial(store.search, query, limit=20), repeat=100, warmup=2))
            listed = median_ms(timeit(partial(store.list_articles, ArticleQuery(search=query, limit=100)),
                                      repeat=100, warmup=2))
            # Baseline: SQLite's own ranking of the same MATCH expression, nothing of Khabar's around it.
            bare = sqlite3.connect(path)
            match = to_fts(parse(query))
            ranked = partial(bare.execute, "SELECT rowid, bm25(search_index, 3.0, 1.0) AS s FROM search_index"
                             " WHERE search_index MATCH ? ORDER BY s LIMIT 50", (match,))
            tbare = median_ms(timeit(lambda run=ranked: run().fetchall(), repeat=100, warmup=2))
            bare.close()
            searches[label] = {"query": query, "matches": matches, "search50_ms": t50, "search20_ms": t20,
                               "list_ms": listed, "bare50_ms": tbare}
        results["searches"] = searches
    # Memory apart from timing: tracemalloc slows Python down several times.
    tracemalloc.start()
    with Store.open(path) as store:
        store.list_articles(ArticleQuery(limit=100))
        for _, query in QUERIES:
            store.search(query, limit=50)
    results["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    results["max_rss_mb"] = _peak_rss_mb()
    return results


def _peak_rss_mb() -> float:
    """This process's own peak resident set (VmHWM): Linux carries ``ru_maxrss`` across exec, so a child
    started by a big parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return max_rss_mb()


def _size(path: Path) -> int:
    """Bytes on disk, write-ahead log included."""
    return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench store", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="20,000 articles")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached archive")
    parser.add_argument("--insert-sample", type=int, default=INSERT_SAMPLE,
                        help=f"articles in the insert comparison (default {INSERT_SAMPLE})")
    parser.add_argument("--child", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_queries(Path(args.child))))
        return 0
    count = 20_000 if args.quick else args.articles
    path, meta = cached_archive(count, args.rebuild)

    # Insert throughput: the store against a bare loop, same rows, same run; best of five alternating
    # runs each (the disk's write-back and other processes make single runs noisy).
    sample = list(batches(args.insert_sample))
    n = sum(len(g) for _, g in sample)
    store_s, bare_s = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(5):
            store_s.append(build_store(Path(tmp) / "store.db", sample))
            bare_s.append(build_bare(Path(tmp) / "bare.db", sample))
        store_size, bare_size = _size(Path(tmp, "store.db")), _size(Path(tmp, "bare.db"))
        folding_s = min(build_bare(Path(tmp) / "folding.db", sample, fold=True) for _ in range(2))
    store_rate, bare_rate, folding_rate = n / min(store_s), n / min(bare_s), n / folding_s
    ratios = sorted(b / s for s, b in zip(store_s, bare_s, strict=True))

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    child = subprocess.run([sys.executable, "-m", "bench", "store", "--child", str(path)], env=env,
                           capture_output=True, text=True, check=True)
    q = json.loads(child.stdout.strip().splitlines()[-1])

    size = _size(path)
    mean = meta["body_bytes"] / meta["articles"] / 1000
    rate = meta["articles"] / meta["build_s"]
    print(f"archive: {q['count']:,} articles, {mean:.2f} KB mean body (UTF-8), built in "
          f"{meta['build_s']:.1f} s ({rate:,.0f} articles/s)")
    print(row("open + newest 100 (median of 20)", q["open_ms"], "ms"))
    print(row("open + newest 100 (first, new process)", q["open_cold_ms"], "ms"))
    print(row("next page of 100 (median of 50)", q["page_ms"], "ms"))
    for label, s in q["searches"].items():
        print(row(f"search {label} {s['query']} ({s['matches']:,} hits), top 50", s["search50_ms"], "ms",
                  s["bare50_ms"]))
        print(row("    bare FTS5 bm25 ranking alone, top 50", s["bare50_ms"], "ms"))
        print(row("    top 20", s["search20_ms"], "ms"))
        print(row("    list --search, newest 100", s["list_ms"], "ms"))
    print(row(f"insert with indexing ({n:,} articles, batches of {BATCH})", store_rate, "art/s", bare_rate))
    print(row("bare sqlite3 + FTS5 insert loop, same rows", bare_rate, "art/s"))
    print(f"    ratio per round (store/bare, alternating): {', '.join(f'{r:.2f}' for r in ratios)}")
    print(row("bare loop + normalize.fold of indexed text", folding_rate, "art/s"))
    print(row("    store against it", store_rate, "art/s", folding_rate))
    print(row("archive size per article (100k archive)", size / q["count"] / 1000, "KB"))
    print(row("size per article, insert sample: store", store_size / n / 1000, "KB"))
    print(row("size per article, insert sample: bare", bare_size / n / 1000, "KB"))
    print(row("peak RSS, query process", q["max_rss_mb"], "MiB"))
    print(row("peak traced Python memory, searches", q["traced_peak_mb"], "MiB"))
    print(row("peak RSS, this process (generation, build, inserts)", _peak_rss_mb(), "MiB"))
    return 0
