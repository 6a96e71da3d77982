"""Benchmark of the RTL engine (issue 3): ``python -m bench rtl [--repeat N]``.

Measures, on real Arabic news text bundled in ``sample_feeds/`` (the ANT-corpus items of
``arabic-news.xml`` and the seed article, unique paragraphs, cut at 100 KB of UTF-8):

* a 100 KB article laid out at width 80, cold (cache cleared before every run); target <= 100 ms;
* one screen of 60 lines x 100 cells: cold, and repainted as the article view does it with the layout
  cache warm (target <= 3 ms);
* throughput in characters per second of our layout and of its stages, next to python-bidi's
  ``get_display`` (Rust) and ``arabic_reshaper.reshape`` (default configuration) on the same text;
* peak memory (tracemalloc) of the cold 100 KB layout, the process's peak RSS, and the sanitiser on a
  10 MB body.
"""

from __future__ import annotations

import argparse
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.common import max_rss_mb, median_ms, row, timeit, traced_peak

REPO = Path(__file__).resolve().parent.parent
FEEDS = REPO / "sample_feeds"


def article_paragraphs(limit: int = 100_000) -> list[str]:
    """Unique Arabic paragraphs, about ``limit`` bytes of UTF-8 in all."""
    paragraphs = (FEEDS / "zagros-arabic-erbil-2021-05-22.txt").read_text(encoding="utf-8").split("\n")
    root = ET.parse(FEEDS / "arabic-news.xml").getroot()
    for element in root.iter():
        if element.tag.split("}")[-1] in ("title", "description", "encoded") and element.text:
            text = re.sub(r"<[^>]+>", "\n", element.text)
            paragraphs.extend(html.unescape(p).strip() for p in text.split("\n"))
    out: list[str] = []
    size = 0
    for paragraph in dict.fromkeys(p for p in paragraphs if p):
        if size >= limit:
            break
        out.append(paragraph)
        size += len(paragraph.encode()) + 1
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rtl")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per measurement (median shown)")
    args = parser.parse_args(argv)
    repeat = args.repeat

    import arabic_reshaper
    from bidi import get_display

    from reader.rtl.layout import clear_cache, layout_paragraph
    from reader.rtl.sanitize import sanitize
    from reader.rtl.shape import shape
    from reader.rtl.uba import analyse, line_levels, visual_order

    paragraphs = article_paragraphs()
    text = "\n".join(paragraphs)
    chars = len(text)
    print(f"article: {len(paragraphs)} paragraphs, {len(text.encode()):,} bytes, {chars:,} characters")

    def layout_all(width: int = 80) -> int:
        return sum(len(layout_paragraph(p, width).lines) for p in paragraphs)

    def cold() -> None:
        clear_cache()
        layout_all()

    lines = layout_all()
    cold_ms = median_ms(timeit(cold, repeat=repeat))
    print(f"\n100 KB article at width 80 ({lines} lines)")
    print(row("layout, cold (target <= 100 ms)", cold_ms, "ms"))

    # One screen: the paragraphs that fill the first 60 lines at width 100.
    screen: list[str] = []
    count = 0
    for paragraph in paragraphs:
        screen.append(paragraph)
        count += len(layout_paragraph(paragraph, 100).lines)
        if count >= 60:
            break

    def screen_cold() -> None:
        clear_cache()
        paint()

    def paint() -> int:
        painted = 0
        for paragraph in screen:
            for line in layout_paragraph(paragraph, 100).lines:
                if painted == 60:
                    return painted
                line.pieces()
                painted += 1
        return painted

    screen_cold_ms = median_ms(timeit(screen_cold, repeat=repeat))
    clear_cache()
    paint()
    repaint_ms = median_ms(timeit(paint, repeat=repeat * 10))
    print("\none screen, 60 lines x 100 cells")
    print(row("cold (cache cleared)", screen_cold_ms, "ms"))
    print(row("repaint with the layout cache (target <= 3 ms)", repaint_ms, "ms"))

    print("\nthroughput on the same text (characters per second; ratio to get_display)")
    raw = median_ms(timeit(lambda: [get_display(p) for p in paragraphs], repeat=repeat))
    reshape_ms = median_ms(timeit(lambda: [arabic_reshaper.reshape(p) for p in paragraphs], repeat=repeat))
    naive_ms = median_ms(timeit(lambda: [get_display(arabic_reshaper.reshape(p)) for p in paragraphs],
                                repeat=repeat))
    sanitize_ms = median_ms(timeit(lambda: [sanitize(p) for p in paragraphs], repeat=repeat))
    shape_ms = median_ms(timeit(lambda: [shape(p) for p in paragraphs], repeat=repeat))

    def uba() -> None:
        for p in paragraphs:
            visual_order(line_levels(analyse(p)))

    uba_ms = median_ms(timeit(uba, repeat=repeat))

    def rate(ms: float) -> float:
        return chars / (ms / 1000.0)

    base = rate(raw)
    for label, ms in (
        ("python-bidi get_display (Rust), whole paragraphs", raw),
        ("arabic_reshaper.reshape (default config)", reshape_ms),
        ("reshape + get_display (no wrap, no spans)", naive_ms),
        ("khabar layout_paragraph, cold (all stages)", cold_ms),
        ("  sanitize", sanitize_ms),
        ("  shape (lam-alef only, with index map)", shape_ms),
        ("  UBA: levels + L1/L2 visual order", uba_ms),
    ):
        print(row(label, rate(ms) / 1e6, "M chars/s", base / 1e6))

    print("\nmemory")
    clear_cache()
    _, peak = traced_peak(layout_all)
    print(row("tracemalloc peak, cold 100 KB layout (cache kept)", peak / 2**20, "MiB"))
    body = ("ناقشت رئاسة إقليم كوردستان (22 أيار 2021)، القضاء على داعش في كركوك.\n" * 120_000)[:10_000_000]
    dirty = body[:5_000_000] + "\x1b]0;title\x07\u202e" + body[5_000_000:]
    print(row("sanitize 10 MB clean body", median_ms(timeit(lambda: sanitize(body), repeat=5)), "ms"))
    print(row("sanitize 10 MB body with an escape and an RLO", median_ms(timeit(lambda: sanitize(dirty),
                                                                                 repeat=5)), "ms"))
    print(row("peak RSS of this process", max_rss_mb(), "MiB"))
    return 0
