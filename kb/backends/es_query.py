"""Neutral queries and filters → Elasticsearch query DSL (no backend state here)."""
from __future__ import annotations

import re
from typing import Any

from kb.query import Filters, Not, Or, Phrase, QueryNode, Term

__all__ = ["compile_node", "compile_filters", "has_entity", "SEARCH_FIELDS"]

# Same weights as the SQLite backend's bm25(): title, text, entity words.
SEARCH_FIELDS = ["title^4", "text", "entity_text^1.5"]


_WORDS = re.compile(r"\w+")


def _variants(text: str) -> list[str]:
    """The standard tokenizer keeps "Tesla's" as one token where FTS5 sees "tesla" + "s":
    a search for a name also asks for its possessive, so both backends find the same items."""
    if text.endswith(("'s", "’s")) or not text[-1:].isalnum():
        return [text]
    return [text, f"{text}'s", f"{text}’s"]


def _match_one(text: str) -> dict[str, Any]:
    if len(_WORDS.findall(text)) == 1:
        # BM25F over the weighted fields, as FTS5's bm25() scores a row.
        return {"combined_fields": {"query": text, "fields": SEARCH_FIELDS, "operator": "and"}}
    # A word like "GPT-3" is the phrase "gpt 3" to both tokenizers.
    return {"multi_match": {"query": text, "fields": SEARCH_FIELDS, "type": "phrase", "tie_breaker": 1.0}}


def _match(text: str) -> dict[str, Any]:
    variants = _variants(text)
    if len(variants) == 1:
        return _match_one(text)
    return {"bool": {"should": [_match_one(v) for v in variants], "minimum_should_match": 1}}


def compile_node(node: QueryNode) -> dict[str, Any]:
    if isinstance(node, (Term, Phrase)):
        return _match(node.text)
    if isinstance(node, Not):
        return {"bool": {"must_not": [_match(node.part.text)]}}
    if isinstance(node, Or):
        return {"bool": {"should": [compile_node(p) for p in node.parts], "minimum_should_match": 1}}
    must = [compile_node(p) for p in node.parts if not isinstance(p, Not)]
    must_not = [_match(p.part.text) for p in node.parts if isinstance(p, Not)]
    clause: dict[str, Any] = {"must_not": must_not} if must_not else {}
    return {"bool": {"must": must, **clause}}


def has_entity(entity_id: str) -> dict[str, Any]:
    """Items mentioning an entity or a topic (they live in two keyword fields)."""
    return {"bool": {"should": [{"term": {"entity_ids": entity_id}}, {"term": {"topic_ids": entity_id}}], "minimum_should_match": 1}}


def compile_filters(filters: Filters) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [has_entity(e) for e in filters.required_ids]
    if filters.entity_types:
        out.append({"terms": {"entity_types": list(filters.entity_types)}})
    if filters.sections:
        out.append({"terms": {"section": list(filters.sections)}})
    if filters.publications:
        out.append({"terms": {"publication": list(filters.publications)}})
    dates = {k: v.isoformat() for k, v in (("gte", filters.date_from), ("lte", filters.date_to)) if v}
    if dates:
        out.append({"range": {"date": dates}})
    numbers = {k: v for k, v in (("gte", filters.issue_from), ("lte", filters.issue_to)) if v is not None}
    if numbers:
        out.append({"range": {"issue_number": numbers}})
    return out
