"""Write the committed hostile corpus (``feeds/`` and ``pages/``) byte for byte.

The files hold raw escape bytes, NULs, invalid UTF-8 and UTF-16, which no editor keeps intact, so they are
made here and committed; run ``python tests/data/hostile/make_corpus.py`` after changing a case, and
update README.md. Size cases (megabyte titles, 100,000 items, 10,000-deep HTML) are not committed: the
tests generate them at run time with ``tests.hostile.corpus``.

Every payload sits between visible words (``before``/``after`` and the like), so a test can check that
the text around an escape survived while the escape did not.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"

PAYLOADS: dict[str, str] = {
    "csi-clear": f"{ESC}[2J{ESC}[H",
    "csi-colour": f"{ESC}[31;1;5m",
    "csi-cursor": f"{ESC}[10;40H{ESC}[5A{ESC}[2K",
    "osc0-title": f"{ESC}]0;PWNED-TITLE-OSC0{BEL}",
    "osc2-title": f"{ESC}]2;PWNED-TITLE-OSC2{ST}",
    "osc52-clipboard": f"{ESC}]52;c;{base64.b64encode(b'PWNED-CLIPBOARD').decode()}{BEL}",
    "osc8-link": f"{ESC}]8;;file:///etc/passwd{ST}LINKTEXT{ESC}]8;;{ST}",
    "dcs": f"{ESC}P$qm{ST}{ESC}Ptmux;{ESC}{ESC}]2;PWNED-DCS{BEL}{ST}",
    "c1-csi": "\x9b2J\x9b31m",
    "screen-title": f"{ESC}kPWNED-WINDOW{ST}",
    "reset": f"{ESC}c{ESC}7{ESC}8",
}
"""Terminal escapes by name: what each would do if it reached the terminal is in README.md."""

ALL = "".join(PAYLOADS.values())


def rss(title: str, items: list[dict[str, str]], *, prolog: str = "", encoding: str | None = "utf-8",
        extra_ns: str = "") -> str:
    """An RSS 2.0 document; item values are inserted as they are (callers escape what must be)."""
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n' if encoding else '<?xml version="1.0"?>\n'
    out = [declaration, prolog, f'<rss version="2.0"{extra_ns}><channel>\n<title>{title}</title>\n',
           "<link>http://hostile.example/</link>\n<description>hostile corpus</description>\n"]
    for item in items:
        out.append("<item>")
        for key, value in item.items():
            out.append(f"<{key}>{value}</{key.split()[0]}>")
        out.append("</item>\n")
    out.append("</channel></rss>\n")
    return "".join(out)


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def charrefs(text: str) -> str:
    """Every control as an XML character reference (``&#27;``, ``&#x9b;``): ill-formed XML 1.0 for C0."""
    out = []
    for i, ch in enumerate(text):
        if ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F:
            out.append(f"&#{ord(ch)};" if i % 2 else f"&#x{ord(ch):x};")
        else:
            out.append(xml_escape(ch))
    return "".join(out)


def html_refs(text: str) -> str:
    """Every control as an HTML numeric character reference (``&#27;``)."""
    return "".join(f"&#{ord(c)};" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in text)


def html_entities(text: str) -> str:
    """Every control as an HTML numeric entity, then XML-escaped: the feed is well-formed XML, and the
    HTML in the description decodes to the controls."""
    return xml_escape(html_refs(text))


def escape_feeds() -> dict[str, bytes]:
    raw_items = [{"title": f"raw {name} before{payload}after", "guid": f"raw-{name}",
                  "link": f"http://hostile.example/{name}{payload}",
                  "author": f"author{payload}name",
                  "description": xml_escape(f"<p>body before{payload}after</p>"),
                  "pubDate": "Sat, 22 May 2021 10:00:00 GMT"} for name, payload in PAYLOADS.items()]
    ref_items = [{"title": f"charref {name} before{charrefs(payload)}after", "guid": f"ref-{name}",
                  "link": f"http://hostile.example/ref/{name}",
                  "author": f"author{charrefs(payload)}name",
                  "description": f"body before{charrefs(payload)}after"}
                 for name, payload in PAYLOADS.items()]
    entity_items = [{"title": f"entity {name} before{html_entities(payload)}after", "guid": f"ent-{name}",
                     "description": html_entities(f"<p>body before{payload}after</p>")}
                    for name, payload in PAYLOADS.items()]
    channel = f"Escapes raw {xml_escape(ALL)}feed"
    atom_entries = "".join(
        f'<entry><id>urn:atom:{name}</id>'
        f'<title type="html">{html_entities("atom <b>" + name + "</b> before" + p + "after")}</title>'
        f'<updated>2021-05-22T10:00:00Z</updated><author><name>atom{xml_escape(p)}author</name></author>'
        f'<link rel="alternate" href="http://hostile.example/atom/{name}{xml_escape(p)}"/>'
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        f'<p>xhtml before{xml_escape(p)}after</p>'
        f'<p><a href="http://hostile.example/{name}">link{xml_escape(p)}text</a></p></div></content></entry>\n'
        for name, p in PAYLOADS.items())
    atom = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Escapes atom{xml_escape(ALL)}feed</title><id>urn:atom:escapes</id>"
            f"<updated>2021-05-22T10:00:00Z</updated>\n{atom_entries}</feed>\n")
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1", "title": f"Escapes json{ALL}feed",
        "home_page_url": "http://hostile.example/", "authors": [{"name": f"feed{ALL}author"}],
        "items": [{"id": f"json-{name}", "title": f"json {name} before{p}after",
                   "url": f"http://hostile.example/json/{name}{p}",
                   "content_html": f"<p>html before{p}after</p><p>entity before{html_refs(p)}after</p>",
                   "authors": [{"name": f"json{p}author"}], "date_published": "2021-05-22T10:00:00Z"}
                  for name, p in PAYLOADS.items()]
        + [{"id": "json-text", "title": "json content_text", "content_text": f"text before{ALL}after"}],
    }
    return {
        "escapes-raw.rss": rss(channel, raw_items).encode("utf-8"),
        "escapes-charref.rss": rss(f"Escapes charref{charrefs(ALL)}feed", ref_items).encode("utf-8"),
        "escapes-entity.rss": rss("Escapes as HTML entities", entity_items).encode("utf-8"),
        "escapes.atom": atom.encode("utf-8"),
        "escapes.json": json.dumps(json_feed, ensure_ascii=True, indent=1).encode("ascii"),
    }


