"""SQL that turns a query plan into a set of item rowids, for the SQLite backend.

Why a module of its own: at 100k items a search must touch each matching row once. Matches go
into a temporary table (`temp.hits`: rowid, concepts matched, first-stage BM25, how many
required concepts) with no join to items or issues; filters become one set of allowed rowids
(from the facet tables' indexes, or items joined to issues when a filter needs their columns);
facets, counts and the page are then read from that table.
"""
from __future__ import annotations

import itertools
import math
import sqlite3
from typing import Any, Iterable

from kb.backends.base import FACET_SAMPLE
from kb.documents import SEARCH_FIELDS, id_stems
from kb.plan import Alternative, Concept, Plan
from kb.query import Filters
from kb.ranking import FIELD_WEIGHTS, RESCORE_WINDOW

__all__ = ["HITS_TABLE", "SAMPLE_SIZE", "count_by_fts", "fill_hits", "issue_conditions", "item_restriction",
           "phrase", "restriction_sql", "sample_clause"]

# bm25 column weights of the first-stage order (kb.ranking decides the final order)
BM25 = f"bm25(stems_fts, {', '.join(str(FIELD_WEIGHTS[f]) for f in SEARCH_FIELDS)})"

HITS_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS hits"
    " (rowid INTEGER PRIMARY KEY, matched INTEGER NOT NULL, rank REAL NOT NULL, req INTEGER NOT NULL)"
)

# Above this many items, facet and co-mention counts are estimated from a sample of about this
# size (each count scaled up and marked estimated): exact counts cost a join per item.
SAMPLE_SIZE = FACET_SAMPLE
_HASH = 2654435761  # Knuth's multiplicative hash: the sample does not follow positions in issues
_HASH_RANGE = 1 << 32


def sample_clause(column: str, total: int) -> tuple[str, float]:
    """A condition keeping about `SAMPLE_SIZE` of `total` rows by a hash of their rowid, and the
    factor that scales counts over the sample up to all rows ("" and 1.0 when all are kept)."""
    size = SAMPLE_SIZE
    if total <= size:
        return "", 1.0
    cutoff = _HASH_RANGE * size // total
    return f"(({column} * {_HASH}) % {_HASH_RANGE}) < {cutoff}", _HASH_RANGE / cutoff


def phrase(tokens: tuple[str, ...]) -> str:
    """An FTS5 phrase of analysed tokens, quoted so input can never break FTS5 syntax."""
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def matching(alts: Iterable[Alternative]) -> tuple[Alternative, ...]:
    """The alternatives whose items the others do not already match: every item mentioning
    an entity holds its id's words in its entities field (`kb.documents.entity_words`), so an
    entity beside a stems alternative of exactly those stems ("LLMs": stems "llm", entity
    `llms`) adds no item, and dropping it leaves a concept FTS5 can match alone (k-of-n
    levels, counts). Ranking still reads the whole plan."""
    alts = tuple(alts)
    stems = {a.tokens for a in alts if a.kind == "stems" and a.tokens}
    return tuple(a for a in alts if not (a.kind == "entity" and id_stems(a.value) in stems))


def _stems_match(alts: Iterable[Alternative]) -> str:
    return " OR ".join(dict.fromkeys(phrase(a.tokens) for a in alts if a.kind == "stems" and a.tokens))


def alternative_selects(alts: Iterable[Alternative]) -> list[tuple[str, list[Any]]]:
    """One SELECT rowid per way the alternatives match, stems first."""
    alts = matching(alts)
    selects: list[tuple[str, list[Any]]] = []
    stems = _stems_match(alts)
    if stems:
        selects.append(("SELECT rowid FROM stems_fts WHERE stems_fts MATCH ?", [stems]))
    words = " OR ".join(phrase(a.tokens) for a in alts if a.kind == "words" and a.tokens)
    if words:
        selects.append(("SELECT rowid FROM items_fts WHERE items_fts MATCH ?", [words]))
    for kind, sql in (
        ("entity", "SELECT item_rowid AS rowid FROM item_entities WHERE entity_id IN ({})"),
        ("url", "SELECT i.rowid FROM item_urls u JOIN items i ON i.id = u.item_id WHERE u.url_key IN ({})"),
    ):
        values = [a.value for a in alts if a.kind == kind]
        if values:
            selects.append((sql.format(",".join("?" * len(values))), values))
    return selects


def alternatives_sql(alts: Iterable[Alternative]) -> tuple[str, list[Any]]:
    """SELECT rowid of the items matching any of `alts`, each once."""
    selects = alternative_selects(alts)
    if not selects:
        return "SELECT NULL AS rowid WHERE 0", []
    union = " UNION ".join(f"SELECT rowid FROM ({sql})" for sql, _ in selects)
    return union, [p for _, ps in selects for p in ps]


