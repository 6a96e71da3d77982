"""Getting feeds and saved articles into Khabar: fetch bytes, parse them, turn HTML into blocks.

Each module has one job and returns ``reader.model`` types, so nothing outside this package ever sees an
httpx response, a feedparser dictionary or an lxml tree:

* ``fetch``: bytes from http(s), ``file://`` URLs and local paths, politely and within hard limits.
* ``parse``: RSS, RDF and Atom through feedparser (after ``xmlsafe`` has defused the prolog and
  ``encoding`` has chosen the charset); ``jsonfeed`` for JSON Feed.
* ``html``: article HTML to ``Block``s and numbered ``Link``s.
* ``opml``, ``urls``: subscription lists in and out; ``saved``: saved-article files in.
* ``build``: the few helpers that every parser shares (clean a line, check a URL, make an Article).

Nothing here prints, imports Textual or touches the store; ``reader.update`` joins this package to it.
"""
