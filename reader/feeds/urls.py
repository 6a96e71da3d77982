"""Newsboat's ``urls`` file: one feed per line, read and written.

A line is a URL followed by tags, separated by blanks; a tag with blanks in it is double-quoted, and a
backslash escapes the next character. A tag starting with ``~`` is the feed's title, one starting with
``!`` hides the feed in Newsboat (Khabar has no hidden feeds, so the mark is dropped and noted). Lines
starting with ``#`` are comments. ``query:`` feeds are Newsboat's saved searches, and ``exec:`` and
``filter:`` feeds run a program: none can be subscribed to, so each is skipped with a notice; Khabar
never runs anything a subscription list names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from reader.feeds.build import clean_line, safe_url
from reader.model import Feed

__all__ = ["UrlsDocument", "looks_like_urls", "read_urls", "write_urls"]


@dataclass(frozen=True, slots=True)
class UrlsDocument:
    feeds: tuple[Feed, ...]
    notices: tuple[str, ...] = ()


def _split(line: str) -> list[str]:
    """Newsboat's tokenizer: blanks separate, double quotes group, a backslash escapes."""
    tokens: list[str] = []
    current: list[str] = []
    quoted = False
    started = False
    chars = iter(line)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, ""))
            started = True
        elif ch == '"':
            quoted = not quoted
            started = True
        elif ch in " \t" and not quoted:
            if started:
                tokens.append("".join(current))
                current, started = [], False
        else:
            current.append(ch)
            started = True
    if started:
        tokens.append("".join(current))
    return tokens


def looks_like_urls(text: str) -> bool:
    """Whether ``text`` reads as a urls file: every non-blank, non-comment line starts with a URL."""
    lines = [line.strip() for line in text.splitlines()[:200]]
    lines = [line for line in lines if line and not line.startswith("#")]
    schemes = ("http", "https", "file", "query", "exec", "filter")
    return bool(lines) and all(
        line.startswith("/") or urlsplit(line.split()[0].strip('"')).scheme.lower() in schemes
        for line in lines)


def read_urls(text: str, *, base_dir: Path | None = None) -> UrlsDocument:
    """Parse a urls file."""
    feeds: list[Feed] = []
    notices: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        tokens = _split(stripped)
        if not tokens:
            continue
        raw_url, rest = tokens[0], tokens[1:]
        scheme = urlsplit(raw_url).scheme.lower()
        if scheme in ("query", "exec", "filter"):
            notices.append(f"line {number}: {scheme}: feeds are not supported, skipped")
            continue
        url = safe_url(raw_url, schemes=frozenset({"http", "https", "file"}))
        if url is None and not scheme and raw_url.startswith(("/", "~")):
            url = str(Path(raw_url).expanduser())
        elif url is None and not scheme and base_dir is not None:
            url = str((base_dir / raw_url).resolve())
        if url is None:
            notices.append(f"line {number}: not a feed URL, skipped: {clean_line(raw_url, 100)}")
            continue
        title = ""
        tags: list[str] = []
        for token in rest:
            if token.startswith("~"):
                title = clean_line(token[1:], 300)
            elif token.startswith("!"):
                notices.append(f"line {number}: hidden-feed mark ignored")
            elif clean_line(token, 200):
                tags.append(clean_line(token, 200))
        if url in seen:
            continue
        seen.add(url)
        feeds.append(Feed(url=url, title=title, tags=tuple(dict.fromkeys(tags))))
    return UrlsDocument(tuple(feeds), tuple(notices))


def _quote(token: str) -> str:
    escaped = token.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' if any(ch in token for ch in ' \t"\\') or not token else escaped


def write_urls(feeds: Sequence[Feed]) -> str:
    """A urls file listing ``feeds`` with their titles (``"~Title"``) and tags."""
    lines = ["# Khabar subscriptions, in Newsboat's urls format"]
    for feed in feeds:
        parts = [feed.url]
        if feed.title:
            parts.append(_quote("~" + feed.title))
        parts.extend(_quote(tag) for tag in feed.tags)
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"
