"""Feed documents for the tests and the benchmark, generated so each test states what it feeds in."""

from __future__ import annotations

from xml.sax.saxutils import escape

ARABIC = ("ناقشت رئاسة إقليم كوردستان مع وفد عسكري ضمن التحالف الدولي، اليوم السبت، القضاء على بقايا "
          "التنظيم في كركوك وخانقين، وشدد الطرفان على أهمية التنسيق بين القوات.")
ENGLISH = "The committee met on Saturday to discuss the budget, the schools and the new railway line."


def rss(items: int, *, title: str = "Test feed", arabic: bool = False, prefix: str = "item",
        encoding: str | None = "utf-8", declare: bool = True, start: int = 0) -> str:
    """An RSS 2.0 document with ``items`` entries (guid ``{prefix}-{n}``)."""
    text = ARABIC if arabic else ENGLISH
    entries = []
    body = escape(f'<p>{text}</p><p>{text} <a href="/x">x</a></p>')
    for n in range(start, start + items):
        entries.append(
            f"<item><title>{escape(text[:40])} {n}</title><link>http://example.org/{prefix}/{n}</link>"
            f"<guid isPermaLink=\"false\">{prefix}-{n}</guid>"
            f"<pubDate>Sat, 22 May 2021 {n % 24:02d}:00:00 +0300</pubDate>"
            f"<description>{body}</description></item>")
    decl = f'<?xml version="1.0" encoding="{encoding}"?>\n' if declare and encoding else ""
    return (f'{decl}<rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://example.org/</link>{''.join(entries)}</channel></rss>")