MARKUP = {
    "bold": "[bold]x",
    "close": "[/] unbalanced close",
    "click": "[@click=app.quit]Quit now[/]",
    "link": "[link=file:///etc/passwd]passwd[/link]",
    "style": "[reverse red on white blink]styled[/reverse red on white blink]",
    "emoji": ":warning: :skull: [b]b[/b] [i]",
    "escaped": r"\[bold] and \\[/] and [[double]]",
    "textual": "[$accent]var[/] [@click=screen.dismiss()]x[/] [on $error]e[/]",
}
"""Rich and Textual markup that must show literally and do nothing."""


def markup_feeds() -> dict[str, bytes]:
    items = [{"title": xml_escape(text), "guid": f"markup-{name}", "author": xml_escape(f"[red]{name}[/red]"),
              "link": f"http://hostile.example/markup/{name}",
              "description": xml_escape(f"<p>body {text}</p>"), "pubDate": "Sat, 22 May 2021 09:00:00 GMT"}
             for name, text in MARKUP.items()]
    json_feed = {"version": "https://jsonfeed.org/version/1.1", "title": "[@click=app.quit]Markup json[/]",
                 "items": [{"id": f"json-markup-{name}", "title": text, "content_text": f"body {text}",
                            "url": f"http://hostile.example/jm/{name}"} for name, text in MARKUP.items()]}
    return {"markup.rss": rss(xml_escape("[@click=app.quit]Markup feed[/] [bold]"), items).encode("utf-8"),
            "markup.json": json.dumps(json_feed, ensure_ascii=False).encode("utf-8")}


BIDI = {
    "rlo": "\u202eRLO unclosed title",
    "rli": "\u2067RLI unclosed title",
    "pdf": "stray PDF\u202c title",
    "pdi": "stray PDI\u2069 title",
    "mixed": "\u202e\u2067\u202b nested \u202d\u2066 open",
    "arabic-rlo": "\u202eخبر عاجل unclosed",
    "trojan": "access\u202e \u2066// check admin\u2069 \u2066level",
}
"""Unbalanced explicit bidi controls (Trojan Source shapes) in titles."""


