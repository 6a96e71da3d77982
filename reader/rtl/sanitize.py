"""The one sanitiser for untrusted text: every text field a feed, an importer or a server gives Khabar.

Feed text is written by strangers and ends up on a terminal, so it must never be able to drive that
terminal. ``sanitize`` runs once, at ingestion, in every bidi mode, on titles, authors, bodies, link texts,
feed titles and error messages that quote feed content. The layout functions call it again defensively;
it is idempotent, so offsets into already-clean text stay valid.

What it does, and why:

* **Escape sequences are dropped whole**, not just their ESC byte: a lone ESC removed from ``ESC[2J``
  would leave ``[2J`` litter in a title. Recognised: CSI (7-bit ``ESC [`` and 8-bit U+009B) with its
  parameter, intermediate and final bytes; the string controls OSC, DCS, SOS, PM and APC up to their
  terminator (BEL, ST ``ESC \\`` or U+009C), or to the end of the line when an ``ESC``-introduced one is
  unterminated, because a terminal would swallow everything after it; and every other ``ESC x``. An
  unterminated 8-bit introducer (U+0090, U+0098, U+009D-U+009F) is dropped alone: without it the text
  after it is inert, and such code points are usually cp1252 punctuation decoded with the wrong charset.
* **C0 and C1 controls and DEL are dropped**, NUL included. Line breaks (LF, CR LF, lone CR, VT, FF,
  NEL, U+2028, U+2029) become ``\\n`` in multi-line fields and a space in single-line ones. Tabs are
  expanded to spaces (tab stops every 8 columns), so widths are known before layout.
* **Lone surrogates are dropped**: they come from undecodable bytes and cannot be encoded for output.
* **Explicit bidi controls are balanced per paragraph** (per line in multi-line text, the whole field
  otherwise). Embeddings and overrides (LRE, RLE, LRO, RLO) and isolates (LRI, RLI, FSI) that are never
  closed get their PDF or PDI appended at the end of the paragraph; a PDF or PDI with nothing to close is
  dropped; nesting deeper than ``MAX_BIDI_DEPTH`` is dropped with its closer. So the controls may still
  shape the order inside their own paragraph, as their author meant, but can never reach past it: not
  into the next line, not into a neighbouring column (Trojan Source, CVE-2021-42574). The layout engine
  never emits them (nor LRM, RLM and ALM, which are kept in the text because they are ordinary strong
  characters with no scope and real Arabic, Persian and Hebrew text uses them).

The work is done with compiled regular expressions and ``str.translate``; clean text (the common case)
costs one regex scan, so a 10 MB body is cheap.
"""

from __future__ import annotations

import re

__all__ = ["BIDI_EMBEDDING_CONTROLS", "BIDI_MARKS", "MAX_BIDI_DEPTH", "balance_bidi", "drop_escapes",
           "sanitize"]

