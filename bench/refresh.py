"""Refresh benchmark: 200 generated feeds of 50 items (half Arabic) served from 127.0.0.1.

Measures ``khabar refresh`` cold (empty archive) and unchanged (every feed answers 304): wall time, CPU
time (worker processes included) and peak resident memory of the main process; and the same for
Newsboat (``newsboat -x reload`` with its own temporary config, urls and cache, ``reload-threads`` set to
the same concurrency) on the same feeds in the same run. Both run as subprocesses, start-up included,
so the comparison is what a user waits for.

The race ends when ``khabar refresh`` exits, as it does for a person waiting at the prompt: the entity
pass over the 10,000 new articles runs after that in the detached background process ``khabar refresh``
starts, and is timed on its own, from the refresh's exit until no article lacks entities (wall time: the
detached process is not this one's child, so its CPU time cannot be read). The next run starts only once
that pass has finished. ``--no-entities`` measures Khabar without starting the pass at all.

All feeds are on one host here, so Khabar's ``per_host`` is raised to the same concurrency as ``jobs``
(Newsboat has no per-host limit). Usage: ``python -m bench refresh [--feeds N] [--items N] [--jobs N]
[--repeat N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ARABIC = ("ناقشت رئاسة إقليم كوردستان مع وفد عسكري ضمن التحالف الدولي، اليوم السبت (22 أيار 2021)، القضاء "
          "على بقايا التنظيم في كركوك وخانقين، وشدد الطرفان على أهمية تنفيذ عملية مشتركة ومستعجلة.")
ENGLISH = ("The committee met on Saturday to discuss the budget for schools, the new railway line and the "
           "water supply of the northern districts, and agreed to publish its report next month.")
ROOT = Path(__file__).resolve().parent.parent


def make_feed(index: int, items: int) -> bytes:
    arabic = index % 2 == 0
    text = ARABIC if arabic else ENGLISH
    title = f"{'أخبار' if arabic else 'News'} {index}"
    entries = []
    for n in range(items):
        body = escape(f"<p>{text}</p><p>{text} <a href=\"https://example.org/{index}/{n}/more\">{n}</a></p>"
                      f"<ul><li>{text[:60]}</li><li>{text[60:120]}</li></ul><p>{text}</p>")
        entries.append(
            f"<item><title>{escape(text[:50])} {n}</title><link>https://example.org/{index}/{n}</link>"
            f"<guid isPermaLink=\"false\">feed-{index}-item-{n}</guid>"
            f"<pubDate>{formatdate(1_600_000_000 + index * 1000 + n * 60, usegmt=True)}</pubDate>"
            f"<description>{body}</description></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://example.org/{index}/</link><language>{'ar' if arabic else 'en'}</language>"
            f"{''.join(entries)}</channel></rss>").encode()


class Server:
    """Serves the generated feeds with ETag and Last-Modified, answering 304 to conditional requests."""

    def __init__(self, feeds: dict[str, bytes]) -> None:
        last_modified = formatdate(1_600_000_000, usegmt=True)
        tags = {path: '"' + hashlib.sha1(body).hexdigest()[:16] + '"' for path, body in feeds.items()}
        self.hits = {"200": 0, "304": 0}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                body = feeds.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                etag = tags[self.path]
                if self.headers.get("If-None-Match") == etag or \
                        self.headers.get("If-Modified-Since") == last_modified:
                    server.hits["304"] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                server.hits["200"] += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 256
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, args=(0.1,), daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


GNU_TIME = "/usr/bin/time"
"""Measures peak memory when present. A process forked from this one starts with this one's resident
pages, and Linux counts them in its peak (``ru_maxrss`` survives ``exec``), so ``wait4`` alone reports at
least this benchmark's own size (the feeds, the server) for every command; GNU time is small, and the
command it forks is measured from there."""


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run ``cmd``; return (seconds, peak RSS in MiB, exit code, last line of output, CPU seconds)."""
    report = None
    if os.path.exists(GNU_TIME):
        handle, report = tempfile.mkstemp(prefix="bench-rss-")
        os.close(handle)
        cmd = [GNU_TIME, "-o", report, "-f", "%M", *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = output.decode("utf-8", "replace").strip().splitlines()
    peak = usage.ru_maxrss / 1024
    if report is not None:
        written = Path(report).read_text().split()
        Path(report).unlink()
        if written and written[-1].isdigit():
            peak = int(written[-1]) / 1024
    return (seconds, peak, proc.returncode, lines[-1] if lines else "", usage.ru_utime + usage.ru_stime)


Run = tuple[float, float, int, str, float]
"""(seconds, peak RSS MiB, exit code, last output line, CPU seconds with its children) of one process."""


def background_pass(db: Path, polls: int = 12_000) -> float:
    """Seconds from now until the background entity pass has given every article its entities (polled
    every 0.02 s; NaN when it never finishes within ``polls`` looks, or when no pass was started)."""
    sys.path.insert(0, str(ROOT))
    from reader.store import Store

    start = time.perf_counter()
    for _ in range(polls):
        with Store.open(db, readonly=True) as store:
            if not store.articles_without_entities(1):
                return time.perf_counter() - start
        time.sleep(0.02)
    return float("nan")


def khabar_runs(base: Path, urls: list[str], jobs: int, no_entities: bool) -> Callable[[], tuple[Run, ...]]:
    def run() -> tuple[Run, ...]:
        home = Path(tempfile.mkdtemp(prefix="khabar-home-", dir=base))
        (home / "config.toml").write_text(f"jobs = {jobs}\nper_host = {jobs}\n", encoding="utf-8")
        (home / "urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
        env = dict(os.environ, KHABAR_HOME=str(home), PYTHONIOENCODING="utf-8")
        python = [sys.executable, "-m", "reader"]
        subprocess.run([*python, "import", str(home / "urls")], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        extra = ["--no-entities"] if no_entities else []
        cold = timed([*python, "refresh", *extra, "--jobs", str(jobs)], env, ROOT)
        entities = (float("nan") if no_entities else background_pass(home / "khabar.db"), 0.0, 0, "", 0.0)
        warm = timed([*python, "refresh", *extra, "--jobs", str(jobs)], env, ROOT)
        shutil.rmtree(home, ignore_errors=True)
        return cold, warm, entities

    return run


def newsboat_runs(base: Path, urls: list[str], jobs: int) -> Callable[[], tuple[Run, ...]]:
    def run() -> tuple[Run, ...]:
        home = Path(tempfile.mkdtemp(prefix="newsboat-home-", dir=base))
        (home / "urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
        (home / "config").write_text(f"reload-threads {jobs}\nshow-read-feeds yes\n", encoding="utf-8")
        env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_DATA_HOME=str(home / ".local"), TERM="dumb")
        cmd = ["newsboat", "-x", "reload", "-u", str(home / "urls"), "-c", str(home / "cache.db"),
               "-C", str(home / "config")]
        cold = timed(cmd, env, home)
        warm = timed(cmd, env, home)
        shutil.rmtree(home, ignore_errors=True)
        return cold, warm

    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench refresh")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-entities", action="store_true", help="refresh with --no-entities (no pass)")
    args = parser.parse_args(argv)

    feeds = {f"/feed/{i}.xml": make_feed(i, args.items) for i in range(args.feeds)}
    total = sum(len(body) for body in feeds.values())
    server = Server(feeds)
    urls = [f"http://127.0.0.1:{server.port}{path}" for path in feeds]
    print(f"{args.feeds} feeds x {args.items} items (half Arabic), {total / 1e6:.1f} MB of RSS, "
          f"concurrency {args.jobs}, {args.repeat} runs each, medians")
    base = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    have_newsboat = shutil.which("newsboat") is not None
    results: dict[str, list[tuple[Run, ...]]] = {"khabar": [], "newsboat": []}
    try:
        for _ in range(args.repeat):
            results["khabar"].append(khabar_runs(base, urls, args.jobs, args.no_entities)())
            if have_newsboat:
                results["newsboat"].append(newsboat_runs(base, urls, args.jobs)())
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)

    def med(name: str, phase: int, field: int) -> float:
        return statistics.median(float(run[phase][field]) for run in results[name])

    for name in ("khabar", "newsboat"):
        if not results[name]:
            print(f"{name}: not installed (apt-get install newsboat), skipped")
            continue
        for phase, label in ((0, "cold"), (1, "unchanged")):
            codes = {run[phase][2] for run in results[name]}
            print(f"{name:<9} {label:<10} {med(name, phase, 0):7.2f} s   CPU {med(name, phase, 4):6.2f} s   "
                  f"peak RSS {med(name, phase, 1):7.1f} MiB   exit {sorted(codes)}   "
                  f"{results[name][-1][phase][3][:80]}")
    if results["khabar"] and not args.no_entities:
        print(f"khabar    entities   {med('khabar', 2, 0):7.2f} s   (the background pass, from the cold "
              "refresh's exit until every article has its entities)")
    if results["newsboat"]:
        for phase, label in ((0, "cold"), (1, "unchanged")):
            ratio = med("khabar", phase, 0) / med("newsboat", phase, 0)
            print(f"ratio khabar/newsboat {label:<10} {ratio:5.2f}x  (below 1 means Khabar is faster)")
    print(f"server answers: {server.hits['200']} x 200, {server.hits['304']} x 304")
    return 0
