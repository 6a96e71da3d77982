"""Shared timing helpers for the benchmarks: medians over repeated runs and peak memory."""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timeit(fn: Callable[[], object], *, repeat: int = 20, warmup: int = 1) -> list[float]:
    """Run ``fn`` ``repeat`` times after ``warmup`` runs; return each run's seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def median_ms(times: list[float]) -> float:
    """Median of ``times`` in milliseconds."""
    return statistics.median(times) * 1000.0


def traced_peak(fn: Callable[[], T]) -> tuple[T, int]:
    """Run ``fn`` under tracemalloc; return its result and the peak Python allocation in bytes."""
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def max_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def row(label: str, value: float, unit: str, baseline: float | None = None) -> str:
    """Format one result line, with the ratio to ``baseline`` when given."""
    text = f"{label:<48} {value:>10.2f} {unit}"
    if baseline:
        text += f"   ({value / baseline:.2f}x baseline)"
    return text
