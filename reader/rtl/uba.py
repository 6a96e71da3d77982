"""The Unicode Bidirectional Algorithm (UAX #9), rules P2-P3, X1-X10, W1-W7, N0-N2, I1-I2, L1 and L2.

Why our own: python-bidi 0.6's fast ``get_display`` returns only a string (no levels, no index map) and
its legacy pure-Python module lacks bracket pairing (N0), yet spans, mirroring (L4) and mark placement (L3)
need resolved levels and a logical-to-visual map. A textbook per-character implementation in Python is far
too slow for a 100 KB article, so this one works on a *class string*: every code point's Bidi_Class mapped
(by ``str.translate``) to one ASCII letter, on which the weak and neutral rules are a handful of compiled
regular expressions. The explicit rules (X1-X8) loop only over the explicit formatting characters, which
most paragraphs do not contain; bracket pairing (N0) loops only over brackets. Pure-LTR and pure-RTL
paragraphs skip everything. The result is checked against every line of the Unicode conformance file
``BidiCharacterTest.txt`` (``tests/rtl/test_conformance.py``).

Bidi classes come from ``unicodedata.bidirectional`` (the Unicode version of the running Python), with
the UCD's documented defaults for unassigned code points (Hebrew and Arabic blocks default to R and AL).

Class codes used in the class strings::

    L  R  A=AL  E=EN  S=ES  T=ET  N=AN  C=CS  M=NSM  b=BN  B  s=S  w=WS  o=ON
    1=LRE 2=RLE 3=LRO 4=RLO 5=PDF 6=LRI 7=RLI 8=FSI 9=PDI
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "BidiParagraph",
    "analyse",
    "bidi_classes",
    "first_strong",
    "line_levels",
    "reset_whitespace",
    "visual_order",
]

MAX_DEPTH = 125
"""The UBA's maximum explicit embedding depth (BD2)."""

_CODES: dict[str, str] = {
    "L": "L", "R": "R", "AL": "A", "EN": "E", "ES": "S", "ET": "T", "AN": "N", "CS": "C", "NSM": "M",
    "BN": "b", "B": "B", "S": "s", "WS": "w", "ON": "o",
    "LRE": "1", "RLE": "2", "LRO": "3", "RLO": "4", "PDF": "5",
    "LRI": "6", "RLI": "7", "FSI": "8", "PDI": "9",
}

# Default Bidi_Class of unassigned code points (DerivedBidiClass.txt, Unicode 15): R and AL blocks,
# the currency block, and default-ignorable/noncharacter code points as BN. Everything else defaults to L.
_DEFAULT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x05FF, "R"), (0x0600, 0x07BF, "AL"), (0x07C0, 0x085F, "R"), (0x0860, 0x08FF, "AL"),
    (0x20A0, 0x20CF, "ET"), (0xFB1D, 0xFB4F, "R"), (0xFB50, 0xFDCF, "AL"), (0xFDD0, 0xFDEF, "BN"),
    (0xFDF0, 0xFDFF, "AL"), (0xFE70, 0xFEFF, "AL"), (0x10800, 0x10CFF, "R"), (0x10D00, 0x10D3F, "AL"),
    (0x10D40, 0x10EBF, "R"), (0x10EC0, 0x10EFF, "AL"), (0x10F00, 0x10F2F, "R"), (0x10F30, 0x10F6F, "AL"),
    (0x10F70, 0x10FFF, "R"), (0x1E800, 0x1EC6F, "R"), (0x1EC70, 0x1ECBF, "AL"), (0x1ECC0, 0x1ECFF, "R"),
    (0x1ED00, 0x1ED4F, "AL"), (0x1ED50, 0x1EDFF, "R"), (0x1EE00, 0x1EEFF, "AL"), (0x1EF00, 0x1EFFF, "R"),
    (0x2060, 0x206F, "BN"), (0xFFF0, 0xFFF8, "BN"), (0x1BCA0, 0x1BCA3, "BN"), (0x1D173, 0x1D17A, "BN"),
    (0xE0000, 0xE0FFF, "BN"),
)


def _bidi_class(cp: int) -> str:
    cls = unicodedata.bidirectional(chr(cp))
    if cls:
        return cls
    if (cp & 0xFFFE) == 0xFFFE:
        return "BN"
    for start, end, default in _DEFAULT_RANGES:
        if start <= cp <= end:
            return default
    return "L"