def bidi_feeds() -> dict[str, bytes]:
    items = [{"title": xml_escape(text), "guid": f"bidi-{name}", "author": f"author\u202e{name}",
              "link": f"http://hostile.example/bidi/{name}",
              "description": xml_escape(f"<p>\u202ebody {name}</p><p>next paragraph</p>"),
              "pubDate": f"Sat, 22 May 2021 08:{i:02d}:00 GMT"}
             for i, (name, text) in enumerate(BIDI.items())]
    return {"bidi.rss": rss("Bidi \u202e feed", items).encode("utf-8")}


MARKER = "KHABAR-XXE-MARKER-6d1f0c"
"""The text of ``xxe-secret.txt``: it must never appear in the archive."""


def xml_attack_feeds() -> dict[str, bytes]:
    lol = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    laughs = rss("Billion laughs", [{"title": "laugh &lol9;", "guid": "laugh", "description": "body &lol9;"}],
                 prolog="<!DOCTYPE rss [\n" + "\n".join(lol) + "\n]>\n")
    oneline = rss("Billion laughs on one line",
                  [{"title": "laugh &lol9;", "guid": "laugh1", "description": "body &lol9;"}],
                  prolog="<!DOCTYPE rss [" + " ".join(lol) + "]>")
    xxe = rss("XXE", [{"title": "secret &xxe;", "guid": "xxe", "description": "body &xxe; end"}],
              prolog='<!DOCTYPE rss [<!ENTITY xxe SYSTEM "xxe-secret.txt">]>\n')
    xxe_abs = rss("XXE absolute",
                  [{"title": "secret &xxe;", "guid": "xxe-abs", "description": "body &xxe; end"}],
                  prolog='<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://@SECRET@">]>\n')
    xxe_param = rss("XXE parameter entity", [{"title": "param &all;", "guid": "xxe-param",
                                              "description": "body &all; end"}],
                    prolog='<!DOCTYPE rss [<!ENTITY % ext SYSTEM "file://@SECRET@"> '
                           '<!ENTITY % dtd SYSTEM "@DTD_URL@"> %ext; %dtd; <!ENTITY all "x%ext;">]>\n')
    dtd = rss("External DTD", [{"title": "dtd &ent;", "guid": "dtd", "description": "body &ent; end"}],
              prolog='<!DOCTYPE rss PUBLIC "-//Hostile//DTD//EN" "@DTD_URL@">\n')
    xinclude = rss("XInclude", [{"title": "xinclude", "guid": "xinclude",
                                 "description xmlns:xi=\"http://www.w3.org/2001/XInclude\"":
                                     '<xi:include href="file://@SECRET@" parse="text"/> end'}])
    stylesheet = ('<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="@DTD_URL@"?>\n'
                  + rss("Stylesheet PI", [{"title": "stylesheet", "guid": "xsl", "description": "b"}])
                  .split("\n", 1)[1])
    return {
        "billion-laughs.rss": laughs.encode(), "billion-laughs-oneline.rss": oneline.encode(),
        "xxe-relative.rss": xxe.encode(), "xxe-secret.txt": (MARKER + "\n").encode(),
        "xxe-absolute.rss.in": xxe_abs.encode(), "xxe-parameter.rss.in": xxe_param.encode(),
        "dtd-external.rss.in": dtd.encode(), "xinclude.rss.in": xinclude.encode(),
        "stylesheet.rss.in": stylesheet.encode(),
    }


def encoding_feeds() -> dict[str, bytes]:
    arabic = "خبر عاجل من أربيل"
    base = rss("Encoding @CASE@", [{"title": f"{arabic} @CASE@", "guid": "enc-1",
                                    "description": f"body {arabic} end"}])
    invalid = base.replace("@CASE@", "invalid utf-8").encode("utf-8")
    invalid = invalid.replace(b"end</description>",
                              b"end \xff\xfe\xc3\x28 \xe2\x82 \xed\xa0\x80</description>")
    wrong = base.replace("@CASE@", "wrong charset").replace('encoding="utf-8"', 'encoding="iso-8859-1"')
    cp1256 = base.replace("@CASE@", "cp1256 declared utf-8")
    utf16 = base.replace("@CASE@", "utf-16").replace('encoding="utf-8"', 'encoding="utf-16"')
    nobom = base.replace("@CASE@", "utf-16 no bom").replace('encoding="utf-8"', 'encoding="utf-16"')
    nul = base.replace("@CASE@", "nul bytes").encode()
    nul = nul.replace(b"end</description>", b"e\x00n\x00d</description>")
    nul = nul.replace(b"<title>\xd8", b"<title>\x00\xd8", 1)
    json_bad = b'{"version": "https://jsonfeed.org/version/1.1", "title": "json \xff\xfe bad", "items": [' \
               b'{"id": "j1", "title": "t\x00itle \xc3\x28", "content_text": "body\\u0000 \\ud800 lone"}]}'
    return {
        "invalid-utf8.rss": invalid,
        "wrong-charset.rss": wrong.encode("utf-8"),
        "cp1256-declared-utf8.rss": cp1256.encode("cp1256"),
        "utf16-bom.rss": utf16.encode("utf-16"),
        "utf16le-nobom.rss": nobom.encode("utf-16-le"),
        "utf16be-nobom.rss": nobom.replace("no bom", "be no bom").encode("utf-16-be"),
        "nul-bytes.rss": nul,
        "invalid-utf8.json": json_bad,
    }


