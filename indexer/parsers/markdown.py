"""Markdown issues, with or without YAML front matter (static-site newsletter archives).

The body goes through markdown-it-py into the shared block model and items are found by
`items.detect_items`, like every other format; front matter gives number, date, title.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.models import Issue

from .base import ParseError, Parser, Source
from .common import (
    collapse,
    date_from_filename,
    date_from_text,
    fallback_publication,
    guarded,
    join_paragraphs,
    load_yaml,
    number_from_filename,
    number_from_text,
    parse_date,
    require_items,
    shown,
    split_issue_heading,
)
from .blocks import Block
from .items import detect_items
from .md_blocks import markdown_blocks

__all__ = ["MarkdownParser", "FrontMatter", "read_front_matter"]

_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)

# Static-site generators name the date differently (Jekyll, Hugo, Astro, Eleventy...).
DATE_FIELDS = ("date", "pubDate", "pubdate", "published", "publishDate", "publish_date", "created")


@dataclass(frozen=True)
class FrontMatter:
    """The validated front matter fields the knowledge base uses."""

    number: int | None = None
    date: date | None = None
    title: str = ""
    summary: str = ""
    publication: str | None = None
    tags: tuple[str, ...] = ()


def _field_error(path: Path, name: str, value: object, expected: str) -> ParseError:
    return ParseError(path, f"front matter field '{name}': expected {expected}, got {shown(value)}")


def _validate(path: Path, meta: dict) -> FrontMatter:
    number = meta.get("issue", meta.get("number"))
    if number is not None:
        if isinstance(number, bool) or not str(number).strip().lstrip("#").isdigit():
            raise _field_error(path, "issue", number, "an issue number")
        number = int(str(number).strip().lstrip("#"))
    date_field = next((k for k in DATE_FIELDS if meta.get(k) not in (None, "")), "date")
    raw_date = meta.get(date_field)
    issue_date = parse_date(raw_date)
    if raw_date is not None and issue_date is None:
        raise _field_error(path, date_field, raw_date, "a date (YYYY-MM-DD)")
    tags = meta.get("tags") or ()
    if isinstance(tags, str):
        tags = [t for t in re.split(r"[,\s]+", tags) if t]
    if not isinstance(tags, (list, tuple)) or not all(isinstance(t, (str, int)) for t in tags):
        raise _field_error(path, "tags", tags, "a list of tags")
    texts = {}
    for name in ("title", "summary", "publication"):
        value = meta.get(name, meta.get("description") if name == "summary" else None)
        if value is not None and not isinstance(value, (str, int, float)):
            raise _field_error(path, name, value, "text")
        texts[name] = collapse(str(value)) if value is not None else ""
    return FrontMatter(
        number=number,
        date=issue_date,
        title=texts["title"],
        summary=texts["summary"],
        publication=texts["publication"] or None,
        tags=tuple(str(t).strip() for t in tags if str(t).strip()),
    )


def read_front_matter(source: Source) -> tuple[FrontMatter, str]:
    """Validated front matter (empty when absent) and the Markdown body after it."""
    text = source.text.lstrip("\ufeff")
    if not text.startswith("---"):
        return FrontMatter(), text
    match = _FRONT.match(text)
    if match is None:
        raise ParseError(source.path, "front matter is not closed by '---'")
    try:
        meta = load_yaml(match.group("yaml")) or {}
    except yaml.YAMLError as exc:
        raise ParseError(source.path, f"invalid front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise ParseError(source.path, "front matter must be a mapping of fields")
    return _validate(source.path, meta), text[match.end() :]


class MarkdownParser(Parser):
    name = "markdown"
    extensions = (".md", ".markdown")

    def score(self, source: Source) -> int:
        return 10 if source.path.suffix.lower() in self.extensions else 0

    def blocks(self, source: Source) -> list[list[Block]]:
        return [self._blocks(source, read_front_matter(source)[1])]

    @staticmethod
    def _blocks(source: Source, body: str) -> list[Block]:
        first_line = source.text.count("\n", 0, len(source.text) - len(body)) + 1
        return markdown_blocks(body, first_line)

    @guarded
    def parse(self, source: Source) -> list[Issue]:
        front, body = read_front_matter(source)
        detected = detect_items(self._blocks(source, body), self.rules(source))
        h1 = detected.title
        number = front.number
        heading_publication, heading_number = split_issue_heading(h1) if h1 else (None, None)
        if number is None:
            number = heading_number if heading_number is not None else number_from_filename(source.path)
        publication = front.publication or heading_publication or fallback_publication(source, h1, front.title)
        fallback_title = f"{publication} Issue #{number}" if number is not None else source.path.stem
        title = front.title or h1 or fallback_title
        if number is None:
            number = number_from_text(title)
        issue = Issue(
            publication=publication,
            source=str(source.path),
            number=number,
            title=title,
            summary=front.summary,
            intro=join_paragraphs(detected.intro),
            date=front.date or date_from_text(h1 or front.title) or date_from_filename(source.path),
            tags=front.tags,
            items=tuple(detected.items),
        )
        return [require_items(source, issue, detected)]
