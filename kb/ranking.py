"""One ranking function for every backend, so SQLite and Elasticsearch put the same item first.

Backends retrieve the items that match a `Plan` (and a first-stage order of their own); the
best `RESCORE_WINDOW` of them are scored here from their stored title, text and mentions plus
collection statistics the backend counts exactly (items, items per stem, items per entity,
average field lengths). Identical inputs give identical scores on both backends.

The score, in order of precedence:
1. coordination — how many of the query's concepts the item matches (all words first);
2. BM25F over title (x4), entity names (x1.5), text (x1) and the link's words (x0.5), where a word in another form
   ("GPU" for "GPUs") counts `OTHER_FORM` of an exact one and a mention of a linked entity
   counts like the word itself;
3. proximity — consecutive query concepts found close together, in the title most;
then the newest issue, then reading order.
"""
from __future__ import annotations

import math
from functools import cached_property, lru_cache
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from kb.analysis import stem, tokenize
from kb.documents import SEARCH_FIELDS, searchable_texts
from kb.models import Mention
from kb.plan import Alternative, Concept, Plan
from kb.urls import url_keys

__all__ = [
    "Candidate",
    "CollectionStats",
    "Analysed",
    "analyse",
    "rank",
    "stems_needed",
    "entities_needed",
    "RESCORE_WINDOW",
    "FIELD_WEIGHTS",
]

RESCORE_WINDOW = 20  # candidates scored here (two pages); later pages keep the backend's order
K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 4.0, "entities": 1.5, "text": 1.0, "link": 0.5}
assert set(FIELD_WEIGHTS) == set(SEARCH_FIELDS)
OTHER_FORM = 0.7  # a match in another word form, relative to the exact form
PROXIMITY = 0.25  # per close pair of concepts, times the pair's smaller idf
NEAR = 3  # words apart that still count as close


@dataclass(frozen=True)
class Candidate:
    """A stored item as the ranking, the highlighter and `Hit` need it."""

    item_id: str
    issue_id: str
    publication: str
    issue_number: int | None
    date: date | None
    date_estimated: bool
    section: str | None
    position: int
    title: str
    text: str
    url: str | None
    links: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class CollectionStats:
    items: int
    stem_items: dict[str, int] = field(default_factory=dict)  # items whose stems include it
    entity_items: dict[str, int] = field(default_factory=dict)  # items mentioning it
    avg_length: dict[str, float] = field(default_factory=dict)  # field -> mean words