class _ClassTable(dict[int, str]):
    """A ``str.translate`` table from code point to class code, filled lazily and bounded in size."""

    def __missing__(self, cp: int) -> str:
        code = _CODES[_bidi_class(cp)]
        if len(self) < 200_000:
            self[cp] = code
        return code


_CLASS_TABLE = _ClassTable()
for _cp in range(0x80):
    _CLASS_TABLE[_cp] = _CODES[_bidi_class(_cp)]


def bidi_classes(text: str) -> str:
    """The class string of ``text``: one class code (see the module docstring) per code point."""
    return text.translate(_CLASS_TABLE)


@dataclass(frozen=True, slots=True)
class BidiParagraph:
    """One paragraph after the UBA's paragraph-level rules (everything up to I2)."""

    text: str
    """The paragraph's logical text."""
    classes: str
    """Its original class string, one code per code point (used by L1, and to find X9-removed ones)."""
    levels: bytes
    """The resolved embedding level of each code point. Characters removed by X9 (BN and the embedding
    controls) carry the level of the character before them, which is where they would be shown."""
    level: int
    """The paragraph embedding level: 0 for LTR, 1 for RTL."""

    @property
    def rtl(self) -> bool:
        """True when the paragraph direction is right-to-left."""
        return bool(self.level & 1)


# -- regular expressions over class strings -----------------------------------------------------------

_STRONG = re.compile("[LRA]")
_STRONG_OR_ISOLATE = re.compile("[LRA678]")
_ISOLATE_CONTROL = re.compile("[6789]")
_EXPLICIT = re.compile("[1-9]")
_EXPLICIT_OR_B = re.compile("[1-9B]")
_NOT_PURE_LTR = re.compile("[RAN1-9]")
_NOT_PURE_RTL = re.compile("[LEN1-9]")
_REMOVED_RUN = re.compile("[1-5b]+")
_NSM_RUN = re.compile("([^M])(M+)")
_AL_SPAN = re.compile("A[^LR]*")  # from an AL up to the next L or R: AL is the last strong there
_ES_CS_BETWEEN_EN = re.compile("(?<=E)[SC](?=E)")
_CS_BETWEEN_AN = re.compile("(?<=N)C(?=N)")
_ET_BY_EN = re.compile("(?<!T)T++(?=E)|(?<=E)T++")  # anchored at run starts: linear on long runs
_L_SPAN = re.compile("L[^R]*")  # from an L up to the next R: L is the last strong there
_SINGLE_NEUTRAL_L = re.compile("(?<=L)[Bswo6789](?=L)")
_SINGLE_NEUTRAL_R = re.compile("(?<=[REN])[Bswo6789](?=[REN])")
_NEUTRAL_RUN = re.compile("(?<=([LREN]))([Bswo6789]+)(?=([LREN]))")
_LEVEL_RUN = re.compile(rb"(.)\1*", re.DOTALL)

_W6 = str.maketrans("STC", "ooo")
# X6: overrides change every class except B, BN, the embedding controls and the isolate controls.
_TO_L = str.maketrans({c: "L" for c in "RAENSTCMswo"})
_TO_R = str.maketrans({c: "R" for c in "LAENSTCMswo"})
_STRONG_DIRS = bytes.maketrans(b"LRENo", b"LRRR.")


def _level_table(level: int) -> bytes:
    """I1/I2 as a bytes translation table from resolved class code to embedding level."""
    table = bytearray([level]) * 256
    if level & 1:
        table[ord("L")] = table[ord("E")] = table[ord("N")] = level + 1
    else:
        table[ord("R")] = level + 1
        table[ord("E")] = table[ord("N")] = level + 2
    return bytes(table)


_LEVEL_TABLES = [_level_table(level) for level in range(MAX_DEPTH + 2)]


# -- P2, P3 and BD9 -------------------------------------------------------------------------------------

def match_isolates(classes: str) -> dict[int, int]:
    """BD9: the position of each isolate initiator's matching PDI (initiators without one are absent)."""
    matches: dict[int, int] = {}
    stack: list[int] = []
    for m in _ISOLATE_CONTROL.finditer(classes):
        i = m.start()
        if classes[i] == "9":
            if stack:
                matches[stack.pop()] = i
        else:
            stack.append(i)
    return matches


