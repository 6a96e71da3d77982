"""The hostile corpus as the tests see it: where it lives, how its templates are filled in, what "clean
output" means, and the size cases, which are generated at run time rather than committed.

The committed files are written by ``tests/data/hostile/make_corpus.py``; its payload tables (``PAYLOADS``,
``MARKUP``, ``BIDI``, ``DATES``, ``MARKER``) are loaded from there, so the tests and the files never
disagree about what a case holds.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "data" / "hostile"
FEEDS = HOSTILE / "feeds"
PAGES = HOSTILE / "pages"


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile_make_corpus", HOSTILE / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


maker = _maker()
PAYLOADS: dict[str, str] = maker.PAYLOADS
MARKUP: dict[str, str] = maker.MARKUP
BIDI: dict[str, str] = maker.BIDI
DATES: dict[str, str] = maker.DATES
MARKER: str = maker.MARKER
OPML_TITLES: dict[str, str] = maker.OPML_TITLES

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must never reach output: every C0 control but LF (so ESC and BEL, and TAB, which the sanitiser
expands), DEL, every C1 control (8-bit CSI U+009B among them), the line and paragraph separators, the
explicit bidi embeddings, overrides and isolates, and lone surrogates."""
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

PWNED = re.compile(r"PWNED-(?:TITLE|CLIPBOARD|DCS)|UFdORUQ")
"""Text that only the *inside* of a swallowed escape holds (window titles, the base64 clipboard text):
when it shows up, an escape was cut open instead of removed whole. ``PWNED-WINDOW`` (after ``ESC k``,
a two-byte escape whose text follows it as plain text) and ``LINKTEXT`` (the visible part of an OSC 8
hyperlink) are meant to survive as text."""

FAILING = {
    "not-a-feed.rss": "not a readable feed",
    "truncated.rss": "not a readable feed",
}
"""Feeds of the corpus that must be refused, with the start of their per-feed error."""


def unsafe(text: str) -> list[str]:
    """The unsafe characters in ``text`` (empty when it is clean), for readable assertion messages."""
    return [f"U+{ord(ch):04X}" for ch in UNSAFE.findall(text)]


def materialize(dest: Path, *, dtd_url: str, secret: Path) -> Path:
    """Copy ``feeds/`` to ``dest`` with every ``*.in`` template filled in: ``@DTD_URL@`` becomes a URL on a
    127.0.0.1 server that records hits and ``@SECRET@`` the absolute path of a file holding ``MARKER``.
    Returns ``dest``; ``dest / "hostile.opml"`` subscribes to every feed."""
    dest.mkdir(parents=True, exist_ok=True)
    secret.write_text(MARKER + "\n", encoding="utf-8")
    for path in FEEDS.iterdir():
        data = path.read_bytes()
        if path.suffix == ".in":
            data = data.replace(b"@DTD_URL@", dtd_url.encode()).replace(b"@SECRET@", str(secret).encode())
            (dest / path.stem).write_bytes(data)
        else:
            shutil.copyfile(path, dest / path.name)
    return dest


def feed_names() -> list[str]:
    """Every feed of the corpus, by the name it has once materialised."""
    return sorted(p.name.removesuffix(".in") for p in FEEDS.iterdir()
                  if p.name not in ("hostile.opml", "xxe-secret.txt"))


# -- size cases, generated ------------------------------------------------------------------------------
def _rss(title: str, items: list[str]) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{title}</title><link>http://size.example/</link>\n" + "".join(items)
            + "</channel></rss>\n").encode()


def _item(guid: str, title: str, description: str) -> str:
    return f"<item><guid>{guid}</guid><title>{title}</title><description>{description}</description></item>\n"


def huge_title() -> bytes:
    """One item with a 1 MB title (words, with escapes sprinkled in)."""
    title = ("headline word \x1b[2J " * 60_000)[:1_000_000]
    return _rss("Size: huge title", [_item("huge-title", title, "short body")])


HUGE_BODY_WORDS = ("خبر", "عاجل", "news", "from", "أربيل", "today", "[bold]", "\u202e", "\x1b[31m")


def huge_body() -> bytes:
    """One item whose HTML body is 10 MB: 20,000 paragraphs of mixed Arabic and English with escapes."""
    paragraph = " ".join(HUGE_BODY_WORDS[i % len(HUGE_BODY_WORDS)] for i in range(90))
    body = "".join(f"<p>{n} {paragraph}</p>" for n in range(20_000))
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert len(escaped.encode()) > 10_000_000
    return _rss("Size: huge body", [_item("huge-body", "huge body", escaped)])


def huge_word() -> bytes:
    """A single 1 MB word, as the title and as the body."""
    word = "ا" * 500_000 + "x" * 500_000
    return _rss("Size: huge word", [_item("huge-word", word, word)])


def deep_html(depth: int = 10_000) -> bytes:
    """An item whose body nests ``depth`` levels of divs, lists and quotes, with text at the bottom."""
    html = ("<div><ul><li><blockquote>" * (depth // 4)) + "deep text at the bottom" + \
        ("</blockquote></li></ul></div>" * (depth // 4)) + "<p>after the nesting</p>"
    escaped = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    unclosed = ("<div>" * depth + "unclosed bottom").replace("<", "&lt;").replace(">", "&gt;")
    return _rss("Size: deep HTML", [_item("deep", "deep nesting", escaped),
                                    _item("deep-unclosed", "deep unclosed", unclosed)])


def many_items(count: int = 100_000) -> bytes:
    """A JSON Feed with ``count`` items. JSON Feed, not RSS: feedparser alone takes some 12 s over
    100,000 RSS items, and the point here is the store and the UI, not feedparser's speed (10,000 RSS
    items are covered by tests/feeds)."""
    items = [{"id": f"i{n}", "title": f"item {n} [bold]", "content_text": f"body {n}",
              "date_published": f"2021-05-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"} for n in range(count)]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Size: many items",
                       "items": items}, separators=(",", ":")).encode()


def billion_laughs(levels: int = 10) -> bytes:
    """The classic: ``levels`` entities each ten times the one before (10**levels copies of "lol")."""
    decls = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, levels)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [' + "".join(decls) + ']>\n<rss version="2.0"><channel>'
            f"<title>laughs</title><item><guid>l</guid><title>t &lol{levels - 1};</title>"
            f"<description>d &lol{levels - 1};</description></item></channel></rss>").encode()


def quadratic_blowup(size: int = 100_000, uses: int = 20_000) -> bytes:
    """One entity of ``size`` characters referenced ``uses`` times: no nesting, so no expansion limit on
    nesting depth catches it, yet it expands to size * uses characters (2 GB by default)."""
    refs = "&big;" * uses
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY big "' + "B" * size + '">]>\n'
            '<rss version="2.0"><channel><title>quadratic</title><item><guid>q</guid>'
            f"<title>q</title><description>{refs}</description></item></channel></rss>").encode()
