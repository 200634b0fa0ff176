"""The block model every format reduces to, so items are found once for all of them.

Markdown (through markdown-it-py), HTML (through BeautifulSoup) and plain text become the
same tree: headings with a level, paragraphs, lists of list items (each with its own lead
paragraph and nested blocks), quotes, code and rules. Inline markup is kept only as far as
item detection needs it: the plain text, its links with their positions, and whether the
text opens with a link or a bold run (a "lead") or is nothing but emphasis.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Link", "Inline", "Block", "InlineBuilder", "is_external", "is_anchor"]

BlockKind = Literal["heading", "para", "list", "item", "quote", "code", "rule"]

# What may stand before a leading link or bold run: a number ("1、", "2."), a bullet, a tag
# in brackets ("[video]"), an emoji.
_LEAD_PREFIX = re.compile(r"^[\s\W\d_]{0,6}(?:\[[^\]]{1,16}\]\s*)?$")


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    start: int  # offsets into Inline.text
    end: int


def is_anchor(url: str) -> bool:
    """A link that stays on the page or is not a page at all."""
    return not url or url.startswith(("#", "javascript:", "mailto:", "tel:"))


def is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "www.", "//"))


@dataclass(frozen=True)
class Inline:
    """A run of inline content: plain text, its links, and the shape of its start."""

    text: str
    links: tuple[Link, ...] = ()
    lead: str = ""  # text of the opening link or bold run ("" when the text opens otherwise)
    lead_url: str | None = None  # the opening link's target, when the lead is (or holds) a link
    emphasis_only: bool = False  # every word is bold or italic (a label line)

    @property
    def page_links(self) -> tuple[Link, ...]:
        """Links to other pages (in-page anchors, mail and script links left out)."""
        return tuple(link for link in self.links if not is_anchor(link.url))

    @property
    def rest(self) -> str:
        """The text after the lead, without the separator that joins them."""
        if not self.lead:
            return self.text
        at = self.text.find(self.lead)
        return self.text[at + len(self.lead):].lstrip(" \u00a0—–-:|·•,.;") if at >= 0 else self.text


@dataclass
class Block:
    kind: BlockKind
    inline: Inline | None = None  # heading and paragraph text; a list item's first paragraph
    level: int = 0  # heading level (1-6)
    children: list["Block"] = field(default_factory=list)  # list -> items; item/quote -> blocks
    line: int = 0  # 1-based source line (0 when unknown), for --explain

    @property
    def text(self) -> str:
        return self.inline.text if self.inline else ""

    def all_text(self) -> str:
        """The block's own text and its children's, one paragraph per line."""
        parts = [self.text] if self.text else []
        parts += [child.all_text() for child in self.children]
        return "\n".join(p for p in parts if p)

    def all_links(self) -> list[Link]:
        links = list(self.inline.page_links) if self.inline else []
        for child in self.children:
            links += child.all_links()
        return links


class InlineBuilder:
    """Collects text pieces, link and emphasis boundaries, then freezes them into an Inline.

    Both converters feed it events in document order; it works out the lead and whether the
    run is emphasis only, so that logic exists once.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.links: list[Link] = []
        self._link: tuple[str, int] | None = None  # (url, start) of the open link
        self._strong = 0
        self._emphasis = 0
        self._spans: list[tuple[int, int, str]] = []  # (start, end, "bold"|"em"|"link")
        self._span_starts: list[tuple[str, int]] = []

    def text(self, value: str) -> None:
        if not value:
            return
        value = value.replace("\u00a0", " ").replace("\n", " ")
        if self.parts and self.parts[-1].endswith(" ") and value.startswith(" "):
            value = value.lstrip(" ")
        if not self.parts and value.startswith(" "):
            value = value.lstrip(" ")
        if not value:
            return
        if self._strong or self._emphasis:
            self._spans.append((self.length, self.length + len(value), "em"))
        self.parts.append(value)
        self.length += len(value)

    def space(self) -> None:
        if self.parts and not self.parts[-1].endswith(" "):
            self.text(" ")

    def open_link(self, url: str) -> None:
        self._link = ((url or "").strip(), self.length)

    def close_link(self) -> None:
        if self._link is None:
            return
        url, start = self._link
        self._link = None
        text = "".join(self.parts)[start:].strip()
        if text:
            offset = start + (len("".join(self.parts)[start:]) - len("".join(self.parts)[start:].lstrip()))
            self.links.append(Link(text, url, offset, offset + len(text)))

    def open_strong(self) -> None:
        self._strong += 1
        self._span_starts.append(("bold", self.length))

    def close_strong(self) -> None:
        self._strong = max(0, self._strong - 1)
        self._close_span("bold")

    def open_emphasis(self) -> None:
        self._emphasis += 1
        self._span_starts.append(("italic", self.length))

    def close_emphasis(self) -> None:
        self._emphasis = max(0, self._emphasis - 1)
        self._close_span("italic")

    def _close_span(self, kind: str) -> None:
        for n in range(len(self._span_starts) - 1, -1, -1):
            if self._span_starts[n][0] == kind:
                _, start = self._span_starts.pop(n)
                if self.length > start:
                    self._spans.append((start, self.length, kind))
                return

    def build(self) -> Inline:
        raw = "".join(self.parts)
        text = raw.strip()
        shift = len(raw) - len(raw.lstrip())
        links = tuple(Link(l.text, l.url, l.start - shift, l.end - shift) for l in self.links)
        spans = [(s - shift, e - shift, k) for s, e, k in self._spans]
        lead, lead_url = self._lead(text, links, spans)
        emphasised = sum(e - s for s, e, k in _merged(spans, "em"))
        emphasis_only = bool(text) and emphasised >= len(re.sub(r"[\s\W]+$", "", text).strip()) - 1
        return Inline(text=text, links=links,
                      lead=lead, lead_url=lead_url, emphasis_only=emphasis_only)

    @staticmethod
    def _lead(text: str, links: tuple[Link, ...], spans: list[tuple[int, int, str]]) -> tuple[str, str | None]:
        starts: list[tuple[int, int, str | None]] = [(l.start, l.end, l.url) for l in links if not is_anchor(l.url)]
        starts += [(s, e, None) for s, e, k in spans if k == "bold"]
        starts.sort(key=lambda t: (t[0], -t[1]))
        for start, end, url in starts:
            if not _LEAD_PREFIX.match(text[:start]):
                break
            lead = text[start:end].strip().rstrip(":：")
            if not re.search(r"\w", lead):
                continue
            if url is None:  # a bold run: its link, if the run holds one
                inside = next((l for l in links if l.start >= start and l.end <= end and not is_anchor(l.url)), None)
                url = inside.url if inside else None
            return lead, url
        return "", None


def _merged(spans: list[tuple[int, int, str]], kind: str) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, _ in sorted(s for s in spans if s[2] == kind):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), kind)
        else:
            merged.append((start, end, kind))
    return merged
