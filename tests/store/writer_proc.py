"""A child process for the crash and concurrency tests: writes batches through the store and reports
each batch on stdout only after its transaction has committed.

Usage: python writer_proc.py DB FIRST_BATCH BATCHES [ARTICLES_PER_BATCH]
Each line printed is ``committed <batch> <article ids...>``. Every article of batch b carries the word
``batchtoken<b>`` so the parent can check the search index too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reader.model import Article, Block, BlockKind, Feed, article_id
from reader.store import Store

FEED_URL = "https://crash.example/feed"
FILLER = ("أعلنت وزارة الداخلية في إقليم كوردستان اليوم عن افتتاح مدرسة جديدة في أربيل، "
          "The ministry said the school would open in September. ") * 6


def entries(batch: int, count: int) -> list[Article]:
    out = []
    for j in range(count):
        guid = f"b{batch}-{j}"
        out.append(Article(id=article_id(FEED_URL, guid), feed_id=None, guid=guid,
                           title=f"خبر {batch} رقم {j}",
                           blocks=(Block(BlockKind.PARAGRAPH, f"batchtoken{batch} {FILLER}"),
                                   Block(BlockKind.PARAGRAPH, f"{j} {FILLER}"))))
    return out


def main(argv: list[str]) -> int:
    db, first, batches = Path(argv[0]), int(argv[1]), int(argv[2])
    per = int(argv[3]) if len(argv) > 3 else 100
    with Store.open(db, busy_timeout=30) as store:
        feeds = [f for f in store.list_feeds() if f.url == FEED_URL]
        feed = feeds[0] if feeds else store.add_feed(Feed(url=FEED_URL, title="Crash test"))
        assert feed.id is not None
        for batch in range(first, first + batches):
            result = store.write_feed_entries(feed.id, entries(batch, per))
            if batch > first:  # touch the previous batch too: updates and state in their own transactions
                store.set_state([article_id(FEED_URL, f"b{batch - 1}-0")], read=True)
            print("committed", batch, *result.new, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
