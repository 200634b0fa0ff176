"""The query service: the only door the CLI and the app use to read the knowledge base.

It turns names into catalog ids, asks the backend, and dresses answers with display names.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from kb.backends.base import Backend, Interval, IssueSummary, SearchResults, TrendPoint
from kb.catalog import CATALOG_DIR, Catalog, CatalogEntry, load_catalog
from kb.curation import Candidate, aggregate_candidates
from kb.models import Issue, is_candidate
from kb.query import Filters, SearchQuery
from kb.settings import Settings

__all__ = ["QueryService", "UnknownEntity", "Status", "configured_catalog", "catalog_files"]


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


class QueryService:
    def __init__(self, backend: Backend, catalog: Catalog):
        self.backend = backend
        self.catalog = catalog
        self._by_name: dict[str, str] = {}
        for entry in catalog:
            for name in (entry.id, entry.name, *entry.aliases):
                self._by_name.setdefault(name.casefold(), entry.id)

    # -- names -----------------------------------------------------------------------------
    def entry(self, entity_id: str) -> CatalogEntry | None:
        return self.catalog.get(entity_id)

    def name_of(self, entity_id: str) -> str:
        entry = self.catalog.get(entity_id)
        if entry:
            return entry.name
        return entity_id.split(":", 1)[1] if is_candidate(entity_id) else entity_id

    def resolve(self, name_or_id: str) -> str:
        """Catalog id for an id, a name or an alias, whatever its case."""
        key = name_or_id.strip().casefold()
        if key in self._by_name:
            return self._by_name[key]
        prefix = [e.id for e in self.catalog.search_names(name_or_id.strip())][:5]
        raise UnknownEntity(name_or_id, prefix)

    # -- reading ---------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        return self.backend.search(query)

    def trend(
        self, names: Sequence[str], interval: Interval = "month", filters: Filters = Filters()
    ) -> list[TrendPoint]:
        keys = [self.resolve(n) for n in names]
        return self.backend.trend(keys, interval, filters)

    def issues(self, publication: str | None = None) -> list[IssueSummary]:
        return self.backend.list_issues(publication)

    def issue(self, issue_id: str) -> Issue | None:
        return self.backend.get_issue(issue_id)

    def candidates(self, *, min_items: int = 1, examples: int = 3) -> list[Candidate]:
        """Names found outside the catalog, most covered first (for editors to review)."""
        return aggregate_candidates(self.backend.candidate_rows(), min_items=min_items, examples=examples)

    def status(self) -> Status:
        issues = self.backend.list_issues()
        return Status(self.backend.describe(), len(issues), sum(s.items for s in issues))
