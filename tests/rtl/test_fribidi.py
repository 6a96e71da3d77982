"""Cross-check of our visual lines against GNU FriBidi on real feed text (skipped without ``fribidi``).

``fribidi --nobreak --nopad --reordernsm --clean`` shapes with presentation forms and applies L3 and L4 as
we do. Known, deliberate differences are normalised before comparing: FriBidi keeps U+0621 (hamza)
where we use its isolated presentation form U+FE80, and it does not form a lam-alef ligature when a
haraka sits between the two letters (we do, as arabic-reshaper does); paragraphs with letters that join
in Unicode but have no presentation forms (Urdu ۂ, Sorani ڵ ێ ە ڕ...) are left out: FriBidi joins their
neighbours to them, we end the join there (see ``reader.rtl.shape``).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reader.rtl.layout import layout_paragraph

REPO = Path(__file__).resolve().parents[2]
FEEDS = REPO / "sample_feeds"
FRIBIDI = shutil.which("fribidi")

pytestmark = pytest.mark.skipif(FRIBIDI is None, reason="GNU FriBidi's command-line tool is not installed")


def _feed_paragraphs(name: str) -> list[str]:
    root = ET.parse(FEEDS / name).getroot()
    out: list[str] = []
    for element in root.iter():
        if element.tag.split("}")[-1] in ("title", "description", "encoded") and element.text:
            text = re.sub(r"<[^>]+>", "\n", element.text)
            out.extend(html.unescape(p).strip() for p in text.split("\n") if p.strip())
    return out


def _formless_joining_letters() -> re.Pattern[str]:
    """Letters that are dual- or right-joining in ArabicShaping.txt but that we cannot shape."""
    from reader.rtl.shape import _tables

    _forms, table = _tables()
    letters = []
    data = (REPO / "tests" / "data" / "unicode" / "ArabicShaping.txt").read_text(encoding="utf-8")
    for line in data.splitlines():
        fields = [f.strip() for f in line.split("#", 1)[0].split(";")]
        if len(fields) == 4 and fields[2] in ("D", "R"):
            cp = int(fields[0], 16)
            if table.get(cp) not in ("D", "R") and cp not in (0x0640, 0x200D):
                letters.append(chr(cp))
    return re.compile("[" + re.escape("".join(letters)) + "]")


def _corpus() -> list[str]:
    paragraphs = (FEEDS / "zagros-arabic-erbil-2021-05-22.txt").read_text(encoding="utf-8").split("\n")
    for name in ("arabic-news.xml", "hebrew-news.xml", "persian-news.xml", "urdu-news.xml"):
        paragraphs.extend(_feed_paragraphs(name))
    formless = _formless_joining_letters()
    return [p for p in dict.fromkeys(paragraphs) if p and not formless.search(p)]


LAM_HARAKA_ALEF = re.compile("\u0644[\u064b-\u065f\u0670]+[\u0622\u0623\u0625\u0627]")


def test_visual_lines_match_fribidi() -> None:
    assert FRIBIDI is not None
    jobs: list[tuple[str, str, str]] = []
    for paragraph in _corpus():
        layout = layout_paragraph(paragraph, 60)
        for line in layout.lines:
            logical = layout.text[line.start:line.end]
            if not logical or LAM_HARAKA_ALEF.search(logical):
                continue
            jobs.append(("--rtl" if line.rtl else "--ltr", logical, line.text.replace("\ufe80", "\u0621")))
    assert len(jobs) > 300
    mismatches = []
    for direction in ("--rtl", "--ltr"):
        batch = [job for job in jobs if job[0] == direction]
        result = subprocess.run(
            [FRIBIDI, "--nobreak", "--nopad", direction, "--reordernsm", "--clean"],
            input="\n".join(logical for _, logical, _ in batch) + "\n",
            capture_output=True, text=True, check=True,
        )
        for (_, logical, ours), theirs in zip(batch, result.stdout.split("\n"), strict=False):
            if ours != theirs:
                mismatches.append((logical, ours, theirs))
    assert not mismatches, mismatches[:3]
