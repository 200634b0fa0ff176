"""What the scale benchmark asks of an archive: reader queries by kind, drawn from its profile.

Why a module of its own: the queries must be chosen the same way for every size and backend,
from the word and name frequencies of the synthetic archive's profile (never from a fixed list
that would suit one corpus), and each kind needs a bare anchor query of the same words.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from bench.synthetic import ArchiveProfile
from kb.query import Filters, SearchQuery
from kb.textstats import STOPWORDS

__all__ = ["QueryCase", "Workload", "workload_for"]

PAGE_SIZE = 10  # the search page's page size
VARIANTS = 5  # different queries per kind, so no kind is one cached answer


@dataclass(frozen=True)
class QueryCase:
    """One search page as the app asks for it, and the bare engine query of the same words
    (`anchor`: FTS5 MATCH syntax, read as plain words by Elasticsearch; None: no equivalent)."""

    query: SearchQuery
    anchor: str | None


@dataclass(frozen=True)
class Workload:
    kinds: dict[str, tuple[QueryCase, ...]]
    trend_entities: tuple[str, ...]  # the three most mentioned entities
    page_entities: tuple[str, ...]  # entities whose pages are opened
    year_pairs: tuple[tuple[tuple[date, date], tuple[date, date]], ...] = ()  # rising/falling compares these


def _content_words(profile: ArchiveProfile) -> list[tuple[str, int]]:
    return [(w, c) for w, c in zip(profile.words, profile.word_counts)
            if w.isalpha() and len(w) >= 4 and w not in STOPWORDS]


def _rare(words: list[tuple[str, int]], profile: ArchiveProfile, share: float) -> list[str]:
    """Words expected in about `share` of the items (Poisson estimate from their frequency)."""
    total = sum(profile.word_counts)
    per_item = (sum(profile.title_words) + sum(profile.text_words)) / max(1, len(profile.text_words))

    def items_share(count: int) -> float:
        return 1.0 - math.exp(-count / total * per_item)

    return [w for w, _ in sorted(words, key=lambda wc: abs(math.log(items_share(wc[1]) / share)))[:VARIANTS]]


def workload_for(profile: ArchiveProfile, *, publications: list[str], first: date, last: date) -> Workload:
    """Queries of every kind the issue names, from the profile's own words and names."""
    words = _content_words(profile)
    if len(words) < 70:
        raise ValueError("the profile has too few content words to draw queries from")
    common = [w for w, _ in words[:VARIANTS]]
    rare = _rare(words, profile, 0.001)
    multi = [" ".join(w for w, _ in words[10 + 9 * n: 10 + 9 * n + 3 - n % 2]) for n in range(VARIANTS)]
    phrases = [f'"{words[n][0]} {words[n + 1][0]}"' for n in range(VARIANTS)]
    span = max(1, (last - first).days)
    windows = [(date.fromordinal(first.toordinal() + span * n // (VARIANTS + 2)),
                date.fromordinal(first.toordinal() + span * (n + 3) // (VARIANTS + 2))) for n in range(VARIANTS)]
    letters = [publications[n % len(publications)] for n in range(VARIANTS)]
    years = [(date(d.year, 1, 1), date(d.year, 12, 31)) for d, _ in windows]

    def page(text: str, filters: Filters = Filters(), **kw: object) -> SearchQuery:
        sort = "relevance" if text else "date"
        return SearchQuery(text, filters, sort=sort, limit=PAGE_SIZE, **kw)  # type: ignore[arg-type]

    entities = [(surface, entity_id) for surface, _, entity_id in profile.names if not entity_id.startswith("new:")]
    seen: dict[str, str] = {}
    for surface, entity_id in entities:
        seen.setdefault(entity_id, surface)
    top = list(seen.items())
    kinds = {
        "common word": tuple(QueryCase(page(w), w) for w in common),
        "rare word": tuple(QueryCase(page(w), w) for w in rare),
        "2-3 words": tuple(QueryCase(page(m), m) for m in multi),
        "phrase": tuple(QueryCase(page(p), p) for p in phrases),
        "entity name": tuple(QueryCase(page(s), s) for _, s in top[:VARIANTS]),
        "word + filter": tuple(
            QueryCase(page(w, Filters(publications=(pub,), date_from=a, date_to=b)), w)
            for w, pub, (a, b) in zip(common, letters, windows)
        ),
        "browse (filters only)": tuple(
            QueryCase(page("", Filters(publications=(pub,), date_from=a, date_to=b)), None)
            for pub, (a, b) in zip(letters, years)
        ),
        "facets only (no hits)": tuple(QueryCase(SearchQuery(w, limit=0, facet_size=24), w) for w in common),
    }
    pairs = tuple(((date(a.year - 1, 1, 1), date(a.year - 1, 12, 31)), y) for (a, _), y in zip(windows, years))
    return Workload(kinds, tuple(e for e, _ in top[:3]), tuple(e for e, _ in top[:VARIANTS]), pairs)