def first_strong(classes: str, start: int = 0, end: int | None = None,
                 matches: dict[int, int] | None = None) -> str | None:
    """P2: the first strong class ("L", or "R" for R and AL) in ``classes[start:end]``, skipping isolates
    (an isolate initiator up to its matching PDI, or to the end when it has none); None when there is none.
    """
    stop = len(classes) if end is None else end
    if not _ISOLATE_CONTROL.search(classes, start, stop):
        m = _STRONG.search(classes, start, stop)
        return None if m is None else ("L" if m.group() == "L" else "R")
    if matches is None:
        matches = match_isolates(classes)
    pos = start
    while (m := _STRONG_OR_ISOLATE.search(classes, pos, stop)) is not None:
        code = m.group()
        if code in "LRA":
            return "L" if code == "L" else "R"
        closing = matches.get(m.start())
        if closing is None or closing >= stop:
            return None
        pos = closing + 1
    return None


def paragraph_level(classes: str) -> int:
    """P2-P3: 1 when the first strong character (outside isolates) is R or AL, else 0."""
    return 1 if first_strong(classes) == "R" else 0


# -- X1-X8 ---------------------------------------------------------------------------------------------

def _explicit_levels(classes: str, level: int) -> tuple[bytearray, str]:
    """X1-X8: embedding levels from explicit formatting characters, and the class string with directional
    overrides applied (X6; X5a-X5c and X6a for isolate initiators and PDIs)."""
    n = len(classes)
    levels = bytearray(n)
    pieces: list[str] = []
    # Directional status stack entries: (embedding level, override "L"/"R"/"", isolate status).
    stack: list[tuple[int, str, bool]] = [(level, "", False)]
    overflow_isolate = overflow_embed = valid_isolate = 0
    matches: dict[int, int] | None = None
    pos = 0
    for m in _EXPLICIT_OR_B.finditer(classes):
        i = m.start()
        cur_level, override, _ = stack[-1]
        if i > pos:
            levels[pos:i] = bytes((cur_level,)) * (i - pos)
            segment = classes[pos:i]
            if override:
                segment = segment.translate(_TO_L if override == "L" else _TO_R)
            pieces.append(segment)
        code = classes[i]
        pos = i + 1
        if code in "1234":  # X2-X5: LRE, RLE, LRO, RLO
            levels[i] = cur_level
            pieces.append(code)
            new = (cur_level + 1) | 1 if code in "24" else (cur_level + 2) & ~1
            if new <= MAX_DEPTH and not overflow_isolate and not overflow_embed:
                stack.append((new, "L" if code == "3" else "R" if code == "4" else "", False))
            elif not overflow_isolate:
                overflow_embed += 1
        elif code in "678":  # X5a-X5c: LRI, RLI, FSI
            levels[i] = cur_level
            pieces.append(override or code)
            if code == "8":
                if matches is None:
                    matches = match_isolates(classes)
                rtl = first_strong(classes, i + 1, matches.get(i, n), matches) == "R"
            else:
                rtl = code == "7"
            new = (cur_level + 1) | 1 if rtl else (cur_level + 2) & ~1
            if new <= MAX_DEPTH and not overflow_isolate and not overflow_embed:
                valid_isolate += 1
                stack.append((new, "", True))
            else:
                overflow_isolate += 1
        elif code == "9":  # X6a: PDI
            if overflow_isolate:
                overflow_isolate -= 1
            elif valid_isolate:
                overflow_embed = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolate -= 1
            cur_level, override, _ = stack[-1]
            levels[i] = cur_level
            pieces.append(override or code)
        elif code == "5":  # X7: PDF
            if not overflow_isolate:
                if overflow_embed:
                    overflow_embed -= 1
                elif not stack[-1][2] and len(stack) >= 2:
                    stack.pop()
            levels[i] = stack[-1][0]
            pieces.append(code)
        else:  # X8: a paragraph separator ends everything
            levels[i] = level
            pieces.append(code)
            stack = [(level, "", False)]
            overflow_isolate = overflow_embed = valid_isolate = 0
    if pos < n:
        cur_level, override, _ = stack[-1]
        levels[pos:] = bytes((cur_level,)) * (n - pos)
        segment = classes[pos:]
        if override:
            segment = segment.translate(_TO_L if override == "L" else _TO_R)
        pieces.append(segment)
    return levels, "".join(pieces)


