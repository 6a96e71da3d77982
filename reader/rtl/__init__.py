"""Khabar's RTL text engine: Arabic, Persian, Urdu, Hebrew and Kurdish shown correctly in any terminal.

A terminal draws cells left to right and most terminals neither shape Arabic nor apply the Unicode
Bidirectional Algorithm, so Khabar hands them text that is already shaped and in visual order, line by
line. Pure functions, no I/O; never imports Textual (``rich.cells`` only, for widths).

The pipeline for one paragraph: sanitise -> base direction (UBA P2-P3, or forced) -> shape (presentation
forms, lam-alef ligatures only) -> wrap in logical order at the shaped width -> per line: UBA levels
(X1-I2 on the paragraph, L1-L2 per line), marks after their base (L3), mirrored brackets (L4) -> align
(RTL flush right). Spans over logical offsets come out in visual cell coordinates.

Public API (stable names; import from the submodule, or from here, which loads it lazily):

``reader.rtl.sanitize``
    ``sanitize(text, *, multiline=True) -> str``: the one sanitiser every ingested text field goes through.
``reader.rtl.layout``
    ``layout_paragraph(text, width, *, base="auto", mode="app", strip_harakat=False, spans=())
    -> ParagraphLayout``: ``.lines`` of ``VisualLine`` (``text`` to print, ``cells``, ``pad``, ``rtl``,
    ``spans`` as ``VisualSpan(start_cell, end_cell, kind)``, ``logical`` visual-to-logical map, ``start``,
    ``end``; ``padded`` and ``pieces()`` helpers), ``.direction``, ``.width``, ``.text``.
    ``visual_line(text, width, *, base, mode, strip_harakat, spans, ellipsis="…") -> VisualLine``: one
    line for titles and list columns, truncated at its logical end.
    ``layout_text(text, width, ...) -> list[ParagraphLayout]``: one paragraph per input line.
    ``clear_cache()``. Modes: ``app``, ``terminal``, ``off`` (``auto`` is treated as ``app``).
``reader.rtl.terminal``
    ``detect_bidi_mode(env) -> Decision`` (``mode``, ``terminal``, ``reason``, ``switchable``,
    ``single_pane``, ``notice``), ``resolve_bidi_mode(setting, env) -> str``, ``BDSM_EXPLICIT``
    (``CSI 8 l``), ``BDSM_IMPLICIT`` (``CSI 8 h``), ``bidi_switch_sequences(mode) -> (enter, leave)``,
    ``explicit_bidi(stream)`` context manager (restores on exit, exceptions, SIGTERM, Ctrl+Z).
``reader.rtl.uba``
    ``analyse(text, level=None) -> BidiParagraph`` (resolved levels), ``line_levels``, ``visual_order``,
    ``bidi_classes``, ``first_strong``: the UBA itself, checked against all of BidiCharacterTest.txt.
``reader.rtl.shape``
    ``shape(text, *, harakat=True) -> Shaped(text, src, removed)``.
``reader.rtl.wrap``
    ``wrap(text, width) -> list[tuple[int, int]]``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.rtl.layout import (
        ParagraphLayout,
        VisualLine,
        VisualSpan,
        clear_cache,
        layout_paragraph,
        layout_text,
        visual_line,
    )
    from reader.rtl.sanitize import sanitize
    from reader.rtl.terminal import (
        BDSM_EXPLICIT,
        BDSM_IMPLICIT,
        Decision,
        bidi_switch_sequences,
        detect_bidi_mode,
        explicit_bidi,
        resolve_bidi_mode,
    )

_EXPORTS = {
    "sanitize": "reader.rtl.sanitize",
    "ParagraphLayout": "reader.rtl.layout",
    "VisualLine": "reader.rtl.layout",
    "VisualSpan": "reader.rtl.layout",
    "clear_cache": "reader.rtl.layout",
    "layout_paragraph": "reader.rtl.layout",
    "layout_text": "reader.rtl.layout",
    "visual_line": "reader.rtl.layout",
    "BDSM_EXPLICIT": "reader.rtl.terminal",
    "BDSM_IMPLICIT": "reader.rtl.terminal",
    "Decision": "reader.rtl.terminal",
    "bidi_switch_sequences": "reader.rtl.terminal",
    "detect_bidi_mode": "reader.rtl.terminal",
    "explicit_bidi": "reader.rtl.terminal",
    "resolve_bidi_mode": "reader.rtl.terminal",
}

__all__ = [
    "BDSM_EXPLICIT",
    "BDSM_IMPLICIT",
    "Decision",
    "ParagraphLayout",
    "VisualLine",
    "VisualSpan",
    "bidi_switch_sequences",
    "clear_cache",
    "detect_bidi_mode",
    "explicit_bidi",
    "layout_paragraph",
    "layout_text",
    "resolve_bidi_mode",
    "sanitize",
    "visual_line",
]


def __getattr__(name: str) -> Any:
    """Load the submodule that defines ``name`` on first use, so ``import reader.rtl.sanitize`` (which
    ingestion does for every feed) does not pay for the layout engine's tables."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reader.rtl' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
