"""Editors' coverage check: has a draft story (title, text, link) already run, and what is new in it?

`check_coverage` answers three questions from the query service alone, so it works the same
on every backend:

1. Did this link run before (however it was written: `www.`, a trailing slash, `utm_*`)?
2. Did a near-duplicate item run (nearly the same title, or nearly the same wording)?
3. Which entities does the draft name, which are new to the catalog, and when was each one
   last covered, and how often?

Example::

    report = check_coverage(service, extractor, title="Announcing Jurassic-1", url="https://ai21.com/blog")
    for dup in report.duplicates:
        print(dup.kind, dup.hit.issue_number, dup.reason)
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Literal, Sequence

from kb.backends.base import Hit, IssueRef
from kb.models import Mention, is_candidate
from kb.query import SearchQuery
from kb.textstats import candidate_terms
from kb.urls import normalize_url

if TYPE_CHECKING:  # the indexer (spaCy) is only needed by callers that pass an extractor
    from indexer.extract import Extractor
    from kb.service import QueryService

__all__ = [
    "NEAR_DUPLICATE",
    "DraftEntity",
    "SimilarItem",
    "Duplicate",
    "CoverageReport",
    "check_coverage",
    "title_similarity",
    "text_overlap",
    "draft_links",
]

# Title similarity or wording overlap (both 0–1) from which a past item counts as the same story.
NEAR_DUPLICATE = 0.8
# Wording overlap is only trusted for drafts with at least this many content words (repeats count).
MIN_WORDS_FOR_OVERLAP = 10
# Past items compared with the draft (the report keeps the `limit` best).
SIMILAR_POOL = 20
MAX_QUERY_WORDS = 25
SHOWN_SHARED = 4  # shared names and words listed in "why"

DuplicateKind = Literal["same-url", "linked-url", "near-duplicate"]

_TITLE_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TITLE_STOPWORDS = frozenset("a an the and or of to in on for with by at from is are".split())
_LINK = re.compile(r"https?://[^\s<>()\[\]\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class DraftEntity:
    """An entity or topic named in the draft, with its past coverage (none for a first mention)."""

    entity_id: str  # catalog id, or "new:…" for a name found outside the catalog
    name: str
    type: str
    in_catalog: bool
    mentions: int  # in the draft
    items: int  # past items mentioning it
    first: IssueRef | None
    last: IssueRef | None

    @property
    def is_new(self) -> bool:
        """Not in the catalog (it may still have been seen in the archive as a candidate)."""
        return not self.in_catalog


@dataclass(frozen=True)
class SimilarItem:
    """A past item like the draft, with two absolute 0–1 measures.

    `score` is the share of content words the draft and the item have in common (cosine of
    word counts; 1.0 = the same words in the same proportions). Backend relevance scores are
    not used for it: they are not comparable across queries or backends.
    `title_similarity` compares the titles alone (1.0 = the same words in the same order).
    """

    hit: Hit
    score: float
    title_similarity: float
    shared_names: tuple[str, ...] = ()  # entities and topics both name, as the catalog calls them
    shared_words: tuple[str, ...] = ()  # content words both use, the draft's most frequent first

    @property
    def similarity(self) -> float:
        """The one figure the items are ordered by: the stronger of the two measures."""
        return max(self.score, self.title_similarity)

    @property
    def why(self) -> str:
        """ "title 92% alike · both name Meta, Llama · shared words: released, open" """
        parts = []
        if self.title_similarity >= self.score and self.title_similarity > 0:
            parts.append(f"title {self.title_similarity:.0%} alike")
        elif self.score > 0:
            parts.append(f"words {self.score:.0%} alike")
        if self.shared_names:
            parts.append("both name " + ", ".join(self.shared_names[:SHOWN_SHARED]))
        if self.shared_words:
            parts.append("shared words: " + ", ".join(self.shared_words[:SHOWN_SHARED]))
        return " · ".join(parts)


@dataclass(frozen=True)
class Duplicate:
    """A reason to think the draft already ran: the past item and why, in words."""

    kind: DuplicateKind
    hit: Hit
    reason: str


@dataclass(frozen=True)
class CoverageReport:
    title: str
    text: str
    url: str
    links: tuple[str, ...]  # the draft's link and every link in its text
    entities: tuple[DraftEntity, ...]
    similar: tuple[SimilarItem, ...]
    duplicates: tuple[Duplicate, ...]

    @property
    def is_empty(self) -> bool:
        """Nothing to check: no title, text or link."""
        return not (self.title.strip() or self.text.strip() or self.links)

    @property
    def new_entities(self) -> tuple[DraftEntity, ...]:
        return tuple(e for e in self.entities if e.is_new)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _title_words(title: str) -> list[str]:
    return [w for w in _TITLE_WORD.findall(_fold(title)) if w not in _TITLE_STOPWORDS]


def title_similarity(a: str, b: str) -> float:
    """0–1: the share of words two titles have in common, in the same order (case, accents,
    punctuation and small words like "the" ignored)."""
    wa, wb = _title_words(a), _title_words(b)
    if not wa or not wb:
        return 0.0
    return round(SequenceMatcher(None, wa, wb, autojunk=False).ratio(), 3)


def text_overlap(a: str, b: str) -> float:
    """0–1: cosine similarity of the two texts' content words (1.0 = same words, same counts)."""
    ca, cb = candidate_terms(a), candidate_terms(b)
    dot = sum(n * cb[w] for w, n in ca.items())
    if not dot:
        return 0.0
    norm = math.sqrt(sum(n * n for n in ca.values())) * math.sqrt(sum(n * n for n in cb.values()))
    return round(dot / norm, 3)


