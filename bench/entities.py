"""Entity extraction: precision, recall and F1 on the gold set (and optionally ANERcorp), speed and memory.

    python -m bench entities [--split dev|heldout|both] [--anercorp PATH] [--errors] [--no-speed]

Scores are exact-match on (start, end, type) per mention, per type and overall, Arabic and English
separately. ANERcorp (150k tokens, IOB tags, no document breaks) is scored on token sequences: PERS is
PERSON, MISC is left out (Khabar has no such type), and the corpus is fed as paragraphs of 200 tokens so the
extractor sees some context. Speed is MB of UTF-8 Arabic news text per second on one core (CPU time), beside
a baseline measured in the same run: just tokenising and folding the same text. The extractor memoises what
it learns about each distinct word, and the timed corpus repeats the 66 articles ten times, so a second
figure gives the first sight of the same articles in a fresh process (every word new to the caches).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.common import max_rss_mb, row, traced_peak

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "entities"
NEWS = Path("/work/shared/data/news/ar")
TYPES = ("PERSON", "ORG", "LOC", "DATE")

Spans = set[tuple[int, int, str]]


def load_gold(split: str) -> list[dict[str, Any]]:
    docs = []
    for path in sorted((GOLD / split).glob("*.json")):
        docs.append(json.loads(path.read_text(encoding="utf-8")))
    return docs


def predicted(text: str, language: str | None) -> Spans:
    from reader.entities import extract

    return {
        (m.span.start, m.span.end, e.type.value) for e in extract(text, language=language) for m in e.mentions
    }


def score(pairs: Iterable[tuple[Spans, Spans]]) -> dict[str, tuple[int, int, int]]:
    """Per type (and ALL): true positives, predicted count, gold count."""
    tp: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for got, want in pairs:
        for _, _, kind in got:
            pred[kind] += 1
        for _, _, kind in want:
            gold[kind] += 1
        for _, _, kind in got & want:
            tp[kind] += 1
    out = {}
    for kind in (*TYPES, "ALL"):
        if kind == "ALL":
            out[kind] = (sum(tp[t] for t in TYPES), sum(pred[t] for t in TYPES), sum(gold[t] for t in TYPES))
        else:
            out[kind] = (tp[kind], pred[kind], gold[kind])
    return out


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def print_table(
    title: str, table: dict[str, tuple[int, int, int]], types: Iterable[str] = (*TYPES, "ALL")
) -> None:
    print(f"\n{title}")
    print(f"  {'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}")
    for kind in types:
        tp, pred, gold = table[kind]
        p, r, f = prf(tp, pred, gold)
        print(f"  {kind:<8}{p:>8.3f}{r:>8.3f}{f:>8.3f}{gold:>7}{pred:>7}")


def gold_set(split: str, show_errors: bool) -> None:
    docs = load_gold(split)
    for language in ("ar", "en"):
        pairs = []
        for doc in docs:
            if doc["language"] != language:
                continue
            text = str(doc["text"])
            want = {(int(e["start"]), int(e["end"]), str(e["type"])) for e in doc["entities"]}
            got = predicted(text, language)
            pairs.append((got, want))
            if show_errors:
                for s, e, k in sorted(got - want):
                    print(f"  FP {doc['id'][:28]:<28} {k:<7} {text[s:e]!r}")
                for s, e, k in sorted(want - got):
                    print(f"  FN {doc['id'][:28]:<28} {k:<7} {text[s:e]!r}")
        count = sum(1 for d in docs if d["language"] == language)
        print_table(
            f"{split} / {'Arabic' if language == 'ar' else 'English'} ({count} documents)", score(pairs)
        )


def read_anercorp(path: Path) -> list[tuple[str, str]]:
    """Token and tag per line; ``path`` is the corpus file or the folder that holds ``ANERCorp``."""
    if path.is_dir():
        path = path / "ANERCorp"
    tokens = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            tokens.append((parts[0], parts[-1]))
    return tokens


def anercorp(path: Path, chunk: int = 200) -> None:
    """Score on ANERcorp: token-sequence exact match per type; MISC reported but not predicted."""
    from reader.entities import extract

    tokens = read_anercorp(path)
    mapping = {"PERS": "PERSON", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
    pairs = []
    misc = 0
    for base in range(0, len(tokens), chunk):
        part = tokens[base : base + chunk]
        offsets = []
        pos = 0
        for word, _ in part:
            offsets.append((pos, pos + len(word)))
            pos += len(word) + 1
        text = " ".join(w for w, _ in part)
        want: Spans = set()
        current: list[int] | None = None
        kind = ""
        for index, (_, tag) in enumerate([*part, ("", "O")]):
            if current is not None and not (tag.startswith("I-") and mapping.get(tag[2:]) == kind):
                want.add((current[0], current[1], kind))
                current = None
            if tag.startswith("B-") or (tag.startswith("I-") and current is None and tag[2:] in mapping):
                kind = mapping.get(tag[2:], "")
                current = [index, index + 1]
            elif tag.startswith("I-") and current is not None:
                current[1] = index + 1
        misc += sum(1 for s in want if s[2] == "MISC")
        want = {s for s in want if s[2] != "MISC"}
        starts = {s: i for i, (s, _) in enumerate(offsets)}
        ends = {e: i + 1 for i, (_, e) in enumerate(offsets)}
        got: Spans = set()
        for entity in extract(text, language="ar"):
            if entity.type.value not in ("PERSON", "ORG", "LOC"):
                continue
            for mention in entity.mentions:
                s, e = mention.span.start, mention.span.end
                # a mention that starts after a proclitic inside an ANERcorp token counts from that token
                i = starts.get(s, next((k for k, (a, b) in enumerate(offsets) if a <= s < b), -1))
                j = ends.get(e, next((k + 1 for k, (a, b) in enumerate(offsets) if a < e <= b), -1))
                if i >= 0 and j > i:
                    got.add((i, j, entity.type.value))
        pairs.append((got, want))
    table = score(pairs)
    print_table(
        f"ANERcorp ({len(tokens)} tokens, chunks of {chunk}; {misc} MISC spans not scored)",
        table,
        ("PERSON", "ORG", "LOC", "ALL"),
    )


def news_texts() -> list[str]:
    texts = []
    for path in sorted(NEWS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        texts.append(raw.split("<TEXT>", 1)[-1].split("</TEXT>", 1)[0].strip())
    return texts


_FIRST_SIGHT = """
import time
from bench.entities import news_texts
from reader.entities import extract, lexicon
lexicon.arabic(), lexicon.english()
extract("وصل الرئيس في 22 أيار 2021", language="ar")  # compiles the date patterns
texts = news_texts()
start = time.process_time()
for text in texts:
    extract(text, language="ar")
