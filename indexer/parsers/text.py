"""Plain-text issues as copied out of a mail client or an archive page.

The layout is structural only: a header line, a subtitle, an intro, then title lines each
followed by description paragraphs, with short section headings in between. Old issues
separate paragraphs with blank lines (sometimes hard-wrapped), new ones with single line
breaks; both are read into the same list of paragraphs before anything is classified.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.models import Issue, Item

from ..sections import is_known_section, normalize_section
from .base import ParseError, Parser, Source
from .common import (
    FOOTER,
    collapse,
    fallback_publication,
    guarded,
    join_paragraphs,
    make_item,
    number_from_filename,
    require_items,
    split_issue_heading,
)

__all__ = ["TextParser", "Paragraph", "split_paragraphs"]

TITLE_MAX_CHARS = 160
TITLE_MAX_WORDS = 25
HEADING_MAX_CHARS = 50
HEADING_MAX_WORDS = 6
WRAP_MAX_CHARS = 100
INTRO_SEARCH = 25

_GREETING = re.compile(r"^(hey|hi|hello|dear|greetings|good (morning|afternoon|evening)|welcome)\b", re.I)
_SIGN_OFF = re.compile(
    r"^(until next (week|time)|see you next (week|time)|till next time|happy (reading|hacking)"
    r"|cheers|best( regards)?|thanks for reading|stay tuned|talk soon|enjoy)[\s!.,…]*$",
    re.I,
)
_FRAGMENT = re.compile(  # what is left of a cut-off footer, e.g. "A guest post by"
    r"(\b(by|of|from|with|and|the)|[:\-–—,])\s*$|^(share|subscribe|unsubscribe)\b", re.I
)


@dataclass(frozen=True)
class Paragraph:
    text: str
    gap_before: int  # blank lines before it: 2+ marks a lost heading in some archives


def _is_wrapped(lines: list[str]) -> bool:
    """A group of lines that reads as one hard-wrapped paragraph rather than one per line."""
    width = max(len(line) for line in lines)
    return width <= WRAP_MAX_CHARS and all(len(line) >= 0.6 * width for line in lines[:-1])


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs from either layout: blank-line separated (maybe wrapped) or one per line."""
    paragraphs: list[Paragraph] = []
    group: list[str] = []
    blanks = 0

    def flush() -> None:
        nonlocal blanks
        if not group:
            return
        if len(group) > 1 and _is_wrapped(group):
            paragraphs.append(Paragraph(collapse(" ".join(group)), blanks))
        else:
            for n, line in enumerate(group):
                paragraphs.append(Paragraph(collapse(line), blanks if n == 0 else 0))
        group.clear()
        blanks = 0

    for raw in text.splitlines():
        if raw.strip():
            group.append(raw.strip())
            continue
        flush()
        blanks += 1
    flush()
    return paragraphs


_BRAND_START = re.compile(r"^[a-z]+[A-Z0-9._\-]")  # vLLM, iPhone, llama.cpp, scikit-learn, gpt-4o


def looks_like_title(text: str) -> bool:
    """Short, capitalised (or a lower-case brand), not ending like a sentence: a headline."""
    if not text or len(text) > TITLE_MAX_CHARS or len(text.split()) > TITLE_MAX_WORDS:
        return False
    if text[0].islower() and not _BRAND_START.match(text):
        return False
    return text[-1] not in ".,;"


def _short(text: str) -> bool:
    return len(text) <= HEADING_MAX_CHARS and len(text.split()) <= HEADING_MAX_WORDS


class _Reader:
    """Walks the paragraphs once, from header to the last item."""

    def __init__(self, paragraphs: list[Paragraph]):
        self.paras = paragraphs
        self.pos = 0

    def text(self, k: int) -> str | None:
        return self.paras[k].text if 0 <= k < len(self.paras) else None

    def is_title(self, k: int) -> bool:
        t = self.text(k)
        return t is not None and looks_like_title(t)

    def is_description(self, k: int) -> bool:
        t = self.text(k)
        return t is not None and not looks_like_title(t)

    def is_heading(self, k: int) -> bool:
        """Known section names, or a short line followed by a title rather than a description."""
        t = self.text(k)
        if t is None or not _short(t) or t[-1] in ".?!,;" or not self.is_title(k + 1):
            return False
        return is_known_section(t) or self.is_description(k + 2)

    def header(self) -> tuple[str, str | None, int | None]:
        title = self.paras[0].text
        publication, number = split_issue_heading(title)
        self.pos = 1
        return title, publication, number

    def summary(self) -> str:
        k = self.pos
        t = self.text(k)
        if t is None or _GREETING.match(t) or self.is_heading(k):
            return ""
        if self.is_title(k) and self.is_description(k + 1) and not _GREETING.match(self.text(k + 1) or ""):
            return ""  # no subtitle: this is already the first item
        self.pos += 1
        return t

    def intro(self) -> list[str]:
        start = self.pos
        for k in range(start, min(start + INTRO_SEARCH, len(self.paras))):
            if self.is_heading(k):
                break
            if _SIGN_OFF.match(self.paras[k].text):
                self.pos = k + 1
                return [p.text for p in self.paras[start : k + 1]]
        end = start + 1 if _GREETING.match(self.text(start) or "") else start
        while self.is_description(end):
            end += 1
        self.pos = end
        return [p.text for p in self.paras[start:end]]

    def items(self) -> list[Item]:
        items: list[Item] = []
        section: str | None = None
        title: str | None = None
        body: list[str] = []
        item_section: str | None = None

        def flush() -> None:
            if title is not None:
                items.append(make_item(title, body, None, item_section))

        for k in range(self.pos, len(self.paras)):
            para = self.paras[k]
            if para.gap_before >= 2 and looks_like_title(para.text):
                section = None
            if self.is_heading(k):
                flush()
                title, body, section = None, [], normalize_section(para.text)
            elif looks_like_title(para.text):
                flush()
                title, body, item_section = para.text, [], section
            elif title is not None and not FOOTER.search(para.text):
                body.append(para.text)
        flush()
        while items and not items[-1].text and _FRAGMENT.search(items[-1].title):
            items.pop()
        return items


class TextParser(Parser):
    name = "text"
    extensions = (".txt", ".text")

    def score(self, source: Source) -> int:
        return 10 if source.path.suffix.lower() in self.extensions else 0

    @guarded
    def parse(self, source: Source) -> list[Issue]:
        paragraphs = split_paragraphs(source.text)
        if not paragraphs:
            raise ParseError(source.path, "empty file")
        reader = _Reader(paragraphs)
        title, publication, number = reader.header()
        summary = reader.summary()
        intro = reader.intro()
        issue = Issue(
            publication=publication or fallback_publication(source),
            source=str(source.path),
            number=number if number is not None else number_from_filename(source.path),
            title=title,
            summary=summary,
            intro=join_paragraphs(intro),
            items=tuple(reader.items()),
        )
        return [require_items(source, issue)]
