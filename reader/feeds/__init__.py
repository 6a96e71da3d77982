"""Getting feeds and saved articles into Khabar: fetch bytes, parse them, turn HTML into blocks.

Each module has one job and returns ``reader.model`` types, so nothing outside this package ever sees an
httpx response, a feedparser dictionary or an lxml tree:

* ``fetch``: bytes from http(s), ``file://`` URLs and local paths, politely and within hard limits.
* ``encoding``: bytes to text, including undeclared windows-1256, ISO-8859-6 and windows-1255.
* ``xmlsafe``: the DTD removed from every XML prolog (no entity expansion, nothing external fetched).
* ``parse``: RSS, RDF and Atom through feedparser; ``jsonfeed``: JSON Feed 1.0 and 1.1.
* ``html`` (on the linear tokenizer ``htmltok``): article HTML to ``Block``s and numbered ``Link``s.
* ``extract``: the main text of a full web page (trafilatura), for saved pages and ``fetch-full``.
* ``opml``, ``urls``: subscription lists in and out; ``saved``: saved-article files in.
* ``build``: what every parser shares (the sanitiser call, one-line fields, safe URLs, sane dates,
  guids, the Article itself).

Nothing here prints, imports Textual or touches the store; ``reader.update`` joins this package to it.
"""
