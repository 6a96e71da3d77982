"""``khabar export``: the archive as JSON (everything needed to rebuild it), Markdown, or OPML.

JSON is the versioned format of ``reader.store.export`` that ``khabar import`` reads back: feeds with tags
and fetch state, articles with blocks, links, state and entities. Markdown is every article for reading
elsewhere; OPML is the subscriptions for another reader. With ``-o FILE`` the file is written whole or not
at all (a temporary file renamed into place).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "export the archive as JSON (rebuildable with 'khabar import'), Markdown or OPML"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "md", "opml"), default="json",
                        help="json (default): the whole archive; md: articles as Markdown; "
                             "opml: subscriptions")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import contextlib
    import os
    import tempfile
    from pathlib import Path
    from typing import TextIO

    from reader.errors import UsageError
    from reader.store import Store
    from reader.store import export as exporter

    def write(store: Store, out: TextIO) -> int:
        if args.format == "json":
            return exporter.export_json(store, out)
        if args.format == "md":
            return exporter.export_markdown(store, out)
        return exporter.export_opml(store.list_feeds(), out)

    with Store.open(ctx.paths.db_file, on_wait=ctx.warn) as store:
        if not args.output or args.output == "-":
            write(store, ctx.stdout)
            ctx.stdout.flush()
            return 0
        target = Path(args.output)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                count = write(store, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise UsageError(f"cannot write {target}: {exc.strerror}") from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    from reader.commands._output import plural

    print(f"exported {plural(count, 'feed' if args.format == 'opml' else 'article')} to {target}",
          file=ctx.stderr)
    return 0
