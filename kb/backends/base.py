"""The whole backend contract (after wagtail search): one abstract class, neutral results.

A backend stores issues and items, answers `SearchQuery`s with ranked hits and facets, and
counts items mentioning an entity per period for trends. Everything above it (query service,
CLI, app) only sees the types defined here.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, Iterable, Iterator, Literal, Sequence

from kb.curation import CandidateRow
from kb.models import Issue
from kb.query import Filters, SearchQuery

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
    "jlh",
    "Interval",
    "INTERVALS",
    "FACETS",
]

Interval = Literal["issue", "week", "month", "quarter", "year"]
INTERVALS: tuple[str, ...] = ("issue", "week", "month", "quarter", "year")
FACETS: tuple[str, ...] = ("entity", "type", "topic", "section", "year", "publication")


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
    value: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    hits: tuple[Hit, ...]
    total: int
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Significant:
    """An entity/topic over-represented in a foreground set of items compared with all items."""

    key: str
    score: float
    foreground: int
    background: int


@dataclass(frozen=True)
class Suggestion:
    entity_id: str
    type: str
    text: str  # the name as written in the archive


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    items: int = 0
    mentions: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (issue id, reason)


def jlh(fg: int, fg_total: int, bg: int, bg_total: int) -> float:
    """Elasticsearch's default significance score, so both backends rank alike."""
    if not (fg and fg_total and bg and bg_total):
        return 0.0
    fg_pct, bg_pct = fg / fg_total, bg / bg_total
    return (fg_pct - bg_pct) * (fg_pct / bg_pct) if fg_pct > bg_pct else 0.0


class Backend(ABC):
    """A search store. Capability flags say what a backend cannot do, loudly, up front."""

    name: ClassVar[str] = "base"
    supports_similar: ClassVar[bool] = False

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def write_issues(self, issues: Sequence[Issue]) -> WriteReport:
        """Insert or replace whole issues (items and mentions) atomically.

        An issue whose fingerprint is already stored is left untouched (idempotent re-ingest).
        """

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
    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults: ...

    @abstractmethod
    def trend(
        self, keys: Sequence[str], interval: Interval, filters: Filters = Filters()
    ) -> list[TrendPoint]:
        """Items mentioning each key per period, every period of the archive included (zeros too)."""

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

    @abstractmethod
    def suggest(self, prefix: str, *, limit: int = 8) -> list[Suggestion]:
        """Entity names seen in the archive that start with `prefix` (autocomplete)."""

    @abstractmethod
    def candidate_rows(self) -> Iterator[CandidateRow]:
        """Every mention of a name found outside the catalog, with its item and issue."""

    @abstractmethod
    def list_issues(self, publication: str | None = None) -> list[IssueSummary]:
        """Issues ordered by publication, then number/date."""

    @abstractmethod
    def get_issue(self, issue_id: str) -> Issue | None: ...

    @abstractmethod
    def count_items(self) -> int: ...

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
