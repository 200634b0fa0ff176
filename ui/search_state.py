"""The search page's state as one value: read from the URL, turned into `Filters`, written back.

Pure (no Streamlit), so the page stays a short script and this is tested on its own::

    state = SearchState.from_params({"q": "Dojo", "entity": "tesla", "year": "2021", "page": "2"})
    state.filters()            # Filters(entities=("tesla",), date_from=2021-01-01, date_to=2021-12-31)
    state.toggle("type", "MODEL").to_params()   # page back to 1, type=MODEL added
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Iterable, Mapping

from kb.query import Filters, SearchQuery

__all__ = ["SearchState", "FACET_FIELDS", "SORTS", "resolve_names"]

SORTS = ("relevance", "date")

# Facet name (as in `SearchResults.facets`) -> the state field it filters; the URL key is the
# facet name itself (`?entity=tesla&type=MODEL&year=2021`).
FACET_FIELDS = {
    "entity": "entities",
    "type": "types",
    "topic": "topics",
    "section": "sections",
    "year": "years",
    "publication": "publications",
}


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in (value or "").split(",") if v.strip()))


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@dataclass(frozen=True)
class SearchState:
    """Everything a shared link restores: the query, the chosen facet values, sort and page.

    Several values of one facet: entities and topics must all be mentioned; types, sections
    and newsletters any of them; several years span from the first to the last.
    """

    q: str = ""
    entities: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()
    date_from: date | None = None  # `from`/`to`: links made elsewhere (e.g. a trends period)
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    literal: bool = False  # `exact=1`: the words as typed, no entity reading, no correction

    # -- the URL ---------------------------------------------------------------------------
    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "SearchState":
        sort = params.get("sort", "relevance")
        return cls(
            q=params.get("q", "").strip(),
            **{field: _split(params.get(facet)) for facet, field in FACET_FIELDS.items() if facet != "year"},
            years=tuple(y for y in _split(params.get("year")) if y.isdigit() and len(y) == 4 and y >= "1000"),
            date_from=_date(params.get("from")),
            date_to=_date(params.get("to")),
            sort=sort if sort in SORTS else "relevance",
            page=max(1, _int(params.get("page")) or 1),
            literal=params.get("exact", "") == "1",
        )

    def to_params(self) -> dict[str, str]:
        """The URL form: empty values and defaults left out, lists comma-separated."""
        values: dict[str, object] = {
            "q": self.q,
            **{facet: getattr(self, field) for facet, field in FACET_FIELDS.items()},
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": self.sort if self.sort != "relevance" else "",
            "page": str(self.page) if self.page > 1 else "",
            "exact": "1" if self.literal else "",
        }
        return {
            k: ",".join(v) if isinstance(v, tuple) else str(v)
            for k, v in values.items()
            if v not in ("", (), None)
        }

    # -- the query -------------------------------------------------------------------------
    @property
    def has_filters(self) -> bool:
        return any(getattr(self, f) for f in FACET_FIELDS.values()) or bool(self.date_from or self.date_to)

    @property
    def is_blank(self) -> bool:
        return not self.q and not self.has_filters

    def filters(self) -> Filters:
        date_from, date_to = self.date_from, self.date_to
        if self.years:
            first, last = min(self.years), max(self.years)
            date_from = max(filter(None, (date_from, date(int(first), 1, 1))))
            date_to = min(filter(None, (date_to, date(int(last), 12, 31))))
        return Filters(
            entities=self.entities,
            entity_types=self.types,
            topics=self.topics,
            sections=self.sections,
            publications=self.publications,
            date_from=date_from,
            date_to=date_to,
        )

    def query(self, page_size: int) -> SearchQuery:
        """Relevance needs words: a filters-only search lists the newest items first."""
        sort = self.sort if self.q else "date"
        return SearchQuery(
            self.q, self.filters(), sort=sort, limit=page_size, offset=(self.page - 1) * page_size,  # type: ignore[arg-type]
            literal=self.literal,
        )

    def pages(self, total: int, page_size: int) -> int:
        return max(1, -(-total // page_size))

    # -- changes (each one a new state; any change but paging goes back to page 1) ----------
    def selected(self, facet: str) -> tuple[str, ...]:
        return getattr(self, FACET_FIELDS[facet])

    def with_facet(self, facet: str, values: Iterable[str]) -> "SearchState":
        return replace(self, **{FACET_FIELDS[facet]: tuple(dict.fromkeys(values))}, page=1)

    def toggle(self, facet: str, value: str) -> "SearchState":
        chosen = self.selected(facet)
        return self.with_facet(facet, [v for v in chosen if v != value] if value in chosen else [*chosen, value])

    def with_query(self, q: str, *, literal: bool = False) -> "SearchState":
        """A new query is read as meant again (entities, corrections) unless `literal`."""
        return replace(self, q=q.strip(), page=1, literal=literal)

    def with_sort(self, sort: str) -> "SearchState":
        return replace(self, sort=sort if sort in SORTS else "relevance", page=1)

    def with_page(self, page: int) -> "SearchState":
        return replace(self, page=max(1, page))

    def without_filters(self) -> "SearchState":
        return SearchState(q=self.q, sort=self.sort, literal=self.literal)


def resolve_names(
    names: Iterable[str], resolve: Callable[[str], str | None]
) -> tuple[list[str], list[str]]:
    """Ids for typed names or ids (`resolve` returns None for an unknown one): (ids, unknown)."""
    ids, unknown = [], []
    for name in names:
        found = resolve(name)
        if found:
            ids.append(found)
        else:
            unknown.append(name)
    return list(dict.fromkeys(ids)), unknown
