"""``khabar entities``: the people, places, organisations and dates in a text file or a stored article, and
``--backfill`` to extract them for every stored article that has none yet.

A FILE is read as UTF-8 (undecodable bytes become U+FFFD) and sanitised like feed text before extraction.
An ARTICLE (an id that ``khabar list`` prints) is read from the archive; its entities are extracted afresh
from its body text and printed, not stored. The extractor is the one ``entity_backend`` in the config names.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "list the people, places, organisations and dates in a file or article (--backfill: the archive)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target",
        nargs="?",
        metavar="FILE|ARTICLE",
        help="a UTF-8 text file, '-' for standard input, or an article id from 'khabar list'",
    )
    parser.add_argument("--json", action="store_true", help="print JSON: entities with every mention's span")
    parser.add_argument(
        "--language",
        metavar="LANG",
        help="language hint for a FILE whose script is ambiguous (ar, fa, ur, ckb, he, en)",
    )
    parser.add_argument(
        "--backfill",
        action="store_true",
        help="extract and store entities for every stored article that has none yet",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="with --backfill: at most N articles")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import json
    import os
    import sys

    from reader.entities import backfill, extract_article, load_extractor
    from reader.errors import UsageError

    extractor = load_extractor(ctx.settings.entity_backend)
    if args.backfill:
        if args.target:
            raise UsageError("--backfill takes no FILE or ARTICLE")
        if args.limit is not None and args.limit < 0:
            raise UsageError(f"--limit must be 0 or more, got {args.limit}")
        from reader.store import Store

        with Store.open(ctx.paths.db_file, on_wait=ctx.warn) as store:
            done = backfill(store, limit=args.limit, extractor=extractor)
        if args.json:
            ctx.stdout.write(json.dumps({"articles": done}) + "\n")
        else:
            from reader.commands._output import plural

            ctx.stdout.write(f"entities extracted for {plural(done, 'article')}\n")
        return 0
    if not args.target:
        raise UsageError("give a FILE or ARTICLE, or --backfill")
    if args.target == "-" or os.path.isfile(args.target):
        from reader.rtl.sanitize import sanitize

        if args.target == "-":
            raw = sys.stdin.buffer.read()
        else:
            try:
                with open(args.target, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                raise UsageError(f"cannot read {args.target}: {exc.strerror or exc}") from None
        text = sanitize(raw.decode("utf-8", errors="replace").replace("\r\n", "\n"))
        entities = extractor.extract(text, language=args.language)
    else:
        from reader.store import Store

        if not ctx.paths.db_file.exists():
            raise UsageError(f"no such file, and no archive to find article {args.target!r} in")
        with Store.open(ctx.paths.db_file, readonly=True, on_wait=ctx.warn) as store:
            article = store.get_article(args.target)
        text = article.body_text
        entities = list(extract_article(article, extractor=extractor))
    if args.json:
        json.dump([_as_json(e) for e in entities], ctx.stdout, ensure_ascii=False, indent=1)
        ctx.stdout.write("\n")
        return 0
    _print_table(entities, ctx)
    return 0


def _as_json(entity: Any) -> dict[str, Any]:
    return {
        "type": entity.type.value,
        "key": entity.key,
        "name": entity.name,
        "mentions": [{"start": m.span.start, "end": m.span.end, "text": m.text} for m in entity.mentions],
    }


def _print_table(entities: list[Any], ctx: Context) -> None:
    """One line per entity: type, mention count, name and the other spellings. The name and the other
    spellings are separate columns, each laid out on its own by the RTL engine, so an Arabic name can never
    swap places with the count or the type beside it."""
    from reader.commands._output import is_tty, output_mode
    from reader.rtl.layout import visual_line
    from reader.rtl.terminal import explicit_bidi
    from reader.store.table import cell, join

    out = ctx.stdout
    mode = output_mode(ctx.settings.bidi, out)
    if not entities:
        ctx.warn("no entities found")
        return
    name_width = min(40, max(visual_line(e.name, 200, mode=mode).cells for e in entities))
    with explicit_bidi(out, enabled=mode == "app" and is_tty(out)):
        for entity in entities:
            others = "، ".join(s for s in entity.surfaces if s != entity.name)
            cells = [f"{entity.type.value:<6}", f"{len(entity.mentions):>3}×",
                     cell(entity.name, name_width, mode)]
            if others:
                cells.append(cell(others, min(60, visual_line(others, 200, mode=mode).cells), mode))
            out.write(join(cells, mode) + "\n")