def restriction_sql(plan: Plan, filters: Filters, rowid: str = "rowid") -> tuple[str, list[Any]]:
    """A condition on an item's `rowid` for the filters and the plan's excluded words ("" when
    none). Entity and type filters read the facet tables' indexes; only filters on issue
    columns join items to issues."""
    where, params = item_restriction(filters, rowid)
    issues, issue_params = issue_conditions(filters)
    if issues:
        where.append(
            f"{rowid} IN (SELECT i.rowid FROM issues s JOIN items i ON i.issue_id = s.id WHERE {' AND '.join(issues)})"
        )
        params.extend(issue_params)
    for alt in plan.excluded:
        sql, alt_params = alternatives_sql([alt])
        where.append(f"{rowid} NOT IN (SELECT rowid FROM ({sql}))")
        params.extend(alt_params)
    return " AND ".join(where), params


def item_restriction(filters: Filters, rowid: str) -> tuple[list[str], list[Any]]:
    """Conditions on an item's `rowid` for the filters on the item itself: the entities and
    types it mentions, its section, its issue's date."""
    where: list[str] = []
    params: list[Any] = []
    for entity_id in filters.required_ids:
        where.append(f"{rowid} IN (SELECT item_rowid FROM item_entities WHERE entity_id = ?)")
        params.append(entity_id)
    if filters.entity_types:
        marks = ",".join("?" * len(filters.entity_types))
        where.append(f"{rowid} IN (SELECT item_rowid FROM item_types WHERE type IN ({marks}))")
        params.extend(filters.entity_types)
    if filters.sections:
        marks = ",".join("?" * len(filters.sections))
        where.append(f"{rowid} IN (SELECT rowid FROM items WHERE section IN ({marks}))")
        params.extend(filters.sections)
    dates = [(c, d.isoformat()) for c, d in (("date >= ?", filters.date_from), ("date <= ?", filters.date_to)) if d]
    if dates:  # the issue's date, copied onto its items: a range of the items_date index
        where.append(f"{rowid} IN (SELECT rowid FROM items WHERE {' AND '.join(c for c, _ in dates)})")
        params.extend(d for _, d in dates)
    return where, params


def issue_conditions(filters: Filters, issues: str = "s") -> tuple[list[str], list[Any]]:
    """Conditions on the issue (`issues` names the issues table) for the filters on its columns
    (its date is on its items: `item_restriction`)."""
    where: list[str] = []
    params: list[Any] = []
    if filters.publications:
        where.append(f"{issues}.publication IN ({','.join('?' * len(filters.publications))})")
        params.extend(filters.publications)
    for condition, value in (
        ("number >= ?", filters.issue_from),
        ("number <= ?", filters.issue_to),
    ):
        if value is not None:
            where.append(f"{issues}.{condition}")
            params.append(value)
    return where, params


def fill_hits(db: sqlite3.Connection, plan: Plan, filters: Filters, *, rank_first: int = 0) -> None:
    """Fill `temp.hits` with every item the plan and filters match (the caller empties it),
    then, when `rank_first` > 0, score by BM25 the rows that can be among the first
    `rank_first` in order (`_rank`).

    One concept: each way it matches adds the items not yet in. Concepts of stems only: FTS5
    itself finds the items matching k of them, for k from all down to `plan.min_match`.
    Otherwise each concept's items are added in turn, counting concepts matched, and items
    matching too few are removed.
    """
    if not plan.concepts:
        allowed, allowed_params = restriction_sql(plan, filters)
        where = f" WHERE {allowed}" if allowed else ""
        db.execute(f"INSERT INTO temp.hits (rowid, matched, rank, req) SELECT rowid, 0, 0.0, 0 FROM items{where}",
                   allowed_params)
        return
    # "+rowid": a test on each match, never a constraint SQLite hands to FTS5 (which would run
    # the full-text query once per allowed item)
    allowed, allowed_params = restriction_sql(plan, filters, "+rowid")
    where = f" WHERE {allowed}" if allowed else ""
    levels = None if len(plan.concepts) == 1 else _stems_levels(plan)
    if len(plan.concepts) == 1 and not plan.concepts[0].required and plan.min_match <= 1:
        for sql, params in alternative_selects(plan.concepts[0].alternatives):
            db.execute(f"INSERT OR IGNORE INTO temp.hits (rowid, matched, rank, req) SELECT rowid, 1, 0.0, 0 FROM ({sql}){where}",
                       [*params, *allowed_params])
    elif levels is not None:
        for matched, expression in levels:
            db.execute(
                f"INSERT OR IGNORE INTO temp.hits (rowid, matched, rank, req) SELECT rowid, {matched}, 0.0, 0"
                f" FROM stems_fts WHERE stems_fts MATCH ?{' AND ' + allowed if allowed else ''}",
                [expression, *allowed_params],
            )
    else:
        for concept in plan.concepts:
            _add_concept(db, concept, where, allowed_params)
        required = sum(c.required for c in plan.concepts)
        db.execute("DELETE FROM temp.hits WHERE matched - req < ? OR req != ?", [plan.min_match, required])
    if rank_first > 0:
        _rank(db, plan, rank_first)


