"""Backend-neutral search queries: what the user typed, parsed once into tiny value objects.

Callers never write FTS5 or Elasticsearch syntax; each backend compiles these nodes.
Syntax (as people expect from web search): words, "quoted phrases", `OR` between
alternatives, `-word` / `-"phrase"` to exclude and `+word` / `+"phrase"` to require. How many
of the words an item must contain is decided later, by `kb.plan`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal, Union

__all__ = [
    "Term",
    "Phrase",
    "And",
    "Or",
    "Not",
    "QueryNode",
    "parse_query",
    "bounded_query",
    "bounded_page",
    "MAX_RESULT_WINDOW",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "Filters",
    "SearchQuery",
]


@dataclass(frozen=True)
class Term:
    text: str
    required: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str
    required: bool = False


@dataclass(frozen=True)
class Not:
    part: "Term | Phrase"


@dataclass(frozen=True)
class Or:
    parts: tuple["QueryNode", ...]


@dataclass(frozen=True)
class And:
    parts: tuple["QueryNode", ...]


QueryNode = Union[Term, Phrase, Not, Or, And]

_TOKEN = re.compile(r'([-+]?)"([^"]*)"?|(\S+)')
_WORDISH = re.compile(r"\w", re.UNICODE)
# NUL and other control characters, and lone surrogates (undecodable bytes of a command line,
# `\ud800` in a link), which no store or terminal can encode: read as spaces
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

# What one search reads of its text: a reader's query is a few words; a pasted page or a
# crafted link of thousands of terms would tie up the engine for seconds (each term is a lookup,
# a correction candidate, a clause), so the rest is left out and the reader told.
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 32


def bounded_query(text: str) -> tuple[str, str | None]:
    """The text a search reads (control characters as spaces, at most `MAX_QUERY_CHARS`
    characters and `MAX_QUERY_TERMS` words or phrases) and, when something was left out, a
    sentence saying what."""
    clean = _CONTROL.sub(" ", text or "")
    cut = []
    if len(clean) > MAX_QUERY_CHARS:
        clean = clean[:MAX_QUERY_CHARS]
        cut.append(f"its first {MAX_QUERY_CHARS} characters")
    terms = list(_TOKEN.finditer(clean))
    if len(terms) > MAX_QUERY_TERMS:
        clean = clean[: terms[MAX_QUERY_TERMS - 1].end()]
        cut.append(f"its first {MAX_QUERY_TERMS} words")
    note = f"The query was too long: searched {' and '.join(cut)}." if cut else None
    return clean.strip() if cut else clean, note


MAX_RESULT_WINDOW = 10_000  # results a search pages through (Elasticsearch's own default window)
MAX_PAGE_SIZE = 1_000


def bounded_page(query: "SearchQuery") -> tuple["SearchQuery", str | None]:
    """`query` with its page inside the first `MAX_RESULT_WINDOW` results and at most
    `MAX_PAGE_SIZE` results a page (a `?page=` link or `--offset` can ask for any), and, when
    it had to move, a sentence saying so."""
    limit = min(max(query.limit, 0), MAX_PAGE_SIZE)
    offset = min(max(query.offset, 0), MAX_RESULT_WINDOW - limit)
    if (limit, offset) == (query.limit, query.offset):
        return query, None
    moved = replace(query, limit=limit, offset=offset)
    return moved, f"Only the first {MAX_RESULT_WINDOW:,} results can be paged through, {MAX_PAGE_SIZE:,} at a time."


def _tokens(text: str) -> list[tuple[str, bool, str]]:
    """(text, is_phrase, sign) triples, sign "-", "+" or ""; bare `OR` is ("OR", False, "").
    Only what `bounded_query` keeps is read, whoever calls."""
    out: list[tuple[str, bool, str]] = []
    for m in _TOKEN.finditer(bounded_query(text)[0]):
        sign, phrase, word = m.group(1), m.group(2), m.group(3)
        if phrase is not None:
            if _WORDISH.search(phrase):
                out.append((" ".join(phrase.split()), True, sign))
            continue
        sign = word[0] if word[0] in "-+" and len(word) > 1 else ""
        word = word[1:] if sign else word
        if word == "OR" or word == "|":
            out.append(("OR", False, ""))
        elif _WORDISH.search(word):
            out.append((word, False, sign))
    return out


def parse_query(text: str) -> QueryNode | None:
    """Parse user input; returns None for an empty query (filters only)."""
    groups: list[list[QueryNode]] = []
    pending_or = False
    for value, is_phrase, sign in _tokens(text or ""):
        if value == "OR" and not is_phrase:
            pending_or = bool(groups)
            continue
        negated, required = sign == "-", sign == "+"
        node: QueryNode = Phrase(value, required) if is_phrase else Term(value, required)
        if negated:
            node = Not(node)  # type: ignore[arg-type]
        if pending_or and not negated and not isinstance(groups[-1][-1], Not):
            groups[-1].append(node)
        else:
            groups.append([node])
        pending_or = False
    # a word typed again means it once ("learning learning …" would cost a match per repeat)
    parts = _distinct(tuple(g[0] if len(g) == 1 else Or(g) for g in (_distinct(tuple(g)) for g in groups)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def _distinct(nodes: tuple[QueryNode, ...]) -> tuple[QueryNode, ...]:
    unique: dict[object, QueryNode] = {}
    for node in nodes:
        unique.setdefault(_node_key(node), node)
    return tuple(unique.values())


def _node_key(node: QueryNode) -> object:
    """What makes two parts of a query the same: words compare without case."""
    if isinstance(node, Term):
        return ("term", node.text.casefold(), node.required)
    if isinstance(node, Phrase):
        return ("phrase", node.text.casefold(), node.required)
    if isinstance(node, Not):
        return ("not", _node_key(node.part))
    if isinstance(node, Or):
        return ("or", tuple(_node_key(p) for p in node.parts))
    return node


_LARGEST_ISSUE_BOUND = 2**31 - 1  # the widest integer field a store may keep issue numbers in


@dataclass(frozen=True)
class Filters:
    """Narrowing that every backend supports; entity and topic ids must all be mentioned."""

    entities: tuple[str, ...] = ()
    entity_types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    issue_from: int | None = None
    issue_to: int | None = None

    def __post_init__(self) -> None:
        # issue bounds any store can compare (32-bit integers): `--issue-from 10**30` matches nothing
        for name in ("issue_from", "issue_to"):
            value = getattr(self, name)
            if value is not None and abs(value) > _LARGEST_ISSUE_BOUND:
                object.__setattr__(self, name, _LARGEST_ISSUE_BOUND if value > 0 else -_LARGEST_ISSUE_BOUND)

    @property
    def required_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.entities + self.topics))


Sort = Literal["relevance", "date"]


@dataclass(frozen=True)
class SearchQuery:
    """What to search. `known_names` maps name keys of spans of the text (`kb.plan`) to the
    catalog entity they name; the query service fills it, so items mentioning the entity match
    however they spell it. `literal` searches the words only: no entities, no corrections."""

    text: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: Sort = "relevance"
    limit: int = 20
    offset: int = 0
    with_facets: bool = True
    facet_size: int = 15
    known_names: tuple[tuple[str, str], ...] = ()
    literal: bool = False

    @property
    def node(self) -> QueryNode | None:
        return parse_query(self.text)
