"""Backend-neutral search queries: what the user typed, parsed once into tiny value objects.

Callers never write FTS5 or Elasticsearch syntax; each backend compiles these nodes.
Syntax (as people expect from web search): words are ANDed, "quoted phrases", `OR`
between alternatives, and `-word` / `-"phrase"` to exclude.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
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
    "Filters",
    "SearchQuery",
    "positive_terms",
]


@dataclass(frozen=True)
class Term:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


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

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORDISH = re.compile(r"\w", re.UNICODE)


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """(text, is_phrase, negated) triples; bare `OR` comes back as ("OR", False, False)."""
    out: list[tuple[str, bool, bool]] = []
    for m in _TOKEN.finditer(text):
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        if phrase is not None:
            if _WORDISH.search(phrase):
                out.append((" ".join(phrase.split()), True, bool(neg)))
            continue
        negated = word.startswith("-") and len(word) > 1
        word = word[1:] if negated else word
        if word == "OR" or word == "|":
            out.append(("OR", False, False))
        elif _WORDISH.search(word):
            out.append((word, False, negated))
    return out


def parse_query(text: str) -> QueryNode | None:
    """Parse user input; returns None for an empty query (filters only)."""
    groups: list[list[QueryNode]] = []
    pending_or = False
    for value, is_phrase, negated in _tokens(text or ""):
        if value == "OR" and not is_phrase:
            pending_or = bool(groups)
            continue
        node: QueryNode = Phrase(value) if is_phrase else Term(value)
        if negated:
            node = Not(node)  # type: ignore[arg-type]
        if pending_or and not negated and not isinstance(groups[-1][-1], Not):
            groups[-1].append(node)
        else:
            groups.append([node])
        pending_or = False
    parts = tuple(g[0] if len(g) == 1 else Or(tuple(g)) for g in groups)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def positive_terms(node: QueryNode | None) -> list[str]:
    """Words and phrases the user wants (for highlighting and did-you-mean)."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, (Term, Phrase)):
        return [node.text]
    return [t for part in node.parts for t in positive_terms(part)]


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

    @property
    def required_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.entities + self.topics))


Sort = Literal["relevance", "date"]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: Sort = "relevance"
    limit: int = 20
    offset: int = 0
    with_facets: bool = True
    facet_size: int = 15

    @property
    def node(self) -> QueryNode | None:
        return parse_query(self.text)