DATES = {
    "year0": "Sat, 01 Jan 0000 00:00:00 GMT",
    "year9999": "Fri, 31 Dec 9999 23:59:59 GMT",
    "overflow": "Fri, 31 Dec 9999 23:59:59 -1400",
    "underflow": "Mon, 01 Jan 0001 00:00:00 +1400",
    "garbage": "the day after tomorrow",
    "nonsense": "Mon, 99 Foo 2021 99:99:99 +9999",
    "empty": "",
    "huge-year": "Mon, 01 Jan 99999999999 00:00:00 GMT",
}


def value_feeds() -> dict[str, bytes]:
    items: list[dict[str, str]] = [
        {"title": f"date {name}", "guid": f"date-{name}", "pubDate": value, "description": "b"}
        for name, value in DATES.items()]
    items += [
        {"guid": "no-title", "description": "an item with no title at all", "link": "http://hostile.example/nt"},
        {"title": "no link and no guid", "description": "nothing to follow"},
        {"title": "", "description": ""},
        {"title": "javascript link", "guid": "js", "link": "javascript:alert(document.cookie)",
         "description": xml_escape('<p><a href="javascript:alert(1)">js</a> <a href="data:text/html,<script>'
                                   'alert(1)</script>">data</a> <a href="file:///etc/passwd">file</a> '
                                   '<a href="JaVaScRiPt:alert(2)">mixed case</a> <a href=" java\tscript:x">'
                                   'split</a> <a href="http://ok.example/">ok</a></p>')},
        {"title": "data link", "guid": "data", "description": "b",
         "link": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
        {"title": "file link", "guid": "file", "link": "file:///etc/passwd", "description": "b",
         'enclosure url="file:///etc/shadow" type="text/plain" length="-5"': ""},
        {"title": "vbscript link", "guid": "vbs", "link": "vbscript:msgbox(1)", "description": "b"},
        {"title": "duplicate guid first", "guid": "dup", "description": "first"},
        {"title": "duplicate guid second", "guid": "dup", "description": "second"},
        {"title": "duplicate guid third", "guid": "dup", "description": "third"},
    ]
    atom_dates = {"year0": "0000-01-01T00:00:00Z", "year9999": "9999-12-31T23:59:59Z",
                  "overflow": "9999-12-31T23:59:59-14:00", "underflow": "0001-01-01T00:00:00+14:00",
                  "garbage": "2021-13-45T25:61:61Z"}
    atom = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Values atom</title><id>urn:values</id><updated>9999-12-31T23:59:59Z</updated>\n"
            + "".join(f"<entry><id>urn:v:{n}</id><title>atom date {n}</title><updated>{v}</updated>"
                      f"<published>{v}</published><link href=\"javascript:alert('{n}')\"/>"
                      "<content type=\"html\">x</content></entry>\n" for n, v in atom_dates.items())
            + "<entry><id>urn:v:same</id><title>atom dup 1</title></entry>"
            + "<entry><id>urn:v:same</id><title>atom dup 2</title></entry>\n</feed>\n")
    json_feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Values json",
                 "items": [{"id": f"jd-{n}", "title": f"json date {n}", "date_published": v,
                            "date_modified": v, "content_text": "b", "url": "javascript:alert(1)"}
                           for n, v in atom_dates.items()]
                 + [{"id": "jd-types", "title": 12345, "date_published": 17, "url": ["x"],
                     "content_html": None},
                    {"id": 7, "content_text": "numeric id and no title"},
                    {"id": "jd-dup", "title": "json dup 1", "content_text": "a"},
                    {"id": "jd-dup", "title": "json dup 2", "content_text": "b"},
                    {"title": "no id", "url": "data:text/plain,hi", "content_text": "c"},
                    "not an object", None, []]}
    same_link = rss("Same link, distinct guids", [
        {"title": f"same link {n}", "guid": f"same-link-{n}", "link": "http://hostile.example/home",
         "description": f"distinct article {n}"} for n in range(3)])
    return {"values.rss": rss("Values", items).encode(), "values.atom": atom.encode(),
            "same-link.rss": same_link.encode(),
            "values.json": json.dumps(json_feed).encode()}


