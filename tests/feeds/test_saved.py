"""Saved articles: the seed .txt convention, .html pages, .md files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.feeds.saved import first_date, read_saved, saved_from_text
from reader.model import BlockKind

SEED = Path("/work/shared/seed/zagros-arabic-erbil-2021-05-22.txt")
SAMPLE_SEED = Path(__file__).resolve().parents[2] / "sample_feeds" / "zagros-arabic-erbil-2021-05-22.txt"
DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"


def test_seed_article() -> None:
    article = read_saved(SAMPLE_SEED)
    lines = [line for line in SAMPLE_SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert article.author == "زاكروس عربية – أربيل"
    assert article.published == datetime(2021, 5, 22, tzinfo=UTC)
    assert [b.text for b in article.blocks] == lines[1:-2]  # the comment counter lines are furniture
    assert all(b.kind is BlockKind.PARAGRAPH for b in article.blocks)
    assert article.title.startswith("ناقشت رئاسة إقليم كوردستان مع وفد عسكري")
    assert article.title.endswith("…") and len(article.title) <= 100
    assert article.saved and article.feed_id is None
    assert read_saved(SAMPLE_SEED) == article  # same file, same article, same id


def test_date_from_text_when_the_name_has_none(tmp_path: Path) -> None:
    body = "المصدر – بغداد\nأعلنت الوزارة يوم ١٢ حزيران ٢٠١٩ عن خطة جديدة. وجاء في البيان تفاصيل أخرى.\n"
    path = tmp_path / "note.txt"
    path.write_text(body, encoding="utf-8")
    article = read_saved(path)
    assert article.published == datetime(2019, 6, 12, tzinfo=UTC)
    assert article.title == "أعلنت الوزارة يوم ١٢ حزيران ٢٠١٩ عن خطة جديدة"
    assert saved_from_text("no date here at all. none.").published is None


@pytest.mark.parametrize(("text", "expected"), [
    ("on 2020-03-04 and 01/02/2003", (2020, 3, 4)),
    ("first 01/02/2003 then 2020-03-04", (2003, 2, 1)),
    ("في 22 أيار 2021", (2021, 5, 22)),
    ("يوم 3 تشرين الثاني، 2018", (2018, 11, 3)),
    ("May 5, 2020", (2020, 5, 5)),
    ("on 31/02/2020 nothing", None),
])
def test_first_date(text: str, expected: tuple[int, int, int] | None) -> None:
    got = first_date(text)
    assert (got and (got.year, got.month, got.day)) == expected


def test_markdown(tmp_path: Path) -> None:
    article = read_saved(DATA / "note.md")
    assert article.title == "ملاحظات من أربيل"
    assert article.author == "A. Writer"
    assert article.published == datetime(2021, 5, 23, tzinfo=UTC)
    assert [(b.kind, b.text) for b in article.blocks] == [
        (BlockKind.HEADING, "Heading that is not the title"),
        (BlockKind.PARAGRAPH, "First paragraph with a link[1] and emphasis."),
        (BlockKind.LIST_ITEM, "item one"), (BlockKind.LIST_ITEM, "item two"),
        (BlockKind.QUOTE, "a quote"),
        (BlockKind.PREFORMATTED, "code block\n  indented"),
        (BlockKind.PARAGRAPH, "<script>alert(1)</script>"),  # raw HTML is shown, never interpreted
    ]
    assert article.links[0].url == "https://example.org/a"


def test_html_page_main_text(tmp_path: Path) -> None:
    paragraphs = [line for line in SEED.read_text(encoding="utf-8").splitlines()[1:-2] if line]
    nav = "".join(f'<li><a href="/c/{i}">قسم {i}</a></li>' for i in range(8))
    side = "".join(f'<li><a href="/a/{i}">خبر جانبي رقم {i} عن المنطقة</a></li>' for i in range(10))
    page = (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="windows-1256">'
            f"<title>رئاسة الإقليم تبحث القضاء على داعش - زاكروس</title>"
            f'<meta property="article:published_time" content="2021-05-22T14:00:00+03:00">'
            f"<script>track()</script></head><body><header><nav><ul>{nav}</ul></nav></header>"
            f"<article><h1>رئاسة الإقليم تبحث القضاء على داعش</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) +
            f"</article><aside><h3>الأكثر قراءة</h3><ul>{side}</ul></aside>"
            f"<footer>جميع الحقوق محفوظة</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("windows-1256", "ignore"))
    article = read_saved(path)
    assert article.title == "رئاسة الإقليم تبحث القضاء على داعش"
    assert article.published is not None and article.published.date().isoformat() == "2021-05-22"
    texts = [b.text for b in article.blocks]
    assert texts[0].startswith("ناقشت رئاسة إقليم كوردستان")
    assert len(texts) == len(paragraphs)
    assert not any("خبر جانبي" in t or "قسم" in t or "الحقوق" in t for t in texts)
    assert article.saved


def test_unusable_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    with pytest.raises(ParseError, match="no text"):
        read_saved(empty)
    with pytest.raises(ParseError, match="not a saved-article file"):
        read_saved(tmp_path / "x.pdf")
    with pytest.raises(ParseError, match="cannot read"):
        read_saved(tmp_path / "missing.txt")