# -- W1-W7, N0-N2, I1-I2 on one isolating run sequence ---------------------------------------------------

def _w1(m: re.Match[str]) -> str:
    prev = m.group(1)
    return prev + ("o" if prev in "6789" else prev) * len(m.group(2))


def _w2(m: re.Match[str]) -> str:
    return m.group().replace("E", "N")


def _w5(m: re.Match[str]) -> str:
    return "E" * len(m.group())


def _w7(m: re.Match[str]) -> str:
    return m.group().replace("E", "L")


def _resolve_sequence(seq: str, level: int, sos: str, eos: str, text: str | None,
                      brackets: re.Pattern[str] | None) -> bytes:
    """Resolve one isolating run sequence (its class codes after X rules, X9 removals already gone) to
    embedding levels. ``text`` is the sequence's characters, needed only when it holds brackets (N0)."""
    p = sos + seq + eos  # sos and eos act as the strong types before and after the sequence
    if "M" in p:
        p = _NSM_RUN.sub(_w1, p)
    if "E" in p and "A" in p:
        p = _AL_SPAN.sub(_w2, p)
    if "A" in p:
        p = p.replace("A", "R")
    if "E" in p or "N" in p:
        if "S" in p or "C" in p:
            p = _ES_CS_BETWEEN_EN.sub("E", p)
            p = _CS_BETWEEN_AN.sub("N", p)
        if "T" in p:
            p = _ET_BY_EN.sub(_w5, p)
    p = p.translate(_W6)
    if "E" in p:
        p = _L_SPAN.sub(_w7, p)
    if text is not None and brackets is not None:
        p = _pair_brackets(p, seq, text, level, brackets)
    if "o" in p or "w" in p or "s" in p or "B" in p or "6" in p or "7" in p or "8" in p or "9" in p:
        p = _SINGLE_NEUTRAL_L.sub("L", p)
        p = _SINGLE_NEUTRAL_R.sub("R", p)
        e = "R" if level & 1 else "L"

        def n1(m: re.Match[str]) -> str:
            before = "L" if m.group(1) == "L" else "R"
            after = "L" if m.group(3) == "L" else "R"
            return (before if before == after else e) * len(m.group(2))

        p = _NEUTRAL_RUN.sub(n1, p)
    return p[1:-1].encode("ascii").translate(_LEVEL_TABLES[level])


def _pair_brackets(p: str, seq: str, text: str, level: int, brackets: re.Pattern[str]) -> str:
    """N0: resolve paired brackets. ``p`` is the padded class string (sos at 0), ``seq`` the classes before
    W1 (to find characters that were NSM), ``text`` the sequence's characters."""
    from reader.rtl._tables import BRACKET_PAIRS

    # BD16: identify bracket pairs, considering only brackets whose current class is ON.
    stack: list[tuple[int, int]] = []  # (closing code point, position in text)
    pairs: list[tuple[int, int]] = []
    for m in brackets.finditer(text):
        i = m.start()
        if p[i + 1] != "o":
            continue
        cp = _canonical_bracket(ord(text[i]))
        closing = BRACKET_PAIRS.get(cp)
        if closing is not None:
            if len(stack) == 63:
                break
            stack.append((_canonical_bracket(closing), i))
        else:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == cp:
                    pairs.append((stack[k][1], i))
                    del stack[k:]
                    break
    if not pairs:
        return p
    pairs.sort()
    arr = bytearray(p.encode("ascii"))
    dirs = arr.translate(_STRONG_DIRS)  # "L", "R" (R, EN and AN) or "." for each position
    e = ord("R") if level & 1 else ord("L")
    opposite = ord("L") if e == ord("R") else ord("R")
    for open_i, close_i in pairs:
        a, b = open_i + 1, close_i + 1  # positions in the padded string
        if dirs.find(e, a + 1, b) != -1:
            new = e
        elif dirs.find(opposite, a + 1, b) != -1:
            before = max(dirs.rfind(ord("L"), 0, a), dirs.rfind(ord("R"), 0, a))
            new = opposite if before != -1 and dirs[before] == opposite else e
        else:
            continue
        for pos in (a, b):
            arr[pos] = dirs[pos] = new
            # NSMs after a bracket that changed take its type (they became ON through W1).
            q = pos + 1
            while q < len(arr) - 1 and seq[q - 1] == "M":
                arr[q] = dirs[q] = new
                q += 1
    return arr.decode("ascii")