print(time.process_time() - start)
"""


def first_sight_seconds() -> float:
    """CPU seconds of one pass over the articles in a fresh process: gazetteers loaded and patterns
    compiled (once per process), but no word of the articles seen yet."""
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_SIGHT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def speed() -> None:
    from reader.entities import extract
    from reader.entities.text import tokenize_columns

    texts = news_texts()
    corpus = texts * 10
    size = sum(len(t.encode("utf-8")) for t in corpus)
    extract(texts[0], language="ar")  # load the gazetteers outside the timing

    def run_all() -> None:
        for text in corpus:
            extract(text, language="ar")

    def baseline() -> None:
        for text in corpus:
            for paragraph in text.split("\n"):
                tokenize_columns(paragraph)

    # CPU seconds of this process: "one core", and steady when other processes share the machine
    times = []
    for _ in range(3):
        start = time.process_time()
        run_all()
        times.append(time.process_time() - start)
    base_times = []
    for _ in range(3):
        start = time.process_time()
        baseline()
        base_times.append(time.process_time() - start)
    best = sorted(times)[1]
    base = sorted(base_times)[1]
    print(
        f"\nSpeed: {len(corpus)} Arabic articles, {size / 1e6:.2f} MB of UTF-8, median of 3 runs,"
        " CPU time of one core"
    )
    print(row("extract (MB/s)", size / 1e6 / best, "MB/s"))
    once = sum(len(t.encode("utf-8")) for t in texts)
    first = statistics.median(first_sight_seconds() for _ in range(3))
    print(row(f"extract, first sight ({len(texts)} articles once, MB/s)", once / 1e6 / first, "MB/s"))
    print(row("baseline: tokenise and fold only (MB/s)", size / 1e6 / base, "MB/s"))
    print(row("per article", best / len(corpus) * 1000, "ms"))
    _, peak = traced_peak(lambda: extract(" ".join(texts), language="ar"))
    print(row("peak Python allocation, one 300 KB text", peak / 1e6, "MB"))
    print(row("process peak RSS", max_rss_mb(), "MiB"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench entities")
    parser.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    parser.add_argument("--anercorp", type=Path, metavar="PATH", help="score on ANERcorp (token TAG lines)")
    parser.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)
    splits = ("dev", "heldout") if args.split == "both" else (args.split,)
    start = time.perf_counter()
    for split in splits:
        gold_set(split, args.errors)
    if args.anercorp:
        anercorp(args.anercorp)
    if not args.no_speed:
        speed()
    print(f"\n(total {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
