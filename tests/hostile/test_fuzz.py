"""Hypothesis fuzzing of the two converters hostile text goes through: the RTL engine and HTML to blocks.

``tests/rtl/test_properties.py`` already fuzzes layout with a fixed list of pieces; this adds what it
does not cover: escape sequences built from a grammar (CSI with random parameters and finals, OSC, DCS,
APC, PM, SOS with every terminator or none, 8-bit C1 forms), any surrogate-free code point, multi-line
text through ``layout_text``, and the UI's own seam (``reader.ui.text.fit_cell``, which must fill exactly
its column). The contents of every string control carry a marker character that nothing else generates,
so "the escape was removed whole" is checked, not just "no ESC is left".

The HTML side builds tag soup from a grammar of nested elements, attributes (with ``javascript:`` and
friends), named and numeric entities (references to controls included), comments, CDATA, raw-text
elements and unclosed constructs, and checks: never raises, no control character in any block, list depth
bounded, links numbered in order with safe schemes only, script content never shown.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.feeds.html import MAX_LIST_LEVEL, html_to_blocks
from reader.model import BlockKind
from reader.rtl.cells import text_width
from reader.rtl.layout import layout_paragraph, layout_text, visual_line
from reader.ui.text import fit_cell

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MARK = "¤"
"""Only ever generated inside a string control (OSC, DCS, APC, PM, SOS): must never be shown."""
SCRIPT_MARK = "§"
"""Only ever generated inside ``<script>`` and ``<style>``: must never be shown."""

plain = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters=MARK + SCRIPT_MARK),
                max_size=10)
scripts = st.sampled_from(["مرحبا", "שלום", "کوردی", "اردو", "abc", "١٢٣", "2021-05-22", "(x)", " ", "  ",
                           "\u200c", "\u0651", "لا", "😀", "中文"])
csi = st.builds(lambda intro, params, inter, final: f"{intro}{params}{inter}{final}",
                st.sampled_from(["\x1b[", "\x9b"]), st.text(alphabet="0123456789;:<=>?", max_size=8),
                st.text(alphabet=" !\"#$%&'()*+,-./", max_size=2),
                st.sampled_from([*"@ABCDEFGHJKLMPSTXZ`abcdefghilmnpqrstuxyz{|}~", ""]))
string_control = st.builds(
    lambda intro, body, end: f"{intro}{body}{end}",
    st.sampled_from(["\x1b]0;", "\x1b]2;", "\x1b]52;c;", "\x1b]8;;", "\x1bP", "\x1b_", "\x1b^", "\x1bX",
                     "\x9d0;", "\x90", "\x9f", "\x9e", "\x98"]),
    st.text(alphabet=MARK, min_size=1, max_size=6),
    st.sampled_from(["\x07", "\x1b\\", "\x9c"]))
unterminated = st.builds(lambda intro, body: f"{intro}{body}", st.sampled_from(["\x1b]0;", "\x1bP", "\x1b_"]),
                         st.text(alphabet=MARK, min_size=1, max_size=4))
controls = st.one_of(st.characters(max_codepoint=0x1F), st.characters(min_codepoint=0x7F, max_codepoint=0x9F),
                     st.sampled_from(list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
                                          "\u200e\u200f\u061c\ufeff")),
                     st.sampled_from(["\x1bc", "\x1b7", "\x1b8", "\x1b(B", "\x1b#8", "\x1b"]))
pieces = st.one_of(plain, scripts, csi, string_control, controls)
hostile_text = st.lists(pieces, max_size=40).map("".join)
# An unterminated string control swallows the rest of its line, as a terminal would: only at the end.
hostile_line = st.builds(lambda text, tail: text + tail, hostile_text, st.one_of(st.just(""), unterminated))
widths = st.integers(min_value=2, max_value=60)
modes = st.sampled_from(["app", "terminal", "off"])
bases = st.sampled_from(["auto", "rtl", "ltr"])


def assert_shown_safely(text: str) -> None:
    assert not UNSAFE.search(text), [f"U+{ord(c):04X}" for c in UNSAFE.findall(text)]
    assert MARK not in text, text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_line, widths, modes, bases)
def test_layout_of_hostile_text(text: str, width: int, mode: str, base: str) -> None:
    layout = layout_paragraph(text, width, mode=mode, base=base)
    for line in layout.lines:
        assert_shown_safely(line.text)
        assert line.cells == text_width(line.text) <= width
        assert line.pad + line.cells <= width
        assert_shown_safely(line.padded)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_line, max_size=6).map("\n".join), widths, modes)
def test_layout_text_keeps_every_paragraph_apart(text: str, width: int, mode: str) -> None:
    paragraphs = layout_text(text, width, mode=mode)
    # One paragraph per line at least (U+2028, U+2029, VT, FF, NEL and CR break lines too).
    assert len(paragraphs) >= text.count("\n") + 1
    for paragraph in paragraphs:
        for line in paragraph.lines:
            assert_shown_safely(line.text)
            assert line.pad + line.cells <= width


@settings(max_examples=300, deadline=None)
@given(hostile_line, st.integers(min_value=1, max_value=60), modes)
def test_one_line_fields_and_the_ui_column(text: str, width: int, mode: str) -> None:
    line = visual_line(text, max(width, 2), mode=mode)
    assert_shown_safely(line.text)
    assert line.pad + line.cells <= max(width, 2)
    cell = fit_cell(text, width, mode)
    assert_shown_safely(cell)
    assert cell_len(cell) == width  # a list column is exactly its width, whatever the title holds


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200), widths, modes)
def test_any_code_point(text: str, width: int, mode: str) -> None:
    for line in layout_paragraph(text, width, mode=mode).lines:
        assert not UNSAFE.search(line.text)
        assert line.pad + line.cells <= width


# -- HTML to blocks ----------------------------------------------------------------------------------------
TAGS = ["p", "div", "span", "b", "i", "em", "a", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
        "code", "h1", "h3", "h6", "table", "tr", "td", "th", "br", "img", "hr", "figure", "figcaption",
        "section", "article", "sup", "bdi", "bdo", "font", "center", "marquee", "svg", "math", "form",
        "button", "iframe", "noscript", "template", "object"]
ATTRS = st.sampled_from([
    "", ' href="http://ok.example/a"', ' href="javascript:alert(1)"', " href='data:text/html,x'",
    ' href="file:///etc/passwd"', ' href=" java&#x09;script:x"', ' href="&#x6A;avascript:x"',
    ' href="vbscript:x"', ' href="/relative"', ' href="//evil.example/"', ' href="mailto:a@b"',
    ' src="http://img.example/i.png"', ' alt="alt&#27;[2Jtext"', ' dir="rtl"', ' dir="ltr"', ' lang="ar"',
    ' style="display:none"', " hidden", ' title="[@click=app.quit]"', ' href="http://x/\x1b]0;t\x07"',
    ' start="99999999999999999999"', ' start="-5"', ' colspan="1000000"', ' onclick="alert(1)"', " href",
])
ENTITIES = st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#27;", "&#x1b;", "&#x1B", "&#155;",
                            "&#x9b;", "&#0;", "&#xD800;", "&#1114112;", "&#x202e;", "&#8238;", "&rlm;",
                            "&lrm;", "&#x2067;", "&bogus;", "&", "&#", "&#x;", "&amp;#27;", "&#7;", "&#12;",
                            "&NotANamedEntity", "&copy", "&#65;"])
ODD = st.sampled_from(["<!--", "-->", "<!-- c -->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?xml x?>", "<",
                       ">", "</", "<a", "<p ", "<a href='", "<br/>", "</p>", "</li>", "</ul>", "</td>",
                       "<img alt='unclosed", "<plaintext>", "\x00", "\r\n", "\t"])


def _element(children: list[str], tag: str, attrs: str, closed: bool) -> str:
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


def _fragments(odd: bool) -> st.SearchStrategy[str]:
    text = plain if odd else st.text(alphabet=st.characters(
        blacklist_categories=["Cs"], blacklist_characters=MARK + SCRIPT_MARK + "<>&'\""), max_size=10)
    leaves = [text, scripts, ENTITIES, csi, string_control,
              st.builds(lambda body: f"<script>{body}</script>",
                        st.text(alphabet=SCRIPT_MARK + "<>/ ", max_size=8)),
              st.builds(lambda body: f"<style>{body}</style>", st.text(alphabet=SCRIPT_MARK, max_size=4))]
    return st.recursive(
        st.one_of(*leaves, ODD) if odd else st.one_of(*leaves),
        lambda inner: st.builds(_element, st.lists(inner, max_size=5), st.sampled_from(TAGS), ATTRS,
                                st.booleans()),
        max_leaves=25,
    )


# With the odd pieces, a "<?" or "<a href='" may swallow a following "<script>" tag, leaving its content
# as text, exactly as a browser would show it; so script content is checked only in documents without them.
soup = st.lists(_fragments(odd=True), max_size=6).map("".join)
tidy = st.lists(_fragments(odd=False), max_size=6).map("".join)


def _check_blocks(html: str, *, scripts_hidden: bool = True) -> None:
    blocks, links = html_to_blocks(html, base_url="http://base.example/dir/page")
    for block in blocks:
        text = block.text
        lines = text.split("\n")
        if block.kind is not BlockKind.PREFORMATTED:
            assert len(lines) == 1, block
        for line in lines:
            # Stored text may keep balanced bidi controls (the layout engine consumes them); nothing else.
            assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]", line), block
        assert MARK not in text, block
        assert not scripts_hidden or SCRIPT_MARK not in text, block
        assert 0 <= block.level <= max(MAX_LIST_LEVEL, 6)
        if block.kind is BlockKind.LIST_ITEM:
            assert block.level <= MAX_LIST_LEVEL
    assert [link.number for link in links] == list(range(1, len(links) + 1))
    for link in links:
        assert urlsplit(link.url).scheme in ("http", "https", "mailto"), link.url
        assert not re.search("[\x00-\x20\x7f-\x9f]", link.url), link.url
        assert MARK not in link.text and not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", link.text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup)
def test_html_to_blocks_on_generated_tag_soup(html: str) -> None:
    _check_blocks(html, scripts_hidden=False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tidy)
def test_html_to_blocks_never_shows_script_content(html: str) -> None:
    _check_blocks(html)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["ul", "ol", "div", "blockquote", "li", "table", "td", "b"]), min_size=1,
                max_size=8), st.integers(min_value=100, max_value=3000), st.booleans())
def test_deep_generated_nesting_stays_bounded(tags: list[str], depth: int, closed: bool) -> None:
    opening = "".join(f"<{tags[i % len(tags)]}>" for i in range(depth))
    closing = "".join(f"</{tags[i % len(tags)]}>" for i in reversed(range(depth))) if closed else ""
    _check_blocks(opening + "deep \x1b[2J text" + closing + "<p>after</p>")
