"""Line breaking in logical order, in cells of the shaped text."""

from __future__ import annotations

from reader.rtl.wrap import wrap


def lines(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in wrap(text, width)]


def test_greedy_at_spaces_and_break_spaces_dropped() -> None:
    assert lines("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]
    assert lines("a  b   c", 3) == ["a", "b", "c"]
    assert lines("a\u3000b", 4) == ["a\u3000b"] and lines("a\u3000b", 3) == ["a", "b"]  # U+3000 is 2 cells


def test_no_break_spaces_do_not_break() -> None:
    assert lines("10\u00a0km away", 5) == ["10\u00a0km", "away"]
    assert lines("20\u202f%", 3) == ["20\u202f", "%"]  # only as a long word: cut by cells


def test_words_that_fit_are_never_split() -> None:
    assert lines("ab abcdefgh", 8) == ["ab", "abcdefgh"]


def test_long_words_cut_at_cell_boundaries_keeping_marks() -> None:
    assert lines("https://example.com/a/very/long/path", 10) == [
        "https://ex", "ample.com/", "a/very/lon", "g/path"]
    vowelled = "بِسْمِ" * 3
    pieces = lines(vowelled, 2)
    assert "".join(pieces) == vowelled
    assert all(piece[0] not in "\u0650\u0652" for piece in pieces)  # no piece starts with a haraka


def test_wide_characters_count_two_cells() -> None:
    assert lines("中文字 漢字", 4) == ["中文", "字", "漢字"]


def test_indentation_kept_and_trailing_spaces_dropped() -> None:
    assert lines("   indented text  ", 12) == ["   indented", "text"]
    assert lines("       x", 4) == ["   x"]  # indentation is capped at width - 1 cells
    assert lines("       xyzw", 4) == ["xyzw"]  # and dropped when the first word needs the room
    assert wrap("", 10) == [(0, 0)] and wrap("    ", 2) == [(0, 0)]


def test_width_one() -> None:
    assert lines("ab c", 1) == ["a", "b", "c"]
