"""The shipped Unicode tables match the vendored data files they are generated from."""

from __future__ import annotations

from pathlib import Path

from tests.rtl import gen_tables


def test_generated_tables_are_up_to_date() -> None:
    shipped = Path(gen_tables.TARGET).read_text(encoding="utf-8")
    assert shipped == gen_tables.render(), "run: python -m tests.rtl.gen_tables"


def test_tables_agree_with_unicodedata() -> None:
    import unicodedata

    from reader.rtl._tables import BRACKET_PAIRS, CLOSING_BRACKETS, MIRRORS

    # Every paired bracket is Bidi_Mirrored and has class ON; mirroring is an involution where both exist.
    for cp in (*BRACKET_PAIRS, *CLOSING_BRACKETS):
        assert unicodedata.mirrored(chr(cp)) == 1
        assert unicodedata.bidirectional(chr(cp)) == "ON"
    for a, b in MIRRORS.items():
        assert unicodedata.mirrored(chr(a)) == 1
        if b in MIRRORS and a not in (0x2A2B, 0x2A2C, 0x2A2D, 0x2A2E, 0x2A34, 0x2A35):
            assert MIRRORS[b] == a
