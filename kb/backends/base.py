"""The whole backend contract (after wagtail search): one abstract class, neutral results.

A backend stores issues and items, answers `SearchQuery`s with ranked hits and facets, and
counts items mentioning an entity per period for trends. It also answers the questions of
the entity page (stats, co-mentions), the editors' coverage check (items by link), the
dashboards (entity-type mix over time) and did-you-mean. Everything above it (query service,
CLI, app) only sees the types defined here.
"""
from __future__ import annotations

from collections import Counter

from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, Iterable, Iterator, Literal, Sequence

from kb.backends.snippets import marked_html
from kb.curation import CandidateRow, commonest_spellings
from kb.highlight import highlight
from kb.models import ENTITY_TYPES, Issue
from kb.plan import Plan, plan_query
from kb.query import Filters, SearchQuery
from kb.ranking import RESCORE_WINDOW, Candidate, CollectionStats, rank
from kb.settings import Settings

__all__ = [
    "Backend",
    "BackendError",
    "BackendUnavailable",
    "Hit",
    "SearchResults",
    "FacetValue",
    "TrendPoint",
    "IssueSummary",
    "WriteReport",
    "Significant",
    "Suggestion",
    "IssueRef",
    "EntityStats",
    "jlh",
    "Interval",
    "INTERVALS",
    "FACETS",
    "TREND_TYPES",
    "TrendBy",
    "Retrieved",
    "RELAX_BELOW",
]

# Fewer items than this match enough of the query's concepts: also show items matching some.
RELAX_BELOW = 10
# Facets (and co-mentions) of more items than FACET_SAMPLE are counted on a random sample of
# about that many, scaled up and marked estimated, unless a caller asks for EXACT_FACETS_FROM
# values or more: it uses the counts as data, not for display, and gets them exact.
FACET_SAMPLE = 2000
ALL_FACET_VALUES = 10_000  # asked for as a facet size: every value, counted exactly
EXACT_FACETS_FROM = 100

Interval = Literal["issue", "week", "month", "quarter", "year"]
INTERVALS: tuple[str, ...] = ("issue", "week", "month", "quarter", "year")
FACETS: tuple[str, ...] = ("entity", "type", "topic", "section", "year", "publication")
# The keys of `trend(..., by="type")`: every entity type; topics are not a kind of named thing.
TREND_TYPES: tuple[str, ...] = tuple(t for t in ENTITY_TYPES if t != "TOPIC")
TrendBy = Literal["entity", "type"]  # what a trend's keys are


class BackendError(Exception):
    """Anything a backend cannot do; the message says what and how to fix it."""


class BackendUnavailable(BackendError):
    """The store cannot be reached (server down, file unreadable); names the location tried."""

    def __init__(self, location: str, reason: str):
        super().__init__(f"cannot reach {location}: {reason}")
        self.location = location
        self.reason = reason


@dataclass(frozen=True)
class Hit:
    item_id: str
    issue_id: str
    publication: str
    issue_number: int | None
    date: date | None
    date_estimated: bool
    section: str | None
    title: str
    url: str | None
    score: float
    snippet: str  # HTML-escaped text with <mark> around matches
    title_html: str  # HTML-escaped title with <mark> around matches
    entities: tuple[tuple[str, str], ...] = ()  # (entity_id, type), in order of first mention


@dataclass(frozen=True)
class FacetValue:
    """A value and the items having it; `estimated`: counted on a sample of many items, so
    about that many (shown with "≈")."""

    value: str
    count: int
    estimated: bool = False


@dataclass(frozen=True)
class SearchResults:
    """A page of hits. `relaxed`: fewer than RELAX_BELOW items matched enough of the query's
    concepts (`strict_total` of them, ranked first), so items matching some are included.
    `linked`: (words as typed, entity id) that were read as entities. The query service adds
    `corrected_query` (results are for a corrected spelling), `entity_changed` (reading
    those words as entities changed what was found) and `notice` (what of an overlong query
    was left out, `kb.query.bounded_query`)."""

    hits: tuple[Hit, ...]
    total: int
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    relaxed: bool = False
    strict_total: int | None = None
    linked: tuple[tuple[str, str], ...] = ()
    corrected_query: str | None = None
    entity_changed: bool = False
    notice: str | None = None


