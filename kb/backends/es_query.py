"""Plans and filters → Elasticsearch query DSL (no backend state here).

The fields searched hold words and stems made by `kb.analysis` (split on spaces by the
`whitespace` analyzer), so a plan matches exactly the items the SQLite backend matches.
"""
from __future__ import annotations

from typing import Any

from kb.documents import PHRASE_FIELDS, SEARCH_FIELDS
from kb.plan import Alternative, Concept, Plan
from kb.query import Filters
from kb.ranking import FIELD_WEIGHTS

__all__ = [
    "compile_plan",
    "compile_filters",
    "has_entity",
    "stem_filter",
    "starts_with",
    "WORD_FIELDS",
    "STEM_FIELDS",
]

WORD_FIELDS = [f"{f}_words" for f in PHRASE_FIELDS]
STEM_FIELDS = [f"{f}_stems" for f in SEARCH_FIELDS]
# First-stage order only (kb.ranking decides the final order): the same weights as SQLite's.
_BOOSTED_STEM_FIELDS = [f"{f}_stems^{FIELD_WEIGHTS[f]}" for f in SEARCH_FIELDS]
# A matched concept outweighs any first-stage BM25 score: items matching more come first.
_COORDINATION = 100.0


def has_entity(entity_id: str) -> dict[str, Any]:
    """Items mentioning an entity or a topic (they live in two keyword fields)."""
    return {"bool": {"should": [{"term": {"entity_ids": entity_id}}, {"term": {"topic_ids": entity_id}}], "minimum_should_match": 1}}


def starts_with(prefix: str) -> str:
    """A Lucene regular expression for terms beginning with `prefix` taken literally (every
    character that is not a letter or digit escaped), for a terms aggregation's `include`."""
    return "".join(c if c.isalnum() else "\\" + c for c in prefix) + ".*"


def stem_filter(stem: str) -> dict[str, Any]:
    """Items with this stem in any searched field (how SQLite's stems_vocab counts)."""
    return {"bool": {"should": [{"term": {f: stem}} for f in STEM_FIELDS], "minimum_should_match": 1}}


def _alternative(alt: Alternative) -> dict[str, Any]:
    if alt.kind == "entity":
        return has_entity(alt.value)
    if alt.kind == "url":
        return {"term": {"url_key": alt.value}}
    fields = STEM_FIELDS if alt.kind == "stems" else WORD_FIELDS
    return {"multi_match": {"query": " ".join(alt.tokens), "fields": fields, "type": "phrase"}}


def _any_of(alts: tuple[Alternative, ...] | list[Alternative]) -> dict[str, Any]:
    return {"bool": {"should": [_alternative(a) for a in alts], "minimum_should_match": 1}}


def _scored_stems(alt: Alternative) -> dict[str, Any]:
    """A stem alternative scored for the first stage. A phrase of several stems matches as a
    phrase but is scored as its words (BM25 of each, all required): scoring positions for
    each of 350k items took most of a 1M-item search (217 → 80 ms); kb.ranking orders the
    best anyway."""
    text = " ".join(alt.tokens)
    if len(alt.tokens) == 1:
        return {"multi_match": {"query": text, "fields": _BOOSTED_STEM_FIELDS}}
    return {
        "bool": {
            "filter": [{"multi_match": {"query": text, "fields": STEM_FIELDS, "type": "phrase"}}],
            "must": [{"multi_match": {"query": text, "fields": _BOOSTED_STEM_FIELDS, "operator": "and"}}],
        }
    }


def _concept(concept: Concept) -> dict[str, Any]:
    """Matches when any alternative does; scores 100 plus BM25 of its stem alternatives.

    The stems are searched once: a match of them scores their BM25 plus 100 (a
    `function_score` adding a weight), a match of only the other alternatives 100, and
    `dis_max` keeps the higher."""
    stems = [a for a in concept.alternatives if a.kind == "stems" and a.tokens]
    others = [a for a in concept.alternatives if not (a.kind == "stems" and a.tokens)]
    queries: list[dict[str, Any]] = []
    if stems:
        scored = [_scored_stems(a) for a in stems]
        queries.append({
            "function_score": {
                "query": scored[0] if len(scored) == 1 else {"bool": {"should": scored, "minimum_should_match": 1}},
                "functions": [{"weight": _COORDINATION}],
                "boost_mode": "sum",
            }
        })
    if others:
        queries.append({"constant_score": {"filter": _any_of(others), "boost": _COORDINATION}})
    if not queries:
        return {"match_none": {}}
    return queries[0] if len(queries) == 1 else {"dis_max": {"queries": queries}}


def compile_plan(plan: Plan, filters: Filters) -> dict[str, Any]:
    query: dict[str, Any] = {"filter": compile_filters(filters)}
    if plan.excluded:
        query["must_not"] = [_alternative(a) for a in plan.excluded]
    required = [_concept(c) for c in plan.concepts if c.required]
    optional = [_concept(c) for c in plan.concepts if not c.required]
    if required:
        query["must"] = required
    if optional:
        query["should"] = optional
        query["minimum_should_match"] = plan.min_match
    if not plan.concepts:
        query["must"] = [{"match_all": {}}]
    return {"bool": query}


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
