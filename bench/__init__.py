"""Benchmarks, run by hand: ``python -m bench NAME [options]`` (or ``python -m bench.NAME``).

Each prints medians, and ratios against a baseline measured in the same run; figures go in BENCHMARKS.md.
Benchmarks are never part of the test suite: machines here are noisy.
"""