@dataclass(frozen=True)
class Retrieved:
    """What a backend found for a plan: every match counted, one stretch of them returned.

    `candidates` are in the backend's order (relevance: most concepts matched, then its own
    BM25; otherwise newest first). `stats` are filled when asked for, for `kb.ranking`.
    """

    total: int
    candidates: tuple[Candidate, ...]
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    stats: CollectionStats | None = None


@dataclass(frozen=True)
class TrendPoint:
    """Items mentioning `key` in one period; `total` is all items of the period (for shares)."""

    key: str
    period: str  # "2021-08", "2021-W33"-style Monday date, "2021-Q3", "2021", or an issue id
    period_start: date | None
    items: int
    total: int
    issue_number: int | None = None
    date_estimated: bool = False
    publication: str | None = None  # the issue's newsletter (per-issue points), or the one a split series counts


@dataclass(frozen=True)
class IssueSummary:
    id: str
    publication: str
    number: int | None
    title: str
    date: date | None
    date_estimated: bool
    items: int
    source: str
    fingerprint: str
    summary: str = ""  # as the issue states it (front matter, feed), else empty


@dataclass(frozen=True)
class Significant:
    """An entity/topic over-represented in a foreground set of items compared with all items."""

    key: str
    score: float
    foreground: int
    background: int
    estimated: bool = False  # `foreground` counted on a sample of many items


@dataclass(frozen=True)
class Suggestion:
    entity_id: str
    type: str
    text: str  # the name as written in the archive


@dataclass(frozen=True)
class IssueRef:
    """Enough of an issue to name and link it (the date may be estimated)."""

    id: str
    number: int | None
    date: date | None
    date_estimated: bool


@dataclass(frozen=True)
class EntityStats:
    """How much the archive covered one entity or topic, and from when to when.

    `first`/`last` are ordered by date, then issue number (undated issues after dated ones).
    """

    entity_id: str
    items: int  # items mentioning it
    mentions: int  # every mention, title and text, repeats included
    first: IssueRef
    last: IssueRef


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    items: int = 0
    mentions: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (issue id, reason)

    def count_written(self, issue: Issue) -> None:
        """Count an issue that was stored, with its items and mentions (every backend alike)."""
        self.written += 1
        self.items += len(issue.items)
        self.mentions += sum(len(i.mentions) for i in issue.items)


def jlh(fg: int, fg_total: int, bg: int, bg_total: int) -> float:
    """Elasticsearch's default significance score, so both backends rank alike."""
    if not (fg and fg_total and bg and bg_total):
        return 0.0
    fg_pct, bg_pct = fg / fg_total, bg / bg_total
    return (fg_pct - bg_pct) * (fg_pct / bg_pct) if fg_pct > bg_pct else 0.0


