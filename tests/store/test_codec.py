"""Row encodings round-trip any block, link and text (hostile text included)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.model import Block, BlockKind, Direction, Link, LinkKind
from reader.store import codec

_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
_BLOCKS = st.lists(st.builds(Block, st.sampled_from(list(BlockKind)), _TEXT, st.integers(0, 6),
                             st.sampled_from(list(Direction)), st.none() | _TEXT), max_size=8)
_LINKS = st.lists(st.builds(Link, st.integers(1, 99), _TEXT, _TEXT, st.sampled_from(list(LinkKind)),
                            st.none() | _TEXT, st.none() | st.integers(0, 2**40)), max_size=5)


@given(_BLOCKS)
def test_layout_round_trip(blocks: list[Block]) -> None:
    text = codec.body_text(blocks)
    assert codec.decode_body(text, codec.encode_layout(blocks)) == tuple(blocks)


@given(_BLOCKS)
def test_legacy_blocks_round_trip(blocks: list[Block]) -> None:
    assert codec.decode_blocks(codec.encode_blocks(blocks)) == tuple(blocks)


@given(_LINKS)
def test_links_round_trip(links: list[Link]) -> None:
    assert codec.decode_links(codec.encode_links(links)) == tuple(links)


def test_values_equal_to_another_fields_default_survive() -> None:
    link = Link(1, "https://x", "link")  # the text equals the default *kind*
    assert codec.decode_links(codec.encode_links([link])) == (link,)
    block = Block(BlockKind.PARAGRAPH, "x", lang="auto")
    assert codec.decode_body("x", codec.encode_layout([block])) == (block,)


def test_layout_that_does_not_fit_falls_back_to_lines() -> None:
    lines = (Block(BlockKind.PARAGRAPH, "a"), Block(BlockKind.PARAGRAPH, "b"))
    assert codec.decode_body("a\nb", "[1,1,1]") == lines
    assert codec.decode_body("a\nb", '[["marquee",1]]') == lines
    assert codec.decode_body("", "not json") == ()