def _canonical_bracket(cp: int) -> int:
    """U+2329/U+232A are canonically equivalent to U+3008/U+3009 and pair with them (BD16)."""
    if cp == 0x2329:
        return 0x3008
    if cp == 0x232A:
        return 0x3009
    return cp


_BRACKETS_RE: re.Pattern[str] | None = None


def _brackets_re() -> re.Pattern[str]:
    global _BRACKETS_RE
    if _BRACKETS_RE is None:
        from reader.rtl._tables import BRACKET_PAIRS, CLOSING_BRACKETS

        chars = "".join(sorted(chr(c) for c in (*BRACKET_PAIRS, *CLOSING_BRACKETS)))
        _BRACKETS_RE = re.compile("[" + re.escape(chars) + "]")
    return _BRACKETS_RE


# -- the paragraph ---------------------------------------------------------------------------------------

def analyse(text: str, level: int | None = None, classes: str | None = None) -> BidiParagraph:
    """Run the UBA on one paragraph (no paragraph separator inside) up to rule I2.

    ``level`` is the paragraph embedding level (0 LTR, 1 RTL) or None to find it by P2-P3. ``classes``
    may pass a precomputed class string.
    """
    cls = bidi_classes(text) if classes is None else classes
    if level is None:
        level = paragraph_level(cls)
    n = len(cls)
    if level == 0 and not _NOT_PURE_LTR.search(cls):
        return BidiParagraph(text, cls, bytes(n), 0)
    if level == 1 and not _NOT_PURE_RTL.search(cls):
        return BidiParagraph(text, cls, b"\x01" * n, 1)

    explicit = _EXPLICIT.search(cls) is not None
    if explicit:
        levels_x, cls_x = _explicit_levels(cls, level)
    else:
        levels_x, cls_x = bytearray([level]) * n, cls

    # X9: squeeze out BN and the embedding controls.
    removed = [m.span() for m in _REMOVED_RUN.finditer(cls)]
    if removed:
        comp_cls = _squeeze(cls_x, removed)
        comp_orig = _squeeze(cls, removed)
        comp_text = _squeeze(text, removed)
        comp_levels = bytes(_squeeze_bytes(levels_x, removed))
    else:
        comp_cls, comp_orig, comp_text, comp_levels = cls_x, cls, text, bytes(levels_x)

    brackets = _brackets_re()
    has_brackets = brackets.search(comp_text) is not None
    e_dir = "R" if level & 1 else "L"

    if not explicit:
        out = _resolve_sequence(comp_cls, level, e_dir, e_dir, comp_text if has_brackets else None,
                                brackets)
    else:
        out = _resolve_explicit(comp_cls, comp_orig, comp_text if has_brackets else None, comp_levels,
                                level, brackets)

    if removed:
        out = _unsqueeze_levels(out, removed, level)
    return BidiParagraph(text, cls, out, level)


def _resolve_explicit(comp_cls: str, comp_orig: str, comp_text: str | None, comp_levels: bytes,
                      para_level: int, brackets: re.Pattern[str]) -> bytes:
    """X10 and the rest: split into level runs, join them into isolating run sequences, resolve each."""
    runs = [(m.start(), m.end()) for m in _LEVEL_RUN.finditer(comp_levels)]
    run_at = {start: k for k, (start, _end) in enumerate(runs)}
    matches = match_isolates(comp_orig)
    # Runs that begin with the matching PDI of an initiator ending a run continue that run's sequence.
    continued = {matches[end - 1] for _start, end in runs
                 if end - 1 in matches and matches[end - 1] in run_at}
    out = bytearray(comp_levels)
    n = len(comp_cls)
    for start, end in runs:
        if start in continued:
            continue
        seq_runs = [(start, end)]
        last = end - 1
        while last in matches and matches[last] in run_at:
            nxt = runs[run_at[matches[last]]]
            seq_runs.append(nxt)
            last = nxt[1] - 1
        level = comp_levels[start]
        before = comp_levels[start - 1] if start > 0 else para_level
        after = para_level if comp_orig[last] in "678" or last + 1 >= n else comp_levels[last + 1]
        sos = "R" if max(level, before) & 1 else "L"
        eos = "R" if max(level, after) & 1 else "L"
        seq = "".join(comp_cls[a:b] for a, b in seq_runs)
        seq_text = None
        if comp_text is not None:
            seq_text = "".join(comp_text[a:b] for a, b in seq_runs)
        resolved = _resolve_sequence(seq, level, sos, eos, seq_text, brackets)
        offset = 0
        for a, b in seq_runs:
            out[a:b] = resolved[offset:offset + b - a]
            offset += b - a
    return bytes(out)


