"""The query service: the only door the CLI and the app use to read the knowledge base.

It turns names into catalog ids, asks the backend, and dresses answers with display names.
Some answers are built here from plain searches (co-occurrence matrix, rising/falling), so
every backend gives them without a method of its own.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

from kb.backends.base import (
    Backend,
    EntityStats,
    Hit,
    Interval,
    IssueSummary,
    SearchResults,
    Significant,
    Suggestion,
    TREND_TYPES,
    TrendBy,
    TrendPoint,
)
from kb.catalog import CATALOG_DIR, Catalog, CatalogEntry, load_catalog
from kb.curation import Candidate, aggregate_candidates
from kb.browse import issue_headings, issue_name
from kb.models import Issue, is_candidate
from kb.names import NameIndex
from kb.query import Filters, SearchQuery, bounded_page, bounded_query
from kb.settings import Settings
from kb.urls import MAX_URL_CHARS

__all__ = [
    "QueryService",
    "BoxSuggestion",
    "UnknownEntity",
    "Status",
    "NamedCount",
    "Change",
    "RisingFalling",
    "configured_catalog",
    "catalog_files",
]

# Fewer items than this match a query well enough: try a corrected spelling.
FEW_RESULTS = 3
WRITTEN_NAMES_TTL = 5.0  # seconds a read of the new names stays fresh
MIN_SUPPORT = 3  # items in one of the two periods before a rise or fall is listed


@dataclass(frozen=True)
class BoxSuggestion:
    """A name the search box suggests, with how many items mention it."""

    entity_id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    items: int


def catalog_files(settings: Settings) -> list[Path]:
    """The shipped catalog, extra files named by KB_CATALOG, and the accepted-entries file."""
    files = sorted(CATALOG_DIR.glob("*.yaml"))
    for extra in settings.catalog_paths:
        files.extend(sorted(extra.glob("*.yaml")) if extra.is_dir() else [extra])
    accepted = Path(settings.accepted_file)
    if accepted.exists() and accepted.resolve() not in {f.resolve() for f in files}:
        files.append(accepted)
    return files


def configured_catalog(settings: Settings) -> Catalog:
    return load_catalog(catalog_files(settings))


def _good_matches(results: SearchResults) -> int:
    """Items matching enough of the query (not counting those added by relaxation)."""
    return results.strict_total if results.strict_total is not None else results.total


class UnknownEntity(LookupError):
    def __init__(self, name: str, suggestions: Sequence[str] = ()):
        hint = f" (did you mean: {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"no entity or topic called {name!r} in the catalog{hint}")
        self.name = name
        self.suggestions = tuple(suggestions)


@dataclass(frozen=True)
class Status:
    backend: str
    issues: int
    items: int


@dataclass(frozen=True)
class NamedCount:
    entity_id: str
    name: str
    count: int
    estimated: bool = False  # counted on a sample of the entity's items (shown "≈")


@dataclass(frozen=True)
class Change:
    """Items mentioning an entity in period A and in period B; `change` is B minus A."""

    entity_id: str
    name: str
    count_a: int
    count_b: int
    change: int

    @property
    def ratio(self) -> float:
        """B over A, each plus one: 0 -> 4 items is x5, 40 -> 120 is x3 (a newcomer is not infinite)."""
        return (self.count_b + 1) / (self.count_a + 1)


@dataclass(frozen=True)
class RisingFalling:
    rising: tuple[Change, ...]  # biggest gain first
    falling: tuple[Change, ...]  # biggest loss first


DateRange = tuple[date, date]
T = TypeVar("T")
_NO_ENTITY = "\x00none"  # a key no item mentions: trend() then reports only period totals


class QueryService:
    def __init__(self, backend: Backend, catalog: Catalog):
        self.backend = backend
        self.catalog = catalog
        self.names = NameIndex(catalog)
        self._written: dict[str, str] = {}  # new names as written, see written_names()
        self._written_at = float("-inf")
        self._by_name: dict[str, str] = {}
        self._generation_cache: dict[str, tuple[str, Any]] = {}
        for entry in catalog:
            for name in (entry.id, entry.name, *entry.aliases):
                self._by_name.setdefault(name.casefold(), entry.id)

    # -- names -----------------------------------------------------------------------------
    def entry(self, entity_id: str) -> CatalogEntry | None:
        return self.catalog.get(entity_id)

    def name_of(self, entity_id: str) -> str:
        """The catalog name, or a new name as the archive writes it most often (never a slug)."""
        entry = self.catalog.get(entity_id)
        if entry:
            return entry.name
        if is_candidate(entity_id):
            return self.written_names().get(entity_id) or entity_id.split(":", 1)[1]
        return entity_id

    def written_names(self) -> dict[str, str]:
        """New names (outside the catalog) as written most often; re-read at most every
        WRITTEN_NAMES_TTL seconds, so a page full of chips costs one query."""
        now = time.monotonic()
        if now - self._written_at > WRITTEN_NAMES_TTL:
            self._written = self.backend.candidate_names()
            self._written_at = now
        return self._written

    @cached_property
    def choices(self) -> dict[str, str]:
        """Every catalog entry as "Name · type", by name: the pickers' options, built once."""
        entries = sorted(self.catalog, key=lambda e: e.name.casefold())
        return {e.id: f"{e.name} · {e.type.lower()}" for e in entries}

    def resolve(self, name_or_id: str) -> str:
        """Catalog id for an id, a name or an alias, whatever its case."""
        key = name_or_id.strip().casefold()
        if key in self._by_name:
            return self._by_name[key]
        prefix = [e.id for e in self.catalog.search_names(name_or_id.strip())][:5]
        raise UnknownEntity(name_or_id, prefix)

    def find(self, name_or_id: str) -> str | None:
        """An id for an id, a catalog name or alias (any case), or a name exactly as the archive
        writes a new one ("Quokkaflow"); None when nothing is called so."""
        if self.entry(name_or_id) or is_candidate(name_or_id):
            return name_or_id
        try:
            return self.resolve(name_or_id)
        except UnknownEntity:
            exact = [s for s in self.suggest(name_or_id, limit=3) if s.text.casefold() == name_or_id.casefold()]
            return exact[0].entity_id if exact else None

    def candidate(self, entity_id: str) -> Candidate | None:
        """One name found outside the catalog, with its evidence (kept per archive generation:
        an entity page must not aggregate every candidate on each view)."""
        return self._per_generation("candidates", lambda: {c.entity_id: c for c in self.candidates()}).get(entity_id)

    def _key(self, name_or_id: str) -> str:
        """Like `resolve`, but names found outside the catalog ("new:…") are keys too."""
        return name_or_id if is_candidate(name_or_id) else self.resolve(name_or_id)

    def box_suggestions(self) -> list[BoxSuggestion]:
        """What the search box offers as a reader types: every catalog entity and topic the
        archive mentions, most items first, with the aliases it also answers to. Matched in the
        browser (a keystroke must not wait for a page run), so computed once per generation."""
        def compute() -> list[BoxSuggestion]:
            items = self.backend.entity_counts()
            listed = [BoxSuggestion(e.id, e.type, e.name, e.aliases, items[e.id])
                      for e in self.catalog if items.get(e.id)]
            return sorted(listed, key=lambda s: (-s.items, s.name.casefold()))

        return self._per_generation("box_suggestions", compute)

    def suggest(self, prefix: str, *, limit: int = 8) -> list[Suggestion]:
        """Autocomplete: catalog names first, then names as written in the archive (new ones too)."""
        prefix = bounded_query(prefix)[0]
        best = {e.id: Suggestion(e.id, e.type, e.name) for e in self.catalog.search_names(prefix, limit=limit)}
        for s in self.backend.suggest(prefix, limit=limit):
            best.setdefault(s.entity_id, s)
        return list(best.values())[:limit]

    # -- reading ---------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        """Search as readers mean it: catalog names in the query find their entity however an
        item spells it, and a query with (almost) no good match whose words are misspelt is
        answered for the corrected spelling (`corrected_query` says so). `literal` turns both off.
        An overlong query is cut first (`notice` says so).
        """
        text, notice = bounded_query(query.text)
        if text != query.text:
            query = replace(query, text=text)
        query, paging = bounded_page(query)
        notice = " ".join(n for n in (notice, paging) if n) or None
        results = self._search(query)
        return replace(results, notice=notice) if notice else results

    def _search(self, query: SearchQuery) -> SearchResults:
        results = self._search_reading_names(query)
        if query.literal or not query.text.strip() or _good_matches(results) >= FEW_RESULTS:
            return results
        corrected = self.backend.did_you_mean(query.text)
        if not corrected or corrected.casefold() == query.text.strip().casefold():
            return results
        better = self._search_reading_names(replace(query, text=corrected))
        # a corrected word is one the index knows; as typed it could never match
        if (_good_matches(better), better.total) > (_good_matches(results), results.total):
            return replace(better, corrected_query=corrected)
        return results

    def _search_reading_names(self, query: SearchQuery) -> SearchResults:
        if query.literal:
            return self.backend.search(query)
        results = self.backend.search(replace(query, known_names=self.names.names_in(query.text)))
        if not results.linked:
            return results
        read_as_entities = results.strict_total if results.strict_total is not None else results.total
        changed = self.backend.count(replace(query, literal=True)) != read_as_entities
        return replace(results, entity_changed=changed)

    def trend(
        self, names: Sequence[str], interval: Interval = "month", filters: Filters = Filters(), *,
        by_newsletter: bool = False,
    ) -> list[TrendPoint]:
        """Items per period mentioning each name. Per-issue points name their issue's newsletter
        (issue numbers of different newsletters are different scales); `by_newsletter` gives
        each newsletter its own series (`publication` set), over the filter's newsletters or all."""
        keys = [self._key(n) for n in names]  # candidates ("new:…") can be charted too
        return self._trend(keys, interval, filters, by_newsletter)

    def _trend(self, keys: Sequence[str], interval: Interval, filters: Filters, by_newsletter: bool,
               by: TrendBy = "entity") -> list[TrendPoint]:
        if by_newsletter:
            return [
                replace(point, publication=publication)
                for publication in (filters.publications or self.publications())
                for point in self.backend.trend(keys, interval, replace(filters, publications=(publication,)), by=by)
            ]
        points = self.backend.trend(keys, interval, filters, by=by)
        if interval != "issue":
            return points
        issues = self.issue_index()
        return [replace(p, publication=s.publication) if (s := issues.get(p.period)) else p for p in points]

    def type_trend(self, interval: Interval = "month", filters: Filters = Filters()) -> list[TrendPoint]:
        """The entity-type mix per period; types never mentioned are left out of the chart."""
        points = self._trend(TREND_TYPES, interval, filters, False, by="type")
        seen = {p.key for p in points if p.items}
        return [p for p in points if p.key in seen]

    def items_per_period(self, interval: Interval = "issue", filters: Filters = Filters()) -> list[TrendPoint]:
        """All items per period (the `total` of each point; `items` is 0): issue sizes, per-issue
        points naming their newsletter."""
        return self._trend([_NO_ENTITY], interval, filters, False)

    # -- the archive's issues, kept per generation ------------------------------------------
    def _per_generation(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()` once per archive generation: recomputed when any process has written,
        never on a timer, so an unchanged archive answers from memory."""
        generation = self.backend.generation()
        cached = self._generation_cache.get(name)
        if cached is None or cached[0] != generation:
            cached = self._generation_cache[name] = (generation, compute())
        return cached[1]

    def issue_index(self) -> dict[str, IssueSummary]:
        """Every stored issue by id."""
        return self._per_generation("issue index", lambda: {s.id: s for s in self.backend.list_issues()})

    def issue_headings(self) -> dict[str, str]:
        """What each issue is about, for lists (`kb.browse.issue_headings`): real titles, else
        summaries, else first items."""
        return self._per_generation("issue headings", lambda: issue_headings(
            list(self.issue_index().values()), self.backend.issue_leads()))

    def publications(self) -> list[str]:
        """The archive's newsletters, by name."""
        return self._per_generation("publications", lambda: sorted(
            {s.publication for s in self.issue_index().values()}, key=str.casefold))

    def archive_end(self) -> date | None:
        """The last dated issue's date: a period running past it is partial."""
        return self._per_generation("archive end", lambda: max(
            (s.date for s in self.issue_index().values() if s.date), default=None))

    def issue_names(self) -> dict[str, str]:
        """ "MLE Newsletter #5" for every issue id: an issue number always with its newsletter
        (numbers of different newsletters are not comparable). One lookup for a whole chart."""
        return self._per_generation("issue names", lambda: {
            s.id: issue_name(s.publication, s.number, s.title) for s in self.issue_index().values()})

    def issue_name(self, issue_id: str, number: int | None = None) -> str:
        """One issue's name (`issue_names`); "#N" or the id itself for an issue not stored."""
        return self.issue_names().get(issue_id) or (f"#{number}" if number is not None else issue_id)

    def count(self, filters: Filters) -> int:
        return self.backend.search(SearchQuery("", filters=filters, limit=0, with_facets=False)).total

    # -- entity page -----------------------------------------------------------------------
    def entity_stats(self, name_or_id: str) -> EntityStats | None:
        return self.backend.entity_stats(self._key(name_or_id))

    def co_mentions(self, name_or_id: str, *, size: int = 15) -> list[NamedCount]:
        """What an entity is usually seen with ("often mentioned with"), by shared items."""
        return [
            NamedCount(v.value, self.name_of(v.value), v.count, v.estimated)
            for v in self.backend.co_mentions(self._key(name_or_id), size=size)
        ]

    def cooccurrence(self, names: Sequence[str]) -> dict[tuple[str, str], int]:
        """Items mentioning both of each pair of ids (symmetric; the diagonal is each one's items)."""
        keys = list(dict.fromkeys(self._key(n) for n in names))
        matrix: dict[tuple[str, str], int] = {}
        for i, a in enumerate(keys):
            for b in keys[i:]:
                matrix[(a, b)] = matrix[(b, a)] = self.count(Filters(entities=(a, b)))
        return matrix

    def rising_falling(
        self, period_a: DateRange, period_b: DateRange, *, size: int = 10, min_support: int = MIN_SUPPORT
    ) -> RisingFalling:
        """Entities and topics whose item counts changed most, relatively, from period A to
        period B (`Change.ratio`), among those seen in at least `min_support` items in one of
        the periods: a name going from 1 to 3 items is noise, one going from 40 to 120 is news.

        Counts are absolute: compare periods of similar length (or similar item totals).
        """
        a, b = self.backend.entity_counts(*period_a), self.backend.entity_counts(*period_b)
        changes = [
            Change(k, self.name_of(k), a.get(k, 0), b.get(k, 0), b.get(k, 0) - a.get(k, 0))
            for k in sorted(a.keys() | b.keys())
            if max(a.get(k, 0), b.get(k, 0)) >= min_support
        ]
        rising = sorted((c for c in changes if c.change > 0), key=lambda c: (-c.ratio, -c.count_b, c.entity_id))
        falling = sorted((c for c in changes if c.change < 0), key=lambda c: (c.ratio, -c.count_a, c.entity_id))
        return RisingFalling(tuple(rising[:size]), tuple(falling[:size]))

    # -- editors and readers ---------------------------------------------------------------
    def similar(self, item_id: str | None = None, *, text: str = "", limit: int = 5) -> list[Hit]:
        """Past items most like a stored item or a draft (more_like_this on both backends)."""
        return self.backend.similar(item_id, text=text, limit=limit)

    def significant(self, foreground: Filters, *, size: int = 10, min_count: int = 2) -> list[Significant]:
        """Entities and topics distinctive of the foreground items, best first."""
        return self.backend.significant(foreground, size=size, min_count=min_count)

    def items_with_url(self, url: str, *, limit: int = 100) -> list[Hit]:
        """Was this link covered before? Matches however the link was written (see kb.urls). A
        link longer than any stored one (`MAX_URL_CHARS`) was not."""
        return self.backend.items_with_url(url, limit=limit) if url.strip() and len(url) <= MAX_URL_CHARS else []

    def did_you_mean(self, text: str) -> str | None:
        """A corrected query for one that found few items; None when every word is known."""
        text = bounded_query(text)[0]
        return self.backend.did_you_mean(text) if text.strip() else None

    def issues(self, publication: str | None = None) -> list[IssueSummary]:
        return self.backend.list_issues(publication)

    def issue(self, issue_id: str) -> Issue | None:
        return self.backend.get_issue(issue_id)

    def candidates(self, *, min_items: int = 1, examples: int = 3) -> list[Candidate]:
        """Names found outside the catalog, most covered first (for editors to review)."""
        return aggregate_candidates(self.backend.candidate_rows(), min_items=min_items, examples=examples)

    def generation(self) -> str:
        """Changes whenever the archive may have (any process's writes): a key for cached answers."""
        return self.backend.generation()

    def status(self) -> Status:
        """Counts only: asked on every page, it must not list the archive."""
        return Status(self.backend.describe(), self.backend.count_issues(), self.backend.count_items())
