"""Arabic-script shaping for terminals: presentation forms, the lam-alef ligatures and no others.

A terminal draws each cell's character on its own, so Arabic letters must be handed over already in
their positional forms (isolated, initial, medial, final) from the Arabic Presentation Forms blocks.
The forms come from ``arabic-reshaper``'s letter table (``arabic_reshaper.letters.LETTERS_ARABIC``,
which covers Arabic, Persian and Urdu letters). We configure it the way a terminal needs:

* Only the four lam-alef ligatures (U+FEF5-U+FEFC) are formed. ``arabic-reshaper``'s defaults enable
  others (U+FDF2 for Allah, word and sentence ligatures) that monospace fonts lack or draw wider than a
  cell, and that change the cell count. A lam-alef ligature is one cell for two letters, as Arabic
  typography has it: it is the one place the cell count differs from the letter count.
* Harakat are kept (they are zero-width and the terminal puts them on the letter before them); an
  option strips them.
* Letters the table has no presentation forms for (Sorani Kurdish ڕ ڵ ێ ە, rarer Urdu and Sindhi
  letters) are passed through unchanged and treated as non-joining, so their neighbours take the forms
  they take at a word break: the terminal then shows that letter in its isolated shape between correctly
  ending and starting neighbours, a visible gap inside the word rather than a broken join.
  ``arabic-reshaper`` itself does the same with letters it does not know.

Why not call ``ArabicReshaper.reshape``: it returns only a string, so spans could not be carried
through it, and its per-character Python loop costs about 0.7 µs a character, a third of the layout
budget for a long article. Here the joining types become a string (``str.translate``), positional forms
are decided by four regular expressions over it, and characters are mapped in C.
"""

from __future__ import annotations

import operator
import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["HARAKAT", "LAM_ALEF_LIGATURES", "Shaped", "shape", "strip_harakat"]

HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d4-\u08e1"
                     "\u08e3-\u08ff]+")
"""Arabic harakat and other marks the ``strip_harakat`` option removes (``arabic-reshaper``'s set)."""

LAM = "\u0644"
LAM_ALEF_LIGATURES: dict[str, tuple[str, str]] = {
    "\u0622": ("\ufef5", "\ufef6"),  # alef with madda above
    "\u0623": ("\ufef7", "\ufef8"),  # alef with hamza above
    "\u0625": ("\ufef9", "\ufefa"),  # alef with hamza below
    "\u0627": ("\ufefb", "\ufefc"),  # alef
}
"""For each alef: the ligature with a lam before it (isolated form, final form)."""

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_JOINING_LETTER = re.compile("[DRu]")
# Positional forms over the joining-type string (transparent characters removed): D dual-joining,
# R right-joining, C join-causing (tatweel, ZWJ). A letter joins the one before it when that one is D or C.
_MEDIAL = re.compile("(?<=[DC])D(?=[DRC])")
_FINAL = re.compile("(?<=[DCm])[DR]")
_INITIAL = re.compile("D(?=[Cmf])")
_ISOLATED = str.maketrans("DRu", "nnn")
_LAM_ALEF = re.compile(LAM + "([\u064b-\u065f\u0670]*)([" + "".join(LAM_ALEF_LIGATURES) + "])")


def _build_tables() -> tuple[dict[str, str], dict[int, str]]:
    from arabic_reshaper.letters import FINAL, INITIAL, ISOLATED, LETTERS_ARABIC, MEDIAL, TATWEEL, ZWJ

    forms: dict[str, str] = {}
    joining: dict[int, str] = {}
    for letter, shapes in LETTERS_ARABIC.items():
        if letter in (TATWEEL, ZWJ):
            continue
        isolated, initial, medial, final = (shapes[ISOLATED], shapes[INITIAL], shapes[MEDIAL],
                                            shapes[FINAL])
        if initial and medial and final:
            joining[ord(letter)] = "D"
        elif final:
            joining[ord(letter)] = "R"
        elif isolated and isolated != letter:
            joining[ord(letter)] = "u"  # non-joining with an isolated form (hamza)
        else:
            continue
        for code, form in (("n", isolated), ("i", initial), ("m", medial), ("f", final)):
            if form and form != letter:
                forms[letter + code] = form
    joining[ord(TATWEEL)] = "C"
    joining[ord(ZWJ)] = "C"
    joining[0x200C] = "U"  # ZWNJ: explicitly non-joining
    return forms, joining