def draft_links(url: str, text: str) -> tuple[str, ...]:
    """The draft's own link first, then links in its text; one per normalised form."""
    found = [url.strip()] if url.strip() else []
    found += [m.group(0).rstrip(".,;:!?") for m in _LINK.finditer(text)]
    seen: dict[str, str] = {}
    for link in found:
        seen.setdefault(normalize_url(link), link)
    return tuple(seen.values())


def _entities(service: QueryService, extractor: Extractor, title: str, text: str) -> list[DraftEntity]:
    mentions = [m for found in extractor.extract_texts([title, text]) for m in found]
    counts = Counter(m.entity_id for m in mentions)
    first_seen: dict[str, Mention] = {}
    for m in mentions:
        first_seen.setdefault(m.entity_id, m)
    out = []
    for entity_id, m in first_seen.items():
        entry = None if is_candidate(entity_id) else service.entry(entity_id)
        stats = service.entity_stats(entity_id)
        out.append(
            DraftEntity(
                entity_id=entity_id,
                name=entry.name if entry else m.text,
                type=entry.type if entry else m.type,
                in_catalog=entry is not None,
                mentions=counts[entity_id],
                items=stats.items if stats else 0,
                first=stats.first if stats else None,
                last=stats.last if stats else None,
            )
        )
    return out


def _full_text(service: QueryService, hit: Hit, cache: dict[str, dict[str, str]]) -> str:
    if hit.issue_id not in cache:
        issue = service.issue(hit.issue_id)
        cache[hit.issue_id] = {i.id: f"{i.title}\n{i.text}" for i in issue.items} if issue else {}
    return cache[hit.issue_id].get(hit.item_id, hit.title)


def _candidates(service: QueryService, title: str, draft: str, limit: int) -> list[Hit]:
    """Past items worth comparing: "more like this", plus items sharing the draft's words.

    The second search catches names too rare for more-like-this (it only weighs words seen
    in 2+ items), such as the one earlier item about the same story.
    """
    hits = {h.item_id: h for h in service.similar(text=draft, limit=limit)}
    words = list(dict.fromkeys([*candidate_terms(title), *(w for w, _ in candidate_terms(draft).most_common())]))
    if words:
        query = SearchQuery(" OR ".join(words[:MAX_QUERY_WORDS]), limit=limit, with_facets=False)
        for h in service.search(query).hits:
            hits.setdefault(h.item_id, h)
    return list(hits.values())


def _similar(service: QueryService, title: str, text: str, names: Sequence[DraftEntity]) -> list[SimilarItem]:
    draft = f"{title}\n{text}".strip()
    draft_terms = candidate_terms(draft)
    cache: dict[str, dict[str, str]] = {}
    measured = []
    for h in _candidates(service, title, draft, SIMILAR_POOL):
        full = _full_text(service, h, cache)
        theirs = candidate_terms(full)
        named = {e for e, _ in h.entities}
        shared_names = tuple(n.name for n in names if n.entity_id in named)
        in_names = set(candidate_terms(" ".join(shared_names)))  # said once, as names
        measured.append(SimilarItem(
            hit=h,
            score=text_overlap(draft, full),
            title_similarity=title_similarity(title, h.title) if title else 0.0,
            shared_names=shared_names,
            shared_words=tuple(w for w, _ in draft_terms.most_common() if w in theirs and w not in in_names),
        ))
    measured.sort(key=lambda s: (-s.similarity, s.hit.item_id))
    return [s for s in measured if s.similarity > 0]


def _duplicates(
    service: QueryService, links: tuple[str, ...], similar: list[SimilarItem], *, wordy: bool
) -> list[Duplicate]:
    out: dict[str, Duplicate] = {}
    for link in links:
        key = normalize_url(link)
        for h in service.items_with_url(link):
            if h.item_id in out:
                continue
            if h.url and normalize_url(h.url) == key:
                out[h.item_id] = Duplicate("same-url", h, f"same link ({link})")
            else:
                out[h.item_id] = Duplicate("linked-url", h, f"links to {link} in its text")
    for s in similar:
        if s.hit.item_id in out:
            continue
        if s.title_similarity >= NEAR_DUPLICATE:
            out[s.hit.item_id] = Duplicate("near-duplicate", s.hit, f"title {s.title_similarity:.0%} alike")
        elif wordy and s.score >= NEAR_DUPLICATE:
            out[s.hit.item_id] = Duplicate("near-duplicate", s.hit, f"wording {s.score:.0%} alike")
    order = {"same-url": 0, "near-duplicate": 1, "linked-url": 2}
    return sorted(out.values(), key=lambda d: order[d.kind])


def check_coverage(
    service: QueryService,
    extractor: Extractor,
    *,
    title: str = "",
    text: str = "",
    url: str = "",
    limit: int = 5,
) -> CoverageReport:
    """Check a draft item against the archive; an empty draft gives an empty report."""
    title, text, url = title.strip(), text.strip(), url.strip()
    links = draft_links(url, text)
    entities: list[DraftEntity] = []
    similar: list[SimilarItem] = []
    if title or text:
        entities = _entities(service, extractor, title, text)
        similar = _similar(service, title, text, entities)
    wordy = sum(candidate_terms(f"{title}\n{text}").values()) >= MIN_WORDS_FOR_OVERLAP
    return CoverageReport(
        title=title,
        text=text,
        url=url,
        links=links,
        entities=tuple(entities),
        similar=tuple(similar[:limit]),
        duplicates=tuple(_duplicates(service, links, similar, wordy=wordy)),
    )
