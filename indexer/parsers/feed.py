"""RSS 2.0 / RSS 1.0 / Atom feeds: one Issue per entry.

Newsletter platforms publish every issue in a feed with the full HTML body, so an entry's
content goes through the HTML parser's extraction; an entry whose body has no recognisable
items becomes a single item, so nothing in a feed is silently dropped.
"""
from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET

from kb.models import Issue

from .base import ParseError, Parser, Source
from .common import (
    collapse,
    fallback_publication,
    guarded,
    join_paragraphs,
    make_item,
    number_from_text,
    parse_date,
)
from .blocks import Block
from .html_blocks import html_blocks, soup_of
from .items import detect_items

__all__ = ["FeedParser"]

_HEAD = re.compile(r"<(rss|feed|rdf:RDF)\b", re.I)
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, *names: str) -> ET.Element | None:
    """First child whose local name (or '{ns}name') is one of `names`, in that preference."""
    for name in names:
        for child in element:
            if child.tag == name or ("{" not in name and _local(child.tag) == name):
                return child
    return None


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _plain(markup: str) -> str:
    return collapse(soup_of(markup).get_text(" ")) if "<" in markup else collapse(markup)


def _html_of(element: ET.Element | None) -> str:
    """An Atom/RSS content element as an HTML string, whatever its declared type."""
    if element is None:
        return ""
    kind = element.get("type", "html")
    if kind == "xhtml" or len(element):
        body = copy.deepcopy(element)
        for node in body.iter():
            node.tag = _local(node.tag)
        return "".join(ET.tostring(child, encoding="unicode") for child in body)
    text = element.text or ""
    if kind == "text":
        return "".join(f"<p>{p}</p>" for p in re.split(r"\n\s*\n", text.replace("<", "&lt;")))
    return text


def _link(entry: ET.Element) -> str | None:
    for child in entry:
        if _local(child.tag) != "link":
            continue
        href = child.get("href") or (child.text or "").strip()
        if href and child.get("rel", "alternate") == "alternate":
            return href
    return None


class FeedParser(Parser):
    name = "feed"
    extensions = (".xml", ".rss", ".atom")

    def score(self, source: Source) -> int:
        if _HEAD.search(source.text[:2000]):
            return 20
        return 5 if source.path.suffix.lower() in self.extensions else 0

    def _entries(self, source: Source) -> tuple[ET.Element | None, list[ET.Element]]:
        try:
            root = ET.fromstring(source.text.lstrip("\ufeff"))
        except ET.ParseError as exc:
            raise ParseError(source.path, f"malformed XML: {exc}") from exc
        kind = _local(root.tag)
        if kind == "rss":
            channel = _child(root, "channel")
            if channel is None:
                raise ParseError(source.path, "RSS feed without a <channel>")
            entries = [e for e in channel if _local(e.tag) == "item"]
        elif kind in ("feed", "RDF"):
            channel = _child(root, "channel") if kind == "RDF" else root
            entries = [e for e in root if _local(e.tag) in ("entry", "item")]
        else:
            raise ParseError(source.path, f"not an RSS or Atom feed (root element <{kind}>)")
        if not entries:
            raise ParseError(source.path, "feed has no entries")
        return channel, entries

    @staticmethod
    def _body(entry: ET.Element) -> tuple[str, str]:
        body = _html_of(_child(entry, f"{{{_CONTENT_NS}}}encoded", "content"))
        description = _html_of(_child(entry, "description", "summary"))
        return body, description

    def blocks(self, source: Source) -> list[list[Block]]:
        _, entries = self._entries(source)
        return [html_blocks(body or description) for body, description in map(self._body, entries)]

    @guarded
    def parse(self, source: Source) -> list[Issue]:
        channel, entries = self._entries(source)
        publication = _plain(_text(_child(channel, "title"))) if channel is not None else ""
        publication = publication or fallback_publication(source)
        return [self._issue(source, publication, entry, n) for n, entry in enumerate(entries, start=1)]

    def _issue(self, source: Source, publication: str, entry: ET.Element, position: int) -> Issue:
        title = _plain(_text(_child(entry, "title")))
        url = _link(entry)
        body, description = self._body(entry)
        detected = detect_items(html_blocks(body or description), self.rules(source))
        items = detected.items
        intro = detected.intro
        if not items:
            text = join_paragraphs(intro) or _plain(body or description)
            items, intro = [make_item(title or url or f"Entry {position}", [text], url, None)], []
        number = number_from_text(title)
        key = _text(_child(entry, "guid", "id")) or url or str(position)
        date_text = _text(_child(entry, "pubDate", "published", "date", "issued", "updated", "modified"))
        return Issue(
            publication=publication,
            source=str(source.path) if number is not None else f"{source.path}#{key}",
            number=number,
            title=title,
            summary=_plain(description) if body and description else "",
            intro=join_paragraphs(intro),
            date=parse_date(date_text),
            items=tuple(items),
        )
