"""Candidate entity spans (character offsets) and their strengths, shared by every rule.

Why character offsets: rules run compiled regexes over the document text, which is much
faster than walking tokens in Python; the component turns the winners into token Spans
once, at the end.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["CATALOG", "EXTEND", "STRONG", "MEDIUM", "WEAK", "Candidate", "SpanIndex", "sentence_initial",
           "title_case_line"]

# how much a rule's evidence is worth; catalog entries are authoritative
CATALOG = 5
EXTEND = 4  # a catalog name made longer: "CVPR 2019", "Llama 4 Scout", "DuckDB-WASM"
STRONG = 3  # explicit evidence: "the X dataset", "X Labs", "(ACR)" definitions, "CEO X Y"
MEDIUM = 2  # good evidence: a given name, a list of datasets, a model-like suffix
WEAK = 1  # spelling alone, typed by nearby words


class Candidate(NamedTuple):
    """A typed span proposed by the catalog or a rule.

    A named tuple, not a dataclass: thousands are built per batch of texts, and a tuple
    is several times cheaper to construct than a frozen dataclass.
    """

    start: int
    end: int
    type: str
    strength: int
    entity_id: str | None = None  # None: derive "new:<slug>" from the text
    rule: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start

    def contains(self, other: "Candidate") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


class SpanIndex:
    """Sorted spans with overlap queries (the catalog's, usually a handful per text)."""

    def __init__(self, spans: list[Candidate]):
        self.spans = sorted(spans, key=lambda c: (c.start, -c.end))
        self._starts = [c.start for c in self.spans]
        self._longest = max((c.length for c in self.spans), default=0)
        self._exact: dict[tuple[int, int], Candidate] = {}
        for c in self.spans:
            self._exact.setdefault((c.start, c.end), c)
        size = max((c.end for c in self.spans), default=0)
        self._covered = bytearray(size)  # 1 where a span covers the character
        self._entities = bytearray(size)  # the same for entity spans (not topics)
        for c in self.spans:
            self._covered[c.start:c.end] = b"\x01" * c.length
            if c.type != "TOPIC":
                self._entities[c.start:c.end] = b"\x01" * c.length

    def covers_any(self, start: int, end: int) -> bool:
        """True when some span overlaps [start, end) (one C-level scan)."""
        return self._covered.find(1, start, end) >= 0

    def covers_entity(self, start: int, end: int) -> bool:
        """True when some entity span (not a topic) overlaps [start, end)."""
        return self._entities.find(1, start, end) >= 0

    def overlapping(self, start: int, end: int) -> list[Candidate]:
        if not self.covers_any(start, end):
            return []
        # only spans starting less than the longest span's length before `start` can reach it
        first = bisect.bisect_left(self._starts, start - self._longest + 1)
        i = bisect.bisect_left(self._starts, end)
        return [c for c in self.spans[first:i] if c.end > start]

    def exact(self, start: int, end: int) -> Candidate | None:
        """The (first) span with exactly these offsets."""
        return self._exact.get((start, end))


_OPENERS = re.compile(r"[\s\"“‘'(\[*#>•–—-]*(?:\d{1,2}[.)]\s*)?$")


def sentence_initial(text: str, pos: int) -> bool:
    """True when `pos` starts a sentence, line, title or list item (capitals mean nothing there)."""
    head = text[max(0, pos - 12):pos]
    m = _OPENERS.search(head)
    before = head[:m.start()] if m else head
    if not before.strip():
        return pos - len(head) <= 0 or "\n" in head or not head[:m.start()]
    return before.rstrip()[-1:] in {".", "!", "?", ":", "\n", "|", ";"} or "\n" in head[m.start():]


_SMALL = "a|an|the|of|for|and|or|in|on|at|to|with|by|from|vs|via|is|are|as"
_LOWER_WORD = re.compile(rf"(?<![\w'’.-])(?!(?:{_SMALL})\b)[a-z]")
_ANY_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")


def title_case_line(text: str, pos: int) -> bool:
    """True when the line around `pos` is a Title Case Headline (capitals mean little there)."""
    start = text.rfind("\n", 0, pos) + 1
    return _title_case(text, start)


@lru_cache(maxsize=4096)
def _title_case(text: str, start: int) -> bool:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    if _LOWER_WORD.search(text, start, end):
        return False
    return len(_ANY_WORD.findall(text, start, end)) >= 3


# A full stop that ends a sentence, not a name ("Inc.", "Node.js" keep theirs).
_ABBREVIATION_END = re.compile(r"(?:\b(?:Inc|Corp|Ltd|Co|Jr|Sr|Bros|Dr|Mr|Ms|Mrs|Prof|St)|\b[A-Z])\.$")


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A name never crosses a line or paragraph break and never takes the sentence's full stop
    (or a trailing comma, colon or space): the span is cut back to where the name ends."""
    line_break = text.find("\n", start, end)
    if line_break >= 0:
        if text[start:line_break].strip():
            end = line_break
        else:  # the name starts after the break
            start = line_break + 1
    while end > start and text[end - 1] in " \t,;:!?":
        end -= 1
    if end > start and text[end - 1] == "." and (end == len(text) or text[end].isspace()) \
            and not _ABBREVIATION_END.search(text[start:end]):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def clean_spans(text: str, candidates: list[Candidate]) -> list[Candidate]:
    tidy = []
    for c in candidates:
        start, end = clean_span(text, c.start, c.end)
        if end > start:
            tidy.append(c if (start, end) == (c.start, c.end) else c._replace(start=start, end=end))
    return tidy