class Backend(ABC):
    """A search store: each backend translates queries and storage; what they compute alike
    (ranking, relaxation, highlighting, rebuilding issues) lives here and in `kb.backends.shared`."""

    name: ClassVar[str] = "base"

    @classmethod
    @abstractmethod
    def from_settings(cls, settings: Settings) -> "Backend":
        """The backend as configured (environment variables, CLI options): `open_backend`."""

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def write_issues(self, issues: Sequence[Issue]) -> WriteReport:
        """Insert or replace whole issues (items and mentions) atomically.

        An issue whose fingerprint is already stored is left untouched (idempotent re-ingest).
        """

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Many `write_issues` calls in a row (an ingest): the backend may defer the work of
        making each batch visible to readers until the block ends. Every batch is durable
        when its call returns; searches see all of them at the latest when the block ends."""
        yield

    @abstractmethod
    def rebuild(self, issues: Iterable[Issue]) -> WriteReport:
        """Replace the whole archive with `issues`, atomically for readers.

        Until it returns, searches see the old archive; if it fails (or `issues` raises),
        the old archive stays as it was.
        """

    @abstractmethod
    def delete_issue(self, issue_id: str) -> bool:
        """Remove an issue and all its items; False when it was not there."""

    @abstractmethod
    def clear(self) -> None:
        """Remove everything (used by tests and `indexer reset`)."""

    # -- reading ---------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        """Plan the query, let the backend match it, rank the best in Python (`kb.ranking`).

        Every backend shares this method, so coordination, word forms, ranking, relaxation
        and highlighting behave identically; backends only implement `_retrieve`.
        """
        plan = plan_query(query)
        relevance = plan.has_concepts and query.sort == "relevance"
        ranked = relevance and query.limit > 0  # no page asked for (counts, facets): nothing to rank
        within = ranked and query.offset < RESCORE_WINDOW
        if within:  # rank the window; a page reaching past it continues in first-stage order
            start, count = 0, max(RESCORE_WINDOW, query.offset + query.limit)
        else:
            start, count = query.offset, query.limit
        facets = query.facet_size if query.with_facets else None
        relaxed, strict_total = False, None
        got = self._retrieve(plan, query.filters, ranked=ranked, start=start, count=count, facet_size=facets, stats=within)
        if relevance and plan.can_relax and got.total < RELAX_BELOW:
            # few matched enough of the query: look again for items matching some (a second
            # pass only for small answers, so the usual search matches once)
            strict_total, plan = got.total, plan.relaxed()
            got = self._retrieve(plan, query.filters, ranked=ranked, start=start, count=count, facet_size=facets, stats=within)
            relaxed = got.total > strict_total
        if within and got.stats is not None:
            window = list(got.candidates[:RESCORE_WINDOW])
            ordered = rank(plan, window, got.stats) + [(c, 0.0) for c in got.candidates[RESCORE_WINDOW:]]
            page = ordered[query.offset : query.offset + query.limit]
        else:
            page = [(c, 0.0) for c in got.candidates]
        hits = tuple(self._to_hit(c, plan if plan.has_concepts else None, score) for c, score in page)
        return SearchResults(
            hits=hits,
            total=got.total,
            facets=got.facets,
            relaxed=relaxed,
            strict_total=strict_total if relaxed else None,
            linked=plan.linked,
        )

    def count(self, query: SearchQuery) -> int:
        """Items matching enough of the query (as `search` counts them before relaxing)."""
        return self._count(plan_query(query), query.filters)

    @staticmethod
    def _to_hit(cand: Candidate, plan: Plan | None, score: float) -> Hit:
        title, snippet = highlight(plan, cand.title, cand.text, cand.mentions)
        seen: dict[str, str] = {}
        for m in sorted(cand.mentions, key=lambda m: (m.field != "title", m.start)):
            seen.setdefault(m.entity_id, m.type)
        return Hit(
            item_id=cand.item_id,
            issue_id=cand.issue_id,
            publication=cand.publication,
            issue_number=cand.issue_number,
            date=cand.date,
            date_estimated=cand.date_estimated,
            section=cand.section,
            title=cand.title,
            url=cand.url,
            score=score,
            snippet=marked_html(snippet),
            title_html=marked_html(title),
            entities=tuple(seen.items()),
        )

    @abstractmethod
    def _retrieve(
        self,
        plan: Plan,
        filters: Filters,
        *,
        ranked: bool,
        start: int,
        count: int,
        facet_size: int | None,
        stats: bool,
    ) -> Retrieved:
        """Items matching the plan and the filters: the total, facets (when `facet_size`),
        `count` candidates from `start` on, and collection statistics (when `stats`).

        A plan without concepts matches every item not excluded. Matching: every required
        concept, `plan.min_match` of the others, none of `plan.excluded`.
        """

    @abstractmethod
    def _count(self, plan: Plan, filters: Filters) -> int:
        """How many items `_retrieve` would match (nothing else computed)."""

    @abstractmethod
    def trend(
        self, keys: Sequence[str], interval: Interval, filters: Filters = Filters(), *, by: TrendBy = "entity"
    ) -> list[TrendPoint]:
        """Items mentioning each key per period, every period of the archive included (zeros too).

        Keys are entity or topic ids, or with `by="type"` entity types (`TREND_TYPES`, for the
        "mix of entity types" chart): same periods, totals and ordering either way."""

    @abstractmethod
    def similar(self, item_id: str | None = None, *, text: str = "", limit: int = 5) -> list[Hit]:
        """Items most like a stored item (excluding it) or like a draft text."""

    @abstractmethod
    def significant(
        self, foreground: Filters, *, size: int = 10, min_count: int = 2
    ) -> list[Significant]:
        """Entities and topics distinctive of the foreground items (JLH score), best first.

        The foreground's own required entities are left out: they are trivially "distinctive".
        """

    def entity_counts(self, date_from: date | None = None, date_to: date | None = None) -> dict[str, int]:
        """Items of the period (issue dates, both ends included; no dates: the whole archive,
        undated issues too) mentioning each entity or topic, exact: what rising and falling
        compares and the search box suggests. Backends with per-date counts answer from them;
        this default reads every value of the period's facets."""
        facets = self.search(
            SearchQuery("", Filters(date_from=date_from, date_to=date_to), limit=0, facet_size=ALL_FACET_VALUES)
        ).facets
        return {v.value: v.count for name in ("entity", "topic") for v in facets.get(name, ())}

    @abstractmethod
    def suggest(self, prefix: str, *, limit: int = 8) -> list[Suggestion]:
        """Entity names seen in the archive that start with `prefix` (autocomplete)."""

    @abstractmethod
    def entity_stats(self, entity_id: str) -> EntityStats | None:
        """Coverage of one entity or topic for its page; None when the archive never mentions it.

        Mention counts must be exact (editors compare them), not estimated from item counts.
        """

    @abstractmethod
    def co_mentions(self, entity_id: str, *, size: int = 15) -> list[FacetValue]:
        """Other entities and topics in the items mentioning `entity_id`, by item count.

        Most items first, ties by id; the entity itself is left out. Feeds "often seen with".
        """

    @abstractmethod
    def items_with_url(self, url: str, *, limit: int = 100) -> list[Hit]:
        """Items whose link or any link in their text is `url` (compared by `normalize_url`).

        Lets editors check whether a story was already covered, newest first.
        """

    @abstractmethod
    def did_you_mean(self, text: str) -> str | None:
        """The query with words unknown to the index replaced by close indexed words.

        None when every word exists (or nothing close does); follows `kb.spelling`'s rules
        so both backends propose the same correction for clear typos.
        """

    @abstractmethod
    def candidate_rows(self) -> Iterator[CandidateRow]:
        """Every mention of a name found outside the catalog, with its item and issue."""

    def candidate_names(self) -> dict[str, str]:
        """Each name found outside the catalog, as written most often (ties: alphabetical):
        what readers see instead of its id. Backends answer it without item texts."""
        counts: dict[str, Counter[str]] = {}
        for row in self.candidate_rows():
            counts.setdefault(row.entity_id, Counter())[row.surface] += 1
        return commonest_spellings(counts)

    @abstractmethod
    def list_issues(self, publication: str | None = None) -> list[IssueSummary]:
        """Issues ordered by publication, then number/date."""

    @abstractmethod
    def get_issue(self, issue_id: str) -> Issue | None: ...

    @abstractmethod
    def count_items(self) -> int: ...

    @abstractmethod
    def generation(self) -> str:
        """A token that changes whenever what searches see may have changed, by this process's
        writes or another's (the app keys its cached answers on it: an ingest from the CLI
        shows at once, and nothing is recomputed while the archive stays as it is)."""

    @abstractmethod
    def issue_leads(self) -> dict[str, str]:
        """Each issue's first item title, by issue id: what an issue list shows for issues
        whose own title names only the newsletter ("ML newsletter", "Issue #54")."""

    def count_issues(self) -> int:
        """Issues stored; backends count without listing them (the status line asks on every page)."""
        return len(self.list_issues())

    def known_dates(self, publication: str) -> dict[int, date]:
        """Real (not estimated) dates by issue number, the anchors for date estimation."""
        return {
            s.number: s.date
            for s in self.list_issues(publication)
            if s.number is not None and s.date is not None and not s.date_estimated
        }

    def fingerprints(self) -> dict[str, str]:
        return {s.id: s.fingerprint for s in self.list_issues()}

    def describe(self) -> str:
        """Where the data lives, for the app's status line and error messages."""
        return self.name

    def close(self) -> None:  # pragma: no cover - trivial default
        pass