BIDI_EMBEDDING_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI: the controls with a scope, balanced per paragraph."""
BIDI_MARKS = "\u200e\u200f\u061c"
"""LRM, RLM, ALM: zero-width strong characters without scope; kept in text, never emitted by layout."""
MAX_BIDI_DEPTH = 60
"""Deepest nesting of embeddings and isolates kept; UBA itself stops at 125 levels, real text uses 1-3."""

_LRE, _RLE, _PDF, _LRO, _RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
_LRI, _RLI, _FSI, _PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_OPEN_EMBED = frozenset((_LRE, _RLE, _LRO, _RLO))
_OPEN_ISOLATE = frozenset((_LRI, _RLI, _FSI))

# Anything that needs work. Clean text matches nothing and is returned as it is.
_DIRTY = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + BIDI_EMBEDDING_CONTROLS + "]"
)
_DIRTY_SINGLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + BIDI_EMBEDDING_CONTROLS + "]"
)

# Escape sequences, dropped whole. 7-bit forms: string controls (OSC, DCS, SOS, PM, APC) run to BEL, ST
# (ESC \\ or U+009C) or, when unterminated, to the end of the line, since a terminal would swallow what
# follows; then CSI with its parameter, intermediate and final bytes; then any other ESC sequence. The
# pattern starts with a literal ESC so the regex engine skips clean text at memchr speed.
_ESCAPES_7BIT = re.compile(
    r"""\x1b(?:
        [\]PX^_][^\x07\x9c\x1b\n\r]*(?:\x07|\x9c|\x1b\\|(?=\x1b)|(?=[\n\r])|$)
      | \[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?
      | [\x20-\x2f]*[\x30-\x7e]?
    )""",
    re.VERBOSE,
)
# 8-bit forms: CSI (U+009B) whole; string controls only when terminated. Alone, these code points are
# usually mis-decoded cp1252 punctuation, and dropping the one control (below) is then enough to be safe.
_ESCAPES_8BIT = re.compile(
    r"""\x9b[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?
      | [\x90\x98\x9d\x9e\x9f][^\x07\x9c\x1b\n\r\x90\x98\x9d\x9e\x9f]*+(?:\x07|\x9c|\x1b\\)""",
    re.VERBOSE,
)
_C1_INTRODUCER = re.compile("[\x90\x98\x9b\x9d\x9e\x9f]")


_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")

# Every C0 and C1 control except LF and TAB (handled separately), DEL and lone surrogates. A regex
# rather than str.translate: translate looks every character of a non-ASCII text up in its table, which
# is five times slower on a 10 MB body.
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]+")

_BIDI_CONTROL = re.compile("[" + BIDI_EMBEDDING_CONTROLS + "]")


def sanitize(text: str, *, multiline: bool = True, tabsize: int = 8) -> str:
    """Make untrusted ``text`` safe to store and to show on a terminal (see the module docstring).

    ``multiline`` keeps line breaks as ``\\n`` (bodies, preformatted text); otherwise every line break
    becomes a space (titles, authors, link texts, feed titles). The result contains no control character
    other than ``\\n``, no escape sequence and only balanced explicit bidi controls; applying ``sanitize``
    again returns it unchanged.
    """
    dirty = _DIRTY if multiline else _DIRTY_SINGLE
    if not dirty.search(text):
        if "\t" in text:
            return text.expandtabs(tabsize)
        return text
    text = drop_escapes(text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _DROP.sub("", text)
    if not multiline:
        text = text.replace("\n", " ")
    if "\t" in text:
        text = text.expandtabs(tabsize)
    if _BIDI_CONTROL.search(text):
        text = _balance_lines(text)
    return text


def drop_escapes(text: str) -> str:
    """Only the first step of ``sanitize``: every escape sequence removed whole, everything else kept.
    For markup, where a sequence's bytes could read as a tag ('ESC[<A'), before it is parsed; its text
    is sanitised in full afterwards."""
    if _C1_INTRODUCER.search(text):
        text = _ESCAPES_8BIT.sub("", text)
    if "\x1b" in text:
        text = _ESCAPES_7BIT.sub("", text)
    return text


def _balance_lines(text: str) -> str:
    """Balance bidi controls line by line, touching only the lines that contain one."""
    out: list[str] = []
    pos = 0
    search = _BIDI_CONTROL.search
    while (match := search(text, pos)) is not None:
        line_start = text.rfind("\n", pos, match.start()) + 1 or pos
        line_end = text.find("\n", match.start())
        if line_end == -1:
            line_end = len(text)
        out.append(text[pos:line_start])
        out.append(balance_bidi(text[line_start:line_end]))
        pos = line_end
    out.append(text[pos:])
    return "".join(out)


def balance_bidi(paragraph: str) -> str:
    """Balance the explicit bidi controls of one paragraph (no newline inside).

    Follows the UBA's own matching rules (X6a, X7): a PDI closes the nearest open isolate and any
    embeddings opened inside it; a PDF closes the innermost embedding only if no isolate was opened after
    it. Unmatched closers are dropped, unclosed openers are closed at the end, and openers beyond
    ``MAX_BIDI_DEPTH`` are dropped together with their closers.
    """
    out: list[str] = []
    stack: list[str] = []  # "E" for an embedding/override, "I" for an isolate
    overflow_embed = 0
    overflow_isolate = 0
    pos = 0
    for match in _BIDI_CONTROL.finditer(paragraph):
        start = match.start()
        out.append(paragraph[pos:start])
        pos = start + 1
        ch = paragraph[start]
        if ch in _OPEN_EMBED:
            if overflow_isolate or overflow_embed or len(stack) >= MAX_BIDI_DEPTH:
                if not overflow_isolate:
                    overflow_embed += 1
                continue
            stack.append("E")
            out.append(ch)
        elif ch in _OPEN_ISOLATE:
            if overflow_isolate or overflow_embed or len(stack) >= MAX_BIDI_DEPTH:
                overflow_isolate += 1
                continue
            stack.append("I")
            out.append(ch)
        elif ch == _PDF:
            if overflow_isolate:
                continue
            if overflow_embed:
                overflow_embed -= 1
                continue
            if stack and stack[-1] == "E":
                stack.pop()
                out.append(ch)
        else:  # PDI
            if overflow_isolate:
                overflow_isolate -= 1
                continue
            if "I" not in stack:
                continue
            overflow_embed = 0
            while stack.pop() != "I":
                out.append(_PDF)
            out.append(ch)
    out.append(paragraph[pos:])
    for kind in reversed(stack):
        out.append(_PDF if kind == "E" else _PDI)
    return "".join(out)