def other_feeds() -> dict[str, bytes]:
    good = rss("Good neighbour", [{"title": f"good article {i}", "guid": f"good-{i}",
                                   "link": f"http://good.example/{i}", "description": f"plain body {i}",
                                   "pubDate": "Sat, 22 May 2021 07:00:00 GMT"} for i in range(3)])
    return {"good.rss": good.encode(),
            "not-a-feed.rss": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "truncated.rss": rss("Truncated", [{"title": "cut", "guid": "cut"}]).encode()[:90]}


def pages() -> dict[str, bytes]:
    text = (f"Hostile source{PAYLOADS['osc0-title']} – city\n"
            f"A saved article whose body holds escapes{ALL} and markup [@click=app.quit]quit[/] here.\n"
            f"\u202eAn unclosed override in a paragraph\n"
            f"A third paragraph with [bold]bold[/bold] and NUL\x00 and BEL\x07.\n")
    html = (f"<html><head><title>saved page{xml_escape(ALL)}title</title></head><body><article>"
            f"<h1>Saved page [bold]x before{ALL}after</h1>"
            f"<p>Paragraph one has a lot of ordinary words so that the extractor keeps it as main text, "
            f"with escapes before{ALL}after and entities before&#27;[2J&#x9b;31m&#155;after.</p>"
            f"<p>Paragraph two also has plenty of ordinary words for the extractor, and links: "
            f'<a href="javascript:alert(1)">js</a>, <a href="data:text/html,x">data</a>, '
            f'<a href="file:///etc/passwd">file</a>, <a href="http://ok.example/">ok</a>.</p>'
            f"<p>\u202eParagraph three opens an override and never closes it, then says more words.</p>"
            f"</article></body></html>")
    md = (f"# Markdown [@click=app.quit]title[/]\n\nA paragraph with escapes{ALL} and "
          f"[link](javascript:alert(1)) and [file](file:///etc/passwd) and <script>alert(1)</script> "
          f"and [bold]markup[/].\n\n- item \u202eone\n- item [/]two\n")
    return {"escapes.txt": text.encode(), "escapes.html": html.encode(), "markup.md": md.encode()}


OPML_TITLES = {
    "escapes-raw.rss": f"OPML title{ESC}]0;PWNED-OPML{BEL} raw",
    "markup.rss": "[@click=app.quit]OPML markup[/]",
}
"""Subscription titles the OPML file gives some feeds (hostile too); the others keep their own."""


def opml(feeds: list[str]) -> bytes:
    """``hostile.opml``: every feed of the corpus by relative path (resolved against the OPML's folder),
    inside a folder outline whose name is hostile too. Templates (``*.in``) are listed by the name the
    tests give the filled-in copy."""
    outlines = []
    for name in feeds:
        title = OPML_TITLES.get(name, "")
        attr = f' text="{charrefs(title).replace(chr(34), "&quot;")}"' if title else ""
        outlines.append(f'    <outline type="rss" xmlUrl="{name}"{attr}/>\n')
    return ('<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head><title>Hostile corpus'
            f"{charrefs(PAYLOADS['osc2-title'])}</title></head><body>\n"
            f'  <outline text="hostile{charrefs(PAYLOADS["csi-colour"])} [bold]tag">\n'
            + "".join(outlines) + "  </outline>\n</body></opml>\n").encode()


def main() -> None:
    feeds = {**escape_feeds(), **markup_feeds(), **bidi_feeds(), **xml_attack_feeds(), **encoding_feeds(),
             **value_feeds(), **other_feeds()}
    listed = sorted(name.removesuffix(".in") for name in feeds if name != "xxe-secret.txt")
    groups = {"feeds": {**feeds, "hostile.opml": opml(listed)}, "pages": pages()}
    for folder, files in groups.items():
        target = HERE / folder
        target.mkdir(exist_ok=True)
        for name, data in files.items():
            (target / name).write_bytes(data)


if __name__ == "__main__":
    main()