def _squeeze(s: str, removed: list[tuple[int, int]]) -> str:
    pieces = []
    pos = 0
    for a, b in removed:
        pieces.append(s[pos:a])
        pos = b
    pieces.append(s[pos:])
    return "".join(pieces)


def _squeeze_bytes(s: bytearray, removed: list[tuple[int, int]]) -> bytearray:
    out = bytearray()
    pos = 0
    for a, b in removed:
        out += s[pos:a]
        pos = b
    out += s[pos:]
    return out


def _unsqueeze_levels(comp: bytes, removed: list[tuple[int, int]], para_level: int) -> bytes:
    """Put the X9-removed characters back, each at the level of the character before it."""
    out = bytearray()
    pos = 0  # in comp
    last_end = 0  # in the full string
    for a, b in removed:
        kept = a - last_end
        out += comp[pos:pos + kept]
        pos += kept
        fill = out[-1] if out else para_level
        out += bytes((fill,)) * (b - a)
        last_end = b
    out += comp[pos:]
    return bytes(out)


# -- L1, L2 ----------------------------------------------------------------------------------------------

_AT_LEAST: dict[int, re.Pattern[bytes]] = {}
"""For each level, a pattern matching runs of bytes at that level or higher (compiled on first use)."""


def _at_least(level: int) -> re.Pattern[bytes]:
    pattern = _AT_LEAST.get(level)
    if pattern is None:
        pattern = _AT_LEAST[level] = re.compile(b"[" + re.escape(bytes((level,))) + b"-\x7f]+")
    return pattern


_WHITESPACE_LIKE = "w6789b12345"
_SEPARATOR = re.compile("[sB]")


def line_levels(par: BidiParagraph, start: int = 0, end: int | None = None) -> bytearray:
    """L1: the levels of the line ``[start, end)`` of ``par`` with segment and paragraph separators, and
    whitespace and isolate controls before them or at the end of the line, reset to the paragraph level.
    Characters removed by X9 count as whitespace here, as the UBA's reference implementation treats them.
    """
    stop = len(par.text) if end is None else end
    return reset_whitespace(par.levels[start:stop], par.classes[start:stop], par.level)


def reset_whitespace(levels: bytes | bytearray, classes: str, base: int) -> bytearray:
    """L1 on one line given its levels and original class codes (see ``line_levels``)."""
    out = bytearray(levels)
    n = len(out)
    trailing = n - len(classes.rstrip(_WHITESPACE_LIKE))
    if trailing:
        out[n - trailing:] = bytes((base,)) * trailing
    if "s" in classes or "B" in classes:
        for m in _SEPARATOR.finditer(classes):
            b = m.end()
            a = m.start()
            while a > 0 and classes[a - 1] in _WHITESPACE_LIKE:
                a -= 1
            out[a:b] = bytes((base,)) * (b - a)
    return out


def visual_order(levels: bytes | bytearray) -> list[int]:
    """L2: the logical indices of a line's characters in visual (left-to-right) order.

    From the highest level down to the lowest odd level, every run at that level or higher is reversed.
    Runs are found on the logical levels: reversing a run only permutes positions inside a longer run of
    a lower level, so the positions of each level's runs never move.
    """
    n = len(levels)
    if n == 0:
        return []
    highest = max(levels)
    lowest = min(levels)
    if highest == lowest:
        return list(range(n - 1, -1, -1)) if highest & 1 else list(range(n))
    order = list(range(n))
    lowest_odd = lowest | 1
    raw = bytes(levels)
    for level in range(highest, lowest_odd - 1, -1):
        for m in _at_least(level).finditer(raw):
            a, b = m.span()
            order[a:b] = order[a:b][::-1]
    return order
