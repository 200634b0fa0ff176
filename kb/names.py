"""Catalog names as a query sees them: every spelling of a name gives one key (`name_key`).

"Llama3", "llama 3", "LLaMA-3" and "Llama 3's" all find the entity `llama-3`; "RLHF" and
"reinforcement learning from human feedback" both find the topic `rlhf`. A key shared by two
entries is ambiguous and left out, as are stop words.
"""
from __future__ import annotations

from kb.analysis import is_stopword, name_key
from kb.catalog import Catalog
from kb.plan import name_spans, top_parts
from kb.query import QueryNode, Term, parse_query

__all__ = ["NameIndex"]

MIN_KEY_LENGTH = 2


def _plain_terms(node: QueryNode | None) -> list[str]:
    """Unquoted, unnegated, unrequired words in query order: where entity names are looked for."""
    return [p.text for p in top_parts(node) if isinstance(p, Term) and not p.required]


class NameIndex:
    def __init__(self, catalog: Catalog):
        owners: dict[str, set[str]] = {}
        for entry in catalog:
            for name in (entry.name, *entry.aliases, entry.id.replace("-", " ")):
                key = name_key(name)
                if len(key) >= MIN_KEY_LENGTH and not is_stopword(name):
                    owners.setdefault(key, set()).add(entry.id)
        self._ids = {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}

    def lookup(self, key: str) -> str | None:
        return self._ids.get(key)

    def names_in(self, text: str) -> tuple[tuple[str, str], ...]:
        """(key, entity id) for every span of the query's words that is a catalog name."""
        terms = _plain_terms(parse_query(text))
        found = {key: eid for _, _, key in name_spans(terms) if (eid := self._ids.get(key))}
        return tuple(sorted(found.items()))
