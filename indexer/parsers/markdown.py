"""Markdown issues with YAML front matter (static-site newsletter archives).

Items are the `##` headings that link out (`## [Title](url)`) with the text under them.
Newsletters repeat blocks from issue to issue (table of contents, events, featured
libraries, "about us", share buttons); those are recognised by their heading's wording and
by headings that only link back into the newsletter's own site, never by issue number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from kb.models import Issue, Item

from ..sections import normalize_section
from .base import ParseError, Parser, Source
from .common import (
    collapse,
    fallback_publication,
    guarded,
    join_paragraphs,
    load_yaml,
    make_item,
    number_from_filename,
    parse_date,
    require_items,
    split_issue_heading,
)
from .mdtext import Block, Link, block_text, links_in, split_blocks, to_plain

__all__ = ["MarkdownParser", "FrontMatter", "read_front_matter", "is_template_heading"]

_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)

_TOC = re.compile(r"^this week (in|on)\b|\bthis week:$", re.I)
# Wording of blocks that recur in every issue rather than covering a story.
_TEMPLATE = re.compile(
    r"^support the\b|^about us\b|\bupcoming\b.*\b(events|conferences)\b|conferences gone virtual"
    r"|^(mlconf|mljobs|mlops)\s*=|\b(conferences|events) (&|and) (events|conferences)\b"
    r"|^(machine learning|ml) jobs\b|\bjobs (&|and) careers\b|^oss\s*:|^open\s*sou\s*r\s*ce\b.*\btools$"
    r"|\bawesome ai guidelines\b|\bpolicy (&|and) guidelines$|^featured (os|oss|open source)\b"
    r"|\b(share|subscribe|forward)\b.*\b(newsletter|e-?mail|friends)\b|^sponsor(ed)?\b"
    r"|^today we celebrate\b|\bwe'?ve reached\b|\bhas reached over\b|happy (holidays|new year)",
    re.I,
)
# Share/subscribe/hiring boilerplate that surrounds the intro.
_BOILERPLATE = re.compile(
    r"\b(forward (the |this )?e-?mail|share the online version|sharing with your friends"
    r"|support the newsletter|suggest articles|join the newsletter|you can join|newsletter homepage"
    r"|unsubscribe|subscribe|i'?m (currently )?hiring|interesting (career )?opportunity"
    r"|thank you for being part of)\b|^this #?\d+\w* edition\b|^support the\b",
    re.I,
)
_ENUMERATION = re.compile(r"^\d{1,2}\.\s+")


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
    return ParseError(path, f"front matter field '{name}': expected {expected}, got {value!r}")


def _validate(path: Path, meta: dict) -> FrontMatter:
    number = meta.get("issue", meta.get("number"))
    if number is not None:
        if isinstance(number, bool) or not str(number).strip().lstrip("#").isdigit():
            raise _field_error(path, "issue", number, "an issue number")
        number = int(str(number).strip().lstrip("#"))
    raw_date = meta.get("date")
    issue_date = parse_date(raw_date)
    if raw_date is not None and issue_date is None:
        raise _field_error(path, "date", raw_date, "a date (YYYY-MM-DD)")
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


def _is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "www."))


def is_template_heading(plain: str, links: list[Link], body: list[Block]) -> bool:
    """A recurring block: template wording, or a heading that only links into the own site."""
    if _TOC.search(plain) or _TEMPLATE.search(plain) or not re.search(r"\w", plain):
        return True
    if not links or any(_is_external(link.url) for link in links):
        return False
    if any(link.url.startswith("/newsletter") for link in links):
        return True
    lists = sum(1 for block in body if block.kind == "list")
    return not body or lists * 2 >= len(body)


def _render(blocks: list[Block]) -> str:
    """Body blocks as text: list items stay on consecutive lines, paragraphs get a blank line."""
    parts: list[str] = []
    previous = ""
    for block in blocks:
        text = to_plain(block.text) if block.kind == "heading" else block_text(block)
        if not text:
            continue
        if parts and block.kind == "list" and previous == "list":
            parts[-1] += "\n" + text
        else:
            parts.append(text)
        previous = block.kind
    return join_paragraphs(parts)


def _item(heading: Block, body: list[Block], section: str | None) -> Item:
    """An item from a heading: its external links, and its text without own-site labels."""
    urls = tuple(dict.fromkeys(link.url for link in links_in(heading.text) if _is_external(link.url)))
    title = to_plain(heading.text)
    if urls:
        title = to_plain(heading.text, drop_link=lambda url: not _is_external(url)) or title
    return make_item(_ENUMERATION.sub("", title), [_render(body)], urls[0] if urls else None, section, urls)


def _chunks(blocks: list[Block]) -> list[tuple[Block | None, list[Block]]]:
    """Blocks grouped under their heading (None for the text before the first heading)."""
    chunks: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for block in blocks:
        if block.kind == "heading":
            chunks.append((block, []))
        else:
            chunks[-1][1].append(block)
    return chunks


def _paragraphs(heading: str, blocks: list[Block]) -> list[str]:
    return [heading] + [block_text(b) for b in blocks if b.kind == "para"]


class MarkdownParser(Parser):
    name = "markdown"
    extensions = (".md", ".markdown")

    def score(self, source: Source) -> int:
        return 10 if source.path.suffix.lower() in self.extensions else 0

    @guarded
    def parse(self, source: Source) -> list[Issue]:
        front, body = read_front_matter(source)
        chunks = _chunks(split_blocks(body))
        h1 = next((to_plain(h.text) for h, _ in chunks if h is not None and h.level == 1), "")
        toc_at = next((n for n, (h, _) in enumerate(chunks) if h and _TOC.search(to_plain(h.text))), 0)

        intro: list[str] = []
        items: list[Item] = []
        section: str | None = None
        skip_below = 0  # sub-headings of a template block belong to it
        for n, (heading, blocks) in enumerate(chunks):
            if heading is None or heading.level == 1:
                intro += _paragraphs("", blocks)
                continue
            if skip_below and heading.level > skip_below:
                continue
            skip_below = 0
            plain = to_plain(heading.text)
            links = links_in(heading.text)
            if n < toc_at:
                intro += _paragraphs(plain, blocks)
            elif is_template_heading(plain, links, blocks):
                skip_below = heading.level
            elif links:
                items.append(_item(heading, blocks, section))
            elif not blocks:
                section = normalize_section(plain)
            elif items:
                items.append(_item(heading, blocks, section))
            else:
                intro += _paragraphs(plain, blocks)

        number = front.number
        heading_publication, heading_number = split_issue_heading(h1) if h1 else (None, None)
        if number is None:
            number = heading_number if heading_number is not None else number_from_filename(source.path)
        publication = front.publication or heading_publication or fallback_publication(source)
        fallback_title = f"{publication} Issue #{number}" if number is not None else source.path.stem
        title = front.title or h1 or fallback_title
        issue = Issue(
            publication=publication,
            source=str(source.path),
            number=number,
            title=title,
            summary=front.summary,
            intro=join_paragraphs([p for p in intro if re.search(r"\w", p) and not _BOILERPLATE.search(p)]),
            date=front.date,
            tags=front.tags,
            items=tuple(items),
        )
        return [require_items(source, issue)]
