"""Where a query matched, in offsets of the text as written: snippets and highlight spans.

The index knows only folded text, and FTS5's own ``snippet()`` cannot run on a contentless table and would
give folded offsets anyway. So matches are found again here: each positive query term becomes a regex over
folded text (``query.term_pattern``, the same clitic variants the FTS5 query used), run on the fast fold of
each block; only the blocks that match are folded again with an offset map (``textfold.fold_offsets``) to
carry the offsets back to the original characters, harakat included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.model import Block, Span
from reader.store.query import Term, parse, positive_terms, term_pattern
from reader.store.textfold import fast_fold, fold_offsets

SNIPPET_CHARS = 200
"""Longest snippet, in code points: two lines of a list pane."""
SPAN_KIND = "search"


def patterns(terms: Sequence[Term]) -> list[re.Pattern[str]]:
    return [term_pattern(t) for t in terms]


def _spans(text: str, pats: Sequence[re.Pattern[str]]) -> list[Span]:
    """Matches of any pattern in ``text``, as sorted, merged spans over the original text."""
    folded, origin = fold_offsets(text)
    found: list[tuple[int, int]] = []
    for pat in pats:
        for m in pat.finditer(folded):
            if m.end() == m.start():
                continue
            start = origin(m.start())
            end = max(origin(m.end()), origin(m.end() - 1) + 1)
            found.append((start, end))
    found.sort()
    merged: list[Span] = []
    for start, end in found:
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, end, SPAN_KIND)
        else:
            merged.append(Span(start, end, SPAN_KIND))
    return merged


def match_spans(text: str, query: str) -> tuple[Span, ...]:
    """Every match of a search query in ``text`` (a title, or an article's body text), as spans over
    ``text`` as written. For the article view; raises ``QueryError`` like the search itself."""
    pats = patterns(positive_terms(parse(query)))
    out: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        if any(p.search(fast_fold(line)) for p in pats):
            out.extend(Span(s.start + pos, s.end + pos, s.kind) for s in _spans(line, pats))
        pos += len(line) + 1
    return tuple(out)


def snippet(blocks: Sequence[Block], pats: Sequence[re.Pattern[str]]
            ) -> tuple[str, int, tuple[Span, ...]]:
    """(excerpt, its offset in the body text, highlights relative to the excerpt) from the block where
    most distinct terms match; the body's opening when no block does."""
    best, best_score, offset, best_offset = -1, 0, 0, 0
    for i, block in enumerate(blocks):
        folded = fast_fold(block.text)
        score = sum(1 for p in pats if p.search(folded))
        if score > best_score:
            best, best_score, best_offset = i, score, offset
            if score == len(pats):  # no later block can beat it: the first best one wins anyway
                break
        offset += len(block.text) + 1
    if best < 0:
        offset = 0
        for block in blocks:
            if block.text.strip():
                return _cut(block.text, offset, [])
            offset += len(block.text) + 1
        return "", 0, ()
    text = blocks[best].text
    return _cut(text, best_offset, _spans(text, pats))


def _cut(text: str, offset: int, spans: list[Span]) -> tuple[str, int, tuple[Span, ...]]:
    """At most SNIPPET_CHARS of ``text`` around its first match, cut at spaces where possible."""
    if len(text) <= SNIPPET_CHARS:
        start, end = 0, len(text)
    else:
        first = spans[0].start if spans else 0
        start = max(0, first - SNIPPET_CHARS // 4)
        if start:
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if space >= 0 and first - space < SNIPPET_CHARS // 2 else start
        end = min(len(text), start + SNIPPET_CHARS)
        if end < len(text):
            space = text.rfind(" ", start, end)
            if space > start + SNIPPET_CHARS // 2:
                end = space
    inside = tuple(Span(s.start - start, min(s.end, end) - start, s.kind)
                   for s in spans if s.start >= start and s.start < end)
    return text[start:end], offset + start, inside


def title_spans(title: str, pats: Sequence[re.Pattern[str]]) -> tuple[Span, ...]:
    if not any(p.search(fast_fold(title)) for p in pats):
        return ()
    return tuple(_spans(title, pats))