class _JoiningTable(dict[int, str]):
    """Joining type per code point for ``str.translate``: letters from the table, T for marks and format
    characters (they are transparent to joining), U for everything else. Filled lazily, bounded."""

    def __missing__(self, cp: int) -> str:
        import unicodedata

        code = "T" if unicodedata.category(chr(cp)) in ("Mn", "Me", "Cf") else "U"
        if len(self) < 100_000:
            self[cp] = code
        return code


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], _JoiningTable]:
    forms, joining = _build_tables()
    table = _JoiningTable(joining)
    for cp in range(0x80):
        table.setdefault(cp, "U")
    return forms, table


class Shaped(NamedTuple):
    """Shaped text, still in logical order, and how it maps back to the text it came from."""

    text: str
    src: list[int] | None
    """For each code point of ``text``, its index in the input; None when they correspond one to one."""
    removed: list[int]
    """Sorted indices of input code points not in ``text`` (stripped harakat, alefs absorbed into a lam-alef
    ligature)."""


def strip_harakat(text: str) -> tuple[str, list[int] | None]:
    """``text`` without harakat, and for each remaining code point its index in ``text`` (None when
    nothing was removed)."""
    spans = [m.span() for m in HARAKAT.finditer(text)]
    if not spans:
        return text, None
    pieces: list[str] = []
    src: list[int] = []
    pos = 0
    for a, b in spans:
        pieces.append(text[pos:a])
        src.extend(range(pos, a))
        pos = b
    pieces.append(text[pos:])
    src.extend(range(pos, len(text)))
    return "".join(pieces), src


def shape(text: str, *, harakat: bool = True) -> Shaped:
    """Shape the Arabic-script letters of one paragraph of logical text for a terminal.

    The result is still in logical order. A lam-alef ligature maps to its lam (its alef is absorbed).
    With ``harakat=False`` the harakat are removed first.
    """
    src: list[int] | None = None
    removed: list[int] = []
    if not harakat:
        original = text
        text, src = strip_harakat(text)
        if src is not None:
            removed = [i for a, b in (m.span() for m in HARAKAT.finditer(original)) for i in range(a, b)]
    if not _ARABIC.search(text):
        return Shaped(text, src, removed)
    forms_table, joining = _tables()
    jt = text.translate(joining)
    if not _JOINING_LETTER.search(jt):
        return Shaped(text, src, removed)
    transparent = [m.span() for m in re.finditer("T+", jt)] if "T" in jt else []
    core = jt.replace("T", "") if transparent else jt
    core = _MEDIAL.sub("m", core)
    core = _FINAL.sub("f", core)
    core = _INITIAL.sub("i", core)
    core = core.translate(_ISOLATED)
    forms = _expand(core, transparent) if transparent else core
    shaped = "".join(map(forms_table.get, map(operator.add, text, forms), text))

    if LAM in text:
        shaped, absorbed = _ligate(text, shaped, forms)
        if absorbed:
            base: list[int] | range = src if src is not None else range(len(text))
            kept: list[int] = []
            pos = 0
            for alef_at in absorbed:
                kept.extend(base[pos:alef_at])
                pos = alef_at + 1
            kept.extend(base[pos:])
            src = kept
            removed = sorted(removed + [base[i] for i in absorbed])
    return Shaped(shaped, src, removed)


def _expand(core: str, transparent: list[tuple[int, int]]) -> str:
    """Put the transparent characters back into the form string (as ``T``, which maps to no form)."""
    pieces: list[str] = []
    pos = 0  # in core
    last = 0  # in the full string
    for a, b in transparent:
        kept = a - last
        pieces.append(core[pos:pos + kept])
        pos += kept
        pieces.append("T" * (b - a))
        last = b
    pieces.append(core[pos:])
    return "".join(pieces)


def _ligate(text: str, shaped: str, forms: str) -> tuple[str, list[int]]:
    """Replace each lam + (harakat) + alef by its ligature; returns the new text and the indices (in
    ``text``) of the alefs it absorbed."""
    absorbed: list[int] = []
    pieces: list[str] = []
    pos = 0
    for m in _LAM_ALEF.finditer(text):
        lam_at = m.start()
        lam_form = forms[lam_at]
        if lam_form not in ("i", "m"):
            continue  # not joined to its alef (cannot happen for a lam, but stay safe)
        alef_at = m.start(2)
        ligature = LAM_ALEF_LIGATURES[text[alef_at]][0 if lam_form == "i" else 1]
        pieces.append(shaped[pos:lam_at])
        pieces.append(ligature)
        pieces.append(m.group(1))
        pos = alef_at + 1
        absorbed.append(alef_at)
    if not absorbed:
        return shaped, absorbed
    pieces.append(shaped[pos:])
    return "".join(pieces), absorbed
