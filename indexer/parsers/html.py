"""HTML issues: archive pages and newsletter-platform "view in browser" exports.

The page is flattened into headings and paragraphs in reading order; headings without a
link are sections, headings with a link (or a paragraph that opens with a bold link) start
an item, and the paragraphs after it are its text. `extract_content` is reused by the feed
parser for entry bodies.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
    XMLParsedAsHTMLWarning,
)

from kb.models import Issue, Item

from ..sections import normalize_section
from .base import Parser, Source
from .common import (
    FOOTER,
    collapse,
    fallback_publication,
    guarded,
    join_paragraphs,
    make_item,
    number_from_filename,
    number_from_text,
    parse_date,
    require_items,
    split_issue_heading,
)

__all__ = ["HtmlParser", "Content", "extract_content", "parse_fragment", "soup_of"]

_SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "form",
         "button", "iframe", "select", "title", "meta", "link"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PARAGRAPHS = {"p", "blockquote", "li", "pre", "figcaption", "dd", "dt", "address"}
_INLINE = {"a", "b", "strong", "em", "i", "span", "u", "code", "small", "sup", "sub", "img",
           "font", "mark", "abbr", "cite", "q", "s", "time", "label"}
_BOLD = {"b", "strong"}
_LEAD_SEPARATORS = " \u00a0—–-:|·•"
_DATE_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "date"),
    ("name", "dc.date"),
    ("name", "DC.date"),
    ("name", "pubdate"),
    ("name", "publish-date"),
    ("name", "publish_date"),
    ("property", "og:published_time"),
)

Node = Tag | NavigableString


@dataclass
class Content:
    """What a page or a feed entry body holds: the intro and the items, in order."""

    title: str = ""
    intro: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


def _text(nodes: list[Node] | Node) -> str:
    nodes = nodes if isinstance(nodes, list) else [nodes]
    return collapse("".join(n.get_text() if isinstance(n, Tag) else str(n) for n in nodes))


def _blocks(parent: Tag) -> Iterator[tuple[str, list[Node]]]:
    """Yield ('heading'|'para'|'hr', nodes) in reading order; loose inline text is a paragraph."""
    run: list[Node] = []
    for child in list(parent.children):
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, doctype or CDATA
                run.append(child)
            continue
        if child.name in _INLINE:
            run.append(child)
            continue
        if run and _text(run):
            yield "para", run
        run = []
        if child.name in _SKIP:
            continue
        if child.name in _HEADINGS:
            yield "heading", [child]
        elif child.name in _PARAGRAPHS:
            yield "para", [child]
        elif child.name == "hr":
            yield "hr", [child]
        else:
            yield from _blocks(child)
    if run and _text(run):
        yield "para", run


def _is_link(a: Tag) -> bool:
    """An <a> with text that is not an in-page anchor, script or mail link."""
    href = (a.get("href") or "").strip()
    return bool(_text(a)) and not href.startswith(("#", "javascript:", "mailto:"))


def _link_of(tag: Tag) -> Tag | None:
    """The link of a heading or bold lead (the tag itself when it is one)."""
    if tag.name == "a":
        return tag if _is_link(tag) else None
    return next((a for a in tag.find_all("a") if _is_link(a)), None)


def _url(a: Tag) -> str | None:
    href = (a.get("href") or "").strip()
    return href if href.startswith(("http://", "https://")) else None


def _bold_lead(nodes: list[Node]) -> tuple[Tag, Tag] | None:
    """(lead, link) of a paragraph opening with <strong><a>…</a></strong> or <a><b>…</b></a>."""
    inner: list[Node] = list(nodes[0].children) if len(nodes) == 1 and isinstance(nodes[0], Tag) else nodes
    first = next((n for n in inner if not (isinstance(n, NavigableString) and not n.strip())), None)
    if not isinstance(first, Tag) or first.name not in _BOLD | {"a"}:
        return None
    link = _link_of(first)
    bold = first if first.name in _BOLD else first.find(list(_BOLD))
    if link is None or bold is None or _text(link) != _text(first) or _text(bold) != _text(first):
        return None
    return first, link


class _Builder:
    """Accumulates sections, items and intro while walking the blocks once."""

    def __init__(self) -> None:
        self.content = Content()
        self.section: str | None = None
        self.section_level = 7
        self.title: str | None = None
        self.url: str | None = None
        self.level = 0
        self.body: list[str] = []
        self.item_section: str | None = None

    def close(self) -> None:
        if self.title is not None:
            self.content.items.append(make_item(self.title, self.body, self.url, self.item_section))
        self.title, self.url, self.body = None, None, []

    def open(self, title: str, url: str | None, level: int, text: str = "") -> None:
        self.close()
        self.title, self.url, self.level, self.item_section = title, url, level, self.section
        self.body = [text] if text else []

    def heading(self, tag: Tag) -> None:
        level = int(tag.name[1])
        text = _text(tag)
        link = _link_of(tag)
        if self.title is not None and level > self.level and not self.body:
            for badge in tag.select(".badge"):
                badge.extract()
            if author := _text(tag):  # a byline right under the item's title
                self.body.append(f"By {author}.")
        elif level == 1 and not self.content.title and link is None:
            self.content.title = text
        elif link is not None:
            self.open(text, _url(link), level)
        elif level > self.section_level and text:
            self.open(text, None, level)
        elif text and not FOOTER.search(text):
            self.close()
            self.section, self.section_level = normalize_section(text), level

    def paragraph(self, nodes: list[Node]) -> None:
        text = _text(nodes)
        if not text or FOOTER.search(text):
            return
        if (bold_lead := _bold_lead(nodes)) is not None:
            lead, link = bold_lead
            title = _text(lead)
            rest = text[len(title) :] if text.startswith(title) else text
            self.open(title, _url(link), 7, rest.lstrip(_LEAD_SEPARATORS))
        elif self.title is not None:
            self.body.append(text)
        elif not self.content.items:
            self.content.intro.append(text)


def extract_content(root: Tag) -> Content:
    """Sections, items and intro of a page body or of an HTML fragment."""
    for br in root.find_all("br"):
        br.replace_with(" ")
    builder = _Builder()
    for kind, nodes in _blocks(root):
        if kind == "heading":
            builder.heading(nodes[0])  # type: ignore[arg-type]
        elif kind == "para":
            builder.paragraph(nodes)
        else:
            builder.close()
    builder.close()
    return builder.content


def soup_of(html: str) -> BeautifulSoup:
    """Parse with the stdlib backend; a fragment that looks like a URL or XML is still HTML."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(html, "html.parser")


