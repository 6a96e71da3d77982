"""``khabar mark ARTICLE... --read|--unread|--star|--unstar|--save|--unsave``: change articles' state.

Exit 0 when every article was found, 1 when some were not (the others are still marked), 2 when none was.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "mark articles read or unread, starred or not, saved or not"

_ACTIONS = {"read": ("read", True), "unread": ("read", False), "star": ("starred", True),
            "unstar": ("starred", False), "save": ("saved", True), "unsave": ("saved", False)}
_DONE = {"read": "read", "unread": "unread", "star": "starred", "unstar": "unstarred", "save": "saved",
         "unsave": "unsaved"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("articles", nargs="+", metavar="ARTICLE",
                        help="article ids, as 'khabar list' prints")
    group = parser.add_mutually_exclusive_group(required=True)
    for name in _ACTIONS:
        group.add_argument(f"--{name}", dest="action", action="store_const", const=name,
                           help=f"mark them: {name}")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from reader.errors import NotFoundError
    from reader.store import Store

    field, value = _ACTIONS[args.action]
    wanted = list(dict.fromkeys(a.strip() for a in args.articles))
    with Store.open(ctx.paths.db_file, on_wait=ctx.warn) as store:
        known = store.existing_ids(wanted)
        missing = [a for a in wanted if a not in known]
        if not known:
            raise NotFoundError(f"no article {_ids(missing)} (ids are what 'khabar list' prints)")
        store.set_state([a for a in wanted if a in known], **{field: value})
    plural = "s" if len(known) != 1 else ""
    print(f"marked {len(known)} article{plural} {_DONE[args.action]}", file=ctx.stdout)
    if missing:
        print(f"khabar: error: no article {_ids(missing)}", file=ctx.stderr)
        return 1
    return 0


def _ids(ids: list[str]) -> str:
    """'a1' or 'a1', 'b2': worded as ``khabar show`` words a missing id."""
    return ", ".join(repr(i) for i in ids)