# A level of hits (items matching the same number of concepts) above this many rows is
# scored only where it names the query in the title (`TIER_FIELDS`), when at least
# `RESCORE_WINDOW` of its rows do; the rest of it keeps rank 0 and follows in date order.
# Why: BM25 costs about 2 us a row (150 ms for the 71k matches of a common word at 100k
# items), and kb.ranking, which orders the first page, weighs a title match four times a text
# match, so an item naming the query only elsewhere seldom reaches it once a level holds so
# many that name it in their title. The rule depends on the level alone, never on the page
# asked for, so pages of one query join up.
TIER_FROM = 10_000
TIER_FIELDS = "{title}"


def _rank(db: sqlite3.Connection, plan: Plan, first: int) -> None:
    """Score by BM25 (`rank`) the hits that can be among the first `first` in order (concepts
    matched, then rank): the levels of most concepts matched, down to the one that reaches
    `first` rows (a lower level is always ordered after), each whole or by its tier."""
    stems = _stems_match([a for c in plan.concepts for a in c.alternatives])
    if not stems:
        return
    grouped = " GROUP BY matched ORDER BY matched DESC" if len(plan.concepts) > 1 else ""
    levels = db.execute(f"SELECT matched, COUNT(*) FROM temp.hits{grouped}").fetchall()
    # BM25 of all the stems at once: FTS5 computes it only for the rows its WHERE clause keeps
    scores = f"SELECT rowid, {BM25} AS rank FROM stems_fts WHERE stems_fts MATCH ?"
    taken = 0
    for matched, rows in levels:
        if taken >= first or not rows:
            break
        taken += rows
        # a tier is small: scored whole, then joined to the level (testing each match against
        # a rowid set of a large level would cost more than the scores it saves)
        if rows > TIER_FROM and db.execute(
            f"UPDATE temp.hits SET rank = r.rank FROM ({scores}) AS r"
            " WHERE temp.hits.rowid = r.rowid AND temp.hits.matched = ?",
            [f"({stems}) AND {TIER_FIELDS} : ({stems})", matched],
        ).rowcount >= RESCORE_WINDOW:
            continue
        db.execute(
            f"UPDATE temp.hits SET rank = r.rank FROM ({scores} AND +rowid IN (SELECT rowid FROM temp.hits WHERE matched = ?))"
            " AS r WHERE temp.hits.rowid = r.rowid",
            [stems, matched],
        )


def count_by_fts(db: sqlite3.Connection, plan: Plan, filters: Filters) -> int | None:
    """How many items the plan and filters match, counted by FTS5 alone when every concept
    matches stems only (None otherwise: the caller fills `temp.hits`). The expression of the
    lowest level of `_stems_levels` matches exactly the items matching enough concepts, so
    nothing is copied (a reader's second count, of a name read as words, cost a 35k-row copy)."""
    levels = _stems_levels(plan)
    if levels is None:
        return None
    allowed, allowed_params = restriction_sql(plan, filters, "+rowid")
    return int(db.execute(
        f"SELECT COUNT(*) FROM stems_fts WHERE stems_fts MATCH ?{' AND ' + allowed if allowed else ''}",
        [levels[-1][1], *allowed_params],
    ).fetchone()[0])


_MAX_CLAUSES = 64  # FTS5 expressions of k-of-n concepts beyond this many AND clauses: counted in SQL


def _stems_levels(plan: Plan) -> list[tuple[int, str]] | None:
    """(k, an FTS5 expression matching items that match at least k of the concepts), k from
    all down to `min_match`, when every concept is optional and matches stems only; else None.

    In each expression every concept appears equally often, so its BM25 ranks items the same
    way as one query of all the concepts' stems would."""
    concepts = []
    for concept in plan.concepts:
        alts = matching(concept.alternatives)
        if concept.required or not alts or any(a.kind != "stems" or not a.tokens for a in alts):
            return None
        concepts.append(f"({_stems_match(alts)})")
    n = len(concepts)
    lowest = max(plan.min_match, 1)
    if lowest > n or sum(math.comb(n, k) for k in range(lowest, n + 1)) > _MAX_CLAUSES:
        return None
    return [
        (k, " OR ".join(f"({' AND '.join(combo)})" for combo in itertools.combinations(concepts, k)))
        for k in range(n, lowest - 1, -1)
    ]


def _add_concept(db: sqlite3.Connection, concept: Concept, where: str, allowed_params: list[Any]) -> None:
    """Count one concept matched for each of its items (adding the items not yet in)."""
    sql, params = alternatives_sql(concept.alternatives)
    req = int(concept.required)
    db.execute(
        # "WHERE true": an upsert's SELECT needs a WHERE clause, or ON reads as a join
        f"INSERT INTO temp.hits (rowid, matched, rank, req) SELECT rowid, 1, 0.0, {req} FROM ({sql}){where or ' WHERE true'}"
        f" ON CONFLICT(rowid) DO UPDATE SET matched = matched + 1, req = req + {req}",
        [*params, *allowed_params],
    )
