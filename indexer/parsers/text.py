"""Plain-text issues as copied out of a mail client or an archive page.

The layout is structural only: a header line, a subtitle, an intro, then title lines each
followed by description paragraphs, with short section headings in between. Old issues
separate paragraphs with blank lines (sometimes hard-wrapped), new ones with single line
breaks; both are read into the same list of paragraphs, then mapped by line shape onto the
shared block model (section lines and headline lines become headings) so items are found
by `items.detect_items` like every other format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dataclasses import replace

from kb.models import Issue

from ..sections import is_known_section
from .base import ParseError, Parser, Source
from .rules import Rules
from .blocks import Block, Inline, InlineBuilder
from .common import (
    collapse,
    date_from_filename,
    date_from_text,
    fallback_publication,
    guarded,
    join_paragraphs,
    number_from_filename,
    require_items,
    split_issue_heading,
)
from .items import detect_items

__all__ = ["TextParser", "Paragraph", "split_paragraphs"]

TITLE_MAX_CHARS = 160
TITLE_MAX_WORDS = 25
HEADING_MAX_CHARS = 50
HEADING_MAX_WORDS = 6
WRAP_MAX_CHARS = 100
INTRO_SEARCH = 25
SECTION_LEVEL = 2
ITEM_LEVEL = 3

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
    line: int = 0  # 1-based line it starts on


def _is_wrapped(lines: list[str]) -> bool:
    """A group of lines that reads as one hard-wrapped paragraph rather than one per line."""
    width = max(len(line) for line in lines)
    return width <= WRAP_MAX_CHARS and all(len(line) >= 0.6 * width for line in lines[:-1])


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs from either layout: blank-line separated (maybe wrapped) or one per line."""
    paragraphs: list[Paragraph] = []
    group: list[str] = []
    blanks = 0
    start = 1

    def flush() -> None:
        nonlocal blanks
        if not group:
            return
        if len(group) > 1 and _is_wrapped(group):
            paragraphs.append(Paragraph(collapse(" ".join(group)), blanks, start))
        else:
            for n, line in enumerate(group):
                paragraphs.append(Paragraph(collapse(line), blanks if n == 0 else 0, start + n))
        group.clear()
        blanks = 0

    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            if not group:
                start = number
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

    def blocks(self) -> list[Block]:
        """The body by line shape: section lines become level-2 headings, headline lines
        level-3 headings, the rest paragraphs (bare URLs inside them become links)."""
        blocks: list[Block] = []
        for k in range(self.pos, len(self.paras)):
            para = self.paras[k]
            if para.gap_before >= 2 and looks_like_title(para.text):
                # a double blank line closes the section: an unnamed section starts
                blocks.append(Block("heading", Inline(""), level=SECTION_LEVEL, line=para.line))
            if self.is_heading(k):
                blocks.append(Block("heading", _inline(para.text), level=SECTION_LEVEL, line=para.line))
            elif looks_like_title(para.text):
                blocks.append(Block("heading", _inline(para.text), level=ITEM_LEVEL, line=para.line))
            else:
                blocks.append(Block("para", _inline(para.text), line=para.line))
        while blocks and blocks[-1].kind == "heading" and _FRAGMENT.search(blocks[-1].text):
            blocks.pop()  # what is left of a cut-off footer ("A guest post by")
        return blocks


_URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")


def _inline(text: str) -> Inline:
    """A line of plain text; bare URLs in it are links."""
    builder = InlineBuilder()
    at = 0
    for match in _URL.finditer(text):
        builder.text(text[at: match.start()])
        builder.open_link(match.group(0))
        builder.text(match.group(0))
        builder.close_link()
        at = match.end()
    builder.text(text[at:])
    return builder.build()


class TextParser(Parser):
    name = "text"
    extensions = (".txt", ".text")

    def score(self, source: Source) -> int:
        return 10 if source.path.suffix.lower() in self.extensions else 0

    def _reader(self, source: Source) -> _Reader:
        paragraphs = split_paragraphs(source.text)
        if not paragraphs:
            raise ParseError(source.path, "empty file")
        return _Reader(paragraphs)

    def rules(self, source: Source) -> Rules:
        """Line shapes already decided which lines are sections and which are headlines."""
        rules = source.rules
        if rules.item_levels or rules.section_levels:
            return rules
        return replace(rules, item_levels=(ITEM_LEVEL,), section_levels=(SECTION_LEVEL,))

    def blocks(self, source: Source) -> list[list[Block]]:
        reader = self._reader(source)
        reader.header()
        reader.summary()
        intro = [Block("para", _inline(text)) for text in reader.intro()]
        return [intro + reader.blocks()]

    @guarded
    def parse(self, source: Source) -> list[Issue]:
        reader = self._reader(source)
        title, publication, number = reader.header()
        summary = reader.summary()
        intro = reader.intro()
        detected = detect_items(reader.blocks(), self.rules(source))
        issue = Issue(
            publication=publication or fallback_publication(source, title),
            source=str(source.path),
            number=number if number is not None else number_from_filename(source.path),
            title=title,
            summary=summary,
            date=date_from_text(title) or date_from_text(summary) or date_from_filename(source.path),
            intro=join_paragraphs(intro + detected.intro),
            items=tuple(detected.items),
        )
        return [require_items(source, issue, detected)]
