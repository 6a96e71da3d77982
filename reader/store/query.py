"""The search language, parsed by hand into FTS5 syntax that cannot fail, with Arabic clitics handled.

Users type words, "quoted phrases", prefix*, AND / OR / NOT (upper case; lower-case "and" is a word),
and parentheses; words side by side must all match. Every word is folded with ``reader.normalize`` exactly
as the indexed text was, then re-emitted as a quoted FTS5 string, so nothing a user types reaches FTS5's own
parser raw: stray quotes are closed, unbalanced parentheses closed or dropped, dangling operators dropped.
What cannot be made sensible (a query of only NOT terms, no words at all) raises ``QueryError`` with a
message that says what to type instead.

Arabic writes conjunctions, prepositions and the article onto the next word (و ف ب ك ل ال: والكتاب,
بالكتاب, للكتاب). Rather than light-stemming the index (which mis-strips roots: كتاب is not ك + تاب), each
Arabic query word is expanded into its clitic forms, so كتاب finds الكتاب, والكتاب, بكتاب and للكتاب (and
الكِتَابُ, since harakat are folded away), and كتاب* finds الكتابة. The expansion only adds prefixes, so the
index stays exactly the folded text, and highlighting uses the same variants, so what is highlighted is
what matched. Suffixes (كتابه, كتابات) need a prefix query: كتاب*. A phrase expands its first word only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

from reader.errors import QueryError
from reader.normalize import fold

MAX_TERMS = 64
"""More words than this is not a search a person typed; refusing keeps FTS5 expressions small."""

_TOKEN = re.compile(r"[^\W_]+")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")


def clitic_variants(word: str) -> tuple[str, ...]:
    """``word`` and the forms it takes with proclitics (conjunction, preposition, article) attached.
    Only for Arabic-script words of two letters or more; others come back alone."""
    if len(word) < 2 or not _ARABIC_LETTER.match(word):
        return (word,)
    out = [word]
    if word.startswith("ال") and len(word) > 3:
        rest = word[2:]
        for conj, prep in product(_CONJ, _PREP):
            if prep == "ل":
                out.append(conj + "لل" + rest)
            elif conj or prep:
                out.append(conj + prep + word)
    else:
        for conj, prep, art in product(_CONJ, _PREP, ("", "ال")):
            if not (conj or prep or art):
                continue
            out.append(conj + ("لل" if prep == "ل" and art else prep + art) + word)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class Term:
    """A word (one token), a word with inner punctuation (several tokens), or a quoted phrase."""

    tokens: tuple[str, ...]
    """Folded tokens, in order."""
    prefix: bool = False
    """The last token is a prefix (``word*``)."""


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    keep: Node
    drop: Node


Node = Term | And | Or | Not


def _lex(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) pairs: ``(`` ``)`` ``op`` (AND/OR/NOT), ``phrase``, ``word``. Never fails."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            yield ch, ch
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                end = n  # an unclosed quote runs to the end
            star = end + 1 < n and text[end + 1] == "*"
            yield ("prefix-phrase" if star else "phrase"), text[i + 1:end]
            i = end + (2 if star else 1)
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            yield ("op" if word in ("AND", "OR", "NOT") else "word"), word
            i = j


class _Parser:
    """Recursive descent with FTS5's precedence (NOT binds tighter than AND, AND than OR), forgiving."""

    def __init__(self, text: str) -> None:
        self.items = list(_lex(text))
        self.pos = 0
        self.terms = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def parse(self) -> Node | None:
        node = self.or_expr()
        while self.peek() is not None:  # a stray ")" ends an expression early: skip it and go on
            self.pos += 1
            more = self.or_expr()
            if more is not None:
                node = more if node is None else And((node, more))
        return node

    def or_expr(self) -> Node | None:
        parts = []
        node = self.and_expr()
        if node is not None:
            parts.append(node)
        while (item := self.peek()) is not None and item == ("op", "OR"):
            self.pos += 1
            node = self.and_expr()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node | None:
        parts: list[Node] = []
        while (item := self.peek()) is not None and item[0] != ")" and item != ("op", "OR"):
            if item == ("op", "AND"):
                self.pos += 1
                continue
            if item == ("op", "NOT"):
                self.pos += 1
                drop = self.unary()
                if drop is None:
                    continue
                if not parts:
                    raise QueryError("NOT needs a word before it: search for 'word NOT other'")
                parts[-1] = Not(parts[-1], drop)
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node | None:
        item = self.peek()
        if item is None:
            return None
        kind, value = item
        self.pos += 1
        if kind == "(":
            node = self.or_expr()
            if self.peek() is not None and self.peek() == (")", ")"):
                self.pos += 1
            return node
        if kind == ")":  # pragma: no cover - and_expr stops before ")"
            return None
        if kind == "op":  # NOT NOT, AND NOT ...: an operator where a word should be
            return self.unary() if value != "OR" else None
        prefix = kind == "prefix-phrase" or (kind == "word" and value.endswith("*"))
        tokens = tuple(_TOKEN.findall(fold(value)))
        if not tokens:
            return None
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError(f"the search has more than {MAX_TERMS} words; use fewer")
        return Term(tokens, prefix)


def parse(text: str) -> Node:
    """Parse a user's search; ``QueryError`` when nothing searchable is left."""
    node = _Parser(text).parse()
    if node is None:
        raise QueryError("the search has no words in it")
    if not _has_positive(node):
        raise QueryError("the search only says what to leave out: add a word to look for")
    return node


def _has_positive(node: Node) -> bool:
    if isinstance(node, Term):
        return True
    if isinstance(node, Not):
        return _has_positive(node.keep)
    if isinstance(node, Or):
        return all(_has_positive(p) for p in node.parts)
    return any(_has_positive(p) for p in node.parts)


def _quote(tokens: tuple[str, ...]) -> str:
    return '"' + " ".join(tokens) + '"'


def _term_sql(term: Term) -> str:
    star = " *" if term.prefix else ""
    variants = clitic_variants(term.tokens[0])
    forms = [_quote((v, *term.tokens[1:])) + star for v in variants]
    return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"


def to_fts(node: Node) -> str:
    """The FTS5 MATCH expression for a parsed query: every word a quoted string, nothing left raw."""
    if isinstance(node, Term):
        return _term_sql(node)
    if isinstance(node, Not):
        return f"({to_fts(node.keep)} NOT {to_fts(node.drop)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(to_fts(p) for p in node.parts) + ")"


def positive_terms(node: Node) -> list[Term]:
    """The terms whose matches are highlighted: everything except what a NOT leaves out."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return positive_terms(node.keep)
    return [t for p in node.parts for t in positive_terms(p)]


def term_pattern(term: Term) -> re.Pattern[str]:
    """A regex over folded text matching exactly what the term's FTS5 form matches, token-aligned."""
    first = "|".join(re.escape(v) for v in sorted(clitic_variants(term.tokens[0]), key=len, reverse=True))
    parts = [f"(?:{first})", *(re.escape(t) for t in term.tokens[1:])]
    body = r"[\W_]+".join(parts)
    tail = r"[^\W_]*" if term.prefix else r"(?![^\W_])"
    return re.compile(rf"(?<![^\W_]){body}{tail}")