@dataclass(frozen=True)
class Analysed:
    """One field's words and stems, with offsets for highlighting."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @cached_property
    def starts(self) -> dict[str, dict[str, list[int]]]:
        """Positions of each word and each stem ({"words": …, "stems": …}), built once."""
        out: dict[str, dict[str, list[int]]] = {"words": {}, "stems": {}}
        for kind, seq in (("words", self.words), ("stems", self.stems)):
            index = out[kind]
            for p, token in enumerate(seq):
                index.setdefault(token, []).append(p)
        return out


@lru_cache(maxsize=4096)
def analyse(text: str) -> Analysed:
    """Cached: the same items come back query after query (a few MB for 4,096 fields)."""
    found, spans = tokenize(text)
    return Analysed(tuple(found), tuple(map(stem, found)), tuple(spans))


def stems_needed(plan: Plan) -> list[str]:
    """Stems whose item counts the ranking uses (the backend counts them exactly)."""
    out: dict[str, None] = {}
    for concept in plan.concepts:
        for alt in concept.alternatives:
            for token in alt.tokens:
                out.setdefault(stem(token) if alt.kind == "words" else token, None)
    return list(out)


def entities_needed(plan: Plan) -> list[str]:
    return list(dict.fromkeys(e for c in plan.concepts for e in c.entity_ids))


def _idf(items: int, n: int) -> float:
    return math.log(1.0 + (items - n + 0.5) / (n + 0.5))


def _alt_idf(alt: Alternative, stats: CollectionStats) -> float:
    if alt.kind == "entity":
        return _idf(stats.items, stats.entity_items.get(alt.value, 0))
    if alt.kind == "url":
        return _idf(stats.items, 1)
    keys = alt.tokens if alt.kind == "stems" else tuple(stem(t) for t in alt.tokens)
    return sum(_idf(stats.items, stats.stem_items.get(k, 0)) for k in keys)


def _positions(alt: Alternative, field_: Analysed) -> tuple[list[int], list[int]]:
    """Start positions of exact and other-form matches of a word/phrase alternative."""
    n = len(alt.tokens)
    if not n:
        return [], []
    exact: list[int] = []
    other: list[int] = []
    seq = field_.words if alt.kind == "words" else field_.stems
    for p in field_.starts[alt.kind].get(alt.tokens[0], ()):
        if n > 1 and seq[p : p + n] != alt.tokens:
            continue
        (exact if alt.kind == "words" or field_.words[p : p + n] == alt.exact else other).append(p)
    return exact, other


def _mention_positions(entity_id: str, field_name: str, cand: Candidate, field_: Analysed) -> list[int]:
    starts = [m.start for m in cand.mentions if m.entity_id == entity_id and m.field == field_name]
    out = []
    for s in starts:
        for p, (a, b) in enumerate(field_.spans):
            if a <= s < b or a >= s:
                out.append(p)
                break
    return out


@dataclass
class _Match:
    tf: float = 0.0
    positions: list[int] = field(default_factory=list)


def _concept_in_field(concept: Concept, field_name: str, cand: Candidate, field_: Analysed, url_hit: bool) -> _Match:
    best = _Match()
    for alt in concept.alternatives:
        if alt.kind == "url":
            if url_hit and field_name == "title":
                best = _Match(max(best.tf, 1.0), best.positions or [0])
            continue
        if alt.kind == "entity":
            if field_name not in ("title", "text"):
                continue  # the names field repeats the mentions; counted through title/text
            pos = _mention_positions(alt.value, field_name, cand, field_)
            tf = float(len(pos))
        else:
            exact, other = _positions(alt, field_)
            pos = sorted(exact + other)
            tf = len(exact) + OTHER_FORM * len(other)
        if tf > best.tf:
            best = _Match(tf, pos)
    return best


def _score(plan: Plan, cand: Candidate, stats: CollectionStats, fields: dict[str, Analysed]) -> tuple[int, float]:
    url_hit = False
    if any(a.kind == "url" for c in plan.concepts for a in c.alternatives):
        keys = set(url_keys(cand.url, cand.links))
        url_hit = any(a.value in keys for c in plan.concepts for a in c.alternatives if a.kind == "url")
    matched = 0
    total = 0.0
    idfs: list[float] = []
    where: list[dict[str, list[int]]] = []
    for concept in plan.concepts:
        idf = max((_alt_idf(a, stats) for a in concept.alternatives), default=0.0)
        weighted = 0.0
        positions: dict[str, list[int]] = {}
        for name, analysed_field in fields.items():
            m = _concept_in_field(concept, name, cand, analysed_field, url_hit)
            if m.tf:
                avg = stats.avg_length.get(name) or 1.0
                norm = 1.0 - B + B * len(analysed_field.words) / avg
                weighted += FIELD_WEIGHTS[name] * m.tf / norm
                positions[name] = m.positions
        if weighted:
            matched += 1
            total += idf * weighted * (K1 + 1) / (K1 + weighted)
        idfs.append(idf)
        where.append(positions)
    for i in range(len(plan.concepts) - 1):
        for name, bonus in (("title", 2.0), ("text", 1.0)):
            a, b = where[i].get(name, []), where[i + 1].get(name, [])
            if a and b and any(0 < q - p <= NEAR for p in a for q in b):
                total += PROXIMITY * bonus * min(idfs[i], idfs[i + 1])
    return matched, total


def rank(plan: Plan, candidates: Sequence[Candidate], stats: CollectionStats) -> list[tuple[Candidate, float]]:
    """Candidates best first with their scores (see the module docstring for the order)."""
    scored = []
    for cand in candidates:
        texts = searchable_texts(cand.title, cand.text, cand.mentions, cand.url)
        fields = {name: analyse(value) for name, value in texts.items()}
        matched, score = _score(plan, cand, stats, fields)
        newest = cand.date.toordinal() if cand.date else 0
        scored.append(((-matched, -round(score, 9), -newest, cand.issue_id, cand.position, cand.item_id), cand, matched * 1000 + score))
    scored.sort(key=lambda s: s[0])
    return [(cand, round(score, 4)) for _, cand, score in scored]