def parse_fragment(html: str) -> Content:
    return extract_content(soup_of(html))


def _meta(soup: BeautifulSoup, attr: str, value: str) -> str | None:
    tag = soup.find("meta", attrs={attr: value})
    content = tag.get("content") if isinstance(tag, Tag) else None
    return content.strip() if isinstance(content, str) and content.strip() else None


def _page_date(soup: BeautifulSoup) -> date | None:
    time = soup.find("time", attrs={"datetime": True})
    candidates = [time.get("datetime") if isinstance(time, Tag) else None]
    candidates += [_meta(soup, attr, value) for attr, value in _DATE_META]
    return next((d for d in map(parse_date, candidates) if d is not None), None)


class HtmlParser(Parser):
    name = "html"
    extensions = (".html", ".htm", ".xhtml")

    def score(self, source: Source) -> int:
        if source.path.suffix.lower() in self.extensions:
            return 10
        head = source.text[:1000].lower()
        return 5 if "<html" in head or "<!doctype html" in head else 0

    @guarded
    def parse(self, source: Source) -> list[Issue]:
        soup = soup_of(source.text)
        page_title = collapse(soup.title.get_text()) if soup.title else ""
        og_title = _meta(soup, "property", "og:title") or ""
        content = extract_content(soup.body or soup)
        title = content.title or og_title or page_title
        number = next(
            (n for n in map(number_from_text, (title, page_title, og_title)) if n is not None),
            number_from_filename(source.path),
        )
        headings = map(split_issue_heading, (title, page_title, og_title))
        heading_publication = next((p for p, n in headings if p and n is not None), None)
        publication = (
            _meta(soup, "property", "og:site_name") or heading_publication or fallback_publication(source)
        )
        issue = Issue(
            publication=publication,
            source=str(source.path),
            number=number,
            title=title,
            summary=_meta(soup, "name", "description") or _meta(soup, "property", "og:description") or "",
            intro=join_paragraphs(content.intro),
            date=_page_date(soup),
            items=tuple(content.items),
        )
        return [require_items(source, issue)]
