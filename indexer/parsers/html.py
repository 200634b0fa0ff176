"""HTML issues: archive pages and newsletter-platform "view in browser" exports.

The page body becomes the shared block model (`html_blocks`) and items are found by
`items.detect_items` like every other format; the page's meta tags give title and date.
"""
from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup, Tag

from kb.models import Issue

from .base import Parser, Source
from .common import (
    collapse,
    date_from_filename,
    date_from_text,
    fallback_publication,
    guarded,
    join_paragraphs,
    number_from_filename,
    number_from_text,
    parse_date,
    require_items,
    split_issue_heading,
)
from .html_blocks import blocks_of, soup_of
from .blocks import Block
from .items import detect_items

__all__ = ["HtmlParser", "soup_of"]

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

    def blocks(self, source: Source) -> list[list[Block]]:
        soup = soup_of(source.text)
        return [blocks_of(soup.body or soup)]

    @guarded
    def parse(self, source: Source) -> list[Issue]:
        soup = soup_of(source.text)
        page_title = collapse(soup.title.get_text()) if soup.title else ""
        og_title = _meta(soup, "property", "og:title") or ""
        detected = detect_items(blocks_of(soup.body or soup), self.rules(source))
        title = detected.title or og_title or page_title
        number = next(
            (n for n in map(number_from_text, (title, page_title, og_title)) if n is not None),
            number_from_filename(source.path),
        )
        headings = map(split_issue_heading, (title, page_title, og_title))
        heading_publication = next((p for p, n in headings if p and n is not None), None)
        publication = (
            _meta(soup, "property", "og:site_name") or heading_publication
            or fallback_publication(source, title, page_title, og_title)
        )
        issue = Issue(
            publication=publication,
            source=str(source.path),
            number=number,
            title=title,
            summary=_meta(soup, "name", "description") or _meta(soup, "property", "og:description") or "",
            intro=join_paragraphs(detected.intro),
            date=_page_date(soup) or date_from_text(title or page_title) or date_from_filename(source.path),
            items=tuple(detected.items),
        )
        return [require_items(source, issue, detected)]
