"""How the embedded backend stays fast on large archives (issue 11) without changing answers:
pages read past a boundary, date-ordered pages walked by index, facet and co-mention counts
sampled (and marked) beyond a threshold, per-date counts kept by triggers, schema 3 migrated.
Each is checked against a count made the slow way from the issues themselves."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bench.synthetic import sample_profile, synthetic_issues
from kb.backends import sqlite_match
import kb.backends.sqlite as sqlite_module
from kb.backends.sqlite import EXACT_FACETS_FROM, SCHEMA_VERSION, SQLiteBackend
from kb.documents import id_stems
from kb.plan import Alternative, Concept, Plan, plan_query
from kb.query import Filters, SearchQuery
from kb.ranking import RESCORE_WINDOW

DATA = Path(__file__).resolve().parents[1] / "data"
ITEMS = 6000  # above the facet sample (2,000) and the date walk threshold (2,000)


@pytest.fixture(scope="module")
def issues():
    return list(synthetic_issues(sample_profile(DATA), ITEMS, newsletters=4))


@pytest.fixture(scope="module")
def backend(issues, tmp_path_factory):
    kb = SQLiteBackend(tmp_path_factory.mktemp("scale") / "kb.sqlite3")
    for n in range(0, len(issues), 50):
        kb.write_issues(issues[n : n + 50])
    yield kb
    kb.close()


def _items_by_entity(issues) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for issue in issues:
        for item in issue.items:
            for m in item.mentions:
                out.setdefault(m.entity_id, set()).add(item.id)
    return out


def _common_word(backend) -> str:
    """A word in a large share of the items, taken from the archive's own vocabulary."""
    term = backend._query("SELECT term FROM stems_vocab WHERE length(term) > 3 ORDER BY doc DESC LIMIT 1")[0][0]
    return term


def test_relevance_pages_past_the_window_join_up_to_the_full_order(backend):
    word = _common_word(backend)
    total = backend.search(SearchQuery(word, limit=1)).total
    assert total > 1000
    whole = backend.search(SearchQuery(word, limit=total, offset=RESCORE_WINDOW, with_facets=False))
    pages = [
        hit.item_id
        for offset in range(RESCORE_WINDOW, RESCORE_WINDOW + 200, 10)
        for hit in backend.search(SearchQuery(word, limit=10, offset=offset, with_facets=False)).hits
    ]
    assert pages == [h.item_id for h in whole.hits[:200]]


def _first_stage(backend, plan, first: int) -> list[tuple[int, int, float]]:
    """(rowid, concepts matched, rank) of every hit in first-stage order, as `_page` orders them."""
    with backend._matched(plan, Filters(), rank_first=first):
        return [tuple(r) for r in backend._db.execute(
            "SELECT h.rowid, h.matched, h.rank FROM temp.hits h JOIN items i ON i.rowid = h.rowid"
            " ORDER BY h.matched DESC, h.rank, i.date IS NULL, i.date DESC, i.position, i.id"
        )]


def _in_title(backend, word: str) -> set[int]:
    return {r[0] for r in backend._query("SELECT rowid FROM stems_fts WHERE stems_fts MATCH ?", [f"{{title}} : {word}"])}


def test_a_large_level_is_ranked_by_its_title_matches_and_pages_still_join_up(backend, monkeypatch):
    rows = backend._query("SELECT term, doc FROM stems_vocab WHERE length(term) > 3 ORDER BY doc DESC LIMIT 50")
    word, total = next((t, d) for t, d in rows if 100 <= len(_in_title(backend, t)) < d - 100)
    monkeypatch.setattr(sqlite_match, "TIER_FROM", total // 2)
    titled = _in_title(backend, word)
    order = _first_stage(backend, plan_query(SearchQuery(word)), RESCORE_WINDOW)
    scored = [rowid for rowid, _, rank in order if rank < 0]
    assert set(scored) == titled, "only the items naming the word in their title are scored"
    assert [rowid for rowid, _, _ in order[: len(scored)]] == scored, "and they come first"
    whole = backend.search(SearchQuery(word, limit=total, offset=RESCORE_WINDOW, with_facets=False))
    offsets = range(len(titled) - 50, len(titled) + 50, 10)  # across the end of the scored rows
    pages = [
        hit.item_id
        for offset in offsets
        for hit in backend.search(SearchQuery(word, limit=10, offset=offset, with_facets=False)).hits
    ]
    first = offsets[0] - RESCORE_WINDOW
    assert pages == [h.item_id for h in whole.hits[first : first + 100]]


def test_a_large_level_with_too_few_title_matches_is_ranked_whole(backend, monkeypatch):
    word = _common_word(backend)
    doc = backend.search(SearchQuery(word, limit=1)).total
    monkeypatch.setattr(sqlite_match, "TIER_FROM", 100)
    monkeypatch.setattr(sqlite_match, "RESCORE_WINDOW", len(_in_title(backend, word)) + 1)  # one short of a window
    order = _first_stage(backend, plan_query(SearchQuery(word)), RESCORE_WINDOW)
    assert len(order) == doc and all(rank < 0 for _, _, rank in order)


def test_levels_below_the_page_are_not_scored_and_the_page_is_as_if_all_were(backend, monkeypatch):
    words = " ".join(r[0] for r in backend._query(
        "SELECT term FROM stems_vocab WHERE length(term) > 3 ORDER BY doc DESC LIMIT 3"))
    plan = plan_query(SearchQuery(words))
    order = _first_stage(backend, plan, RESCORE_WINDOW)
    top = max(m for _, m, _ in order)
    assert sum(m == top for _, m, _ in order) >= RESCORE_WINDOW and any(m < top for _, m, _ in order)
    assert all(rank == 0.0 for _, m, rank in order if m < top), "a level after the page is left unscored"
    assert all(rank < 0 for _, m, rank in order if m == top)
    monkeypatch.setattr(sqlite_match, "TIER_FROM", len(order) + 1)
    everything = _first_stage(backend, plan, len(order))
    assert all(rank < 0 for _, _, rank in everything)
    assert order[:RESCORE_WINDOW] == everything[:RESCORE_WINDOW]


def _hits(backend, plan) -> dict[int, int]:
    with backend._matched(plan, Filters()):
        return {r[0]: r[1] for r in backend._db.execute("SELECT rowid, matched FROM temp.hits")}


def test_an_entity_named_by_its_id_words_is_matched_by_its_stems_alone_with_the_same_items(backend, issues, monkeypatch):
    by_entity = _items_by_entity(issues)
    big, other = sorted((e for e in by_entity if ":" not in e), key=lambda e: -len(by_entity[e]))[:2]
    word = Concept(_common_word(backend), (Alternative("stems", (_common_word(backend),)),))
    named = Concept(big, (Alternative("entity", value=big), Alternative("stems", id_stems(big))))
    alias = Concept("alias", (Alternative("entity", value=other), Alternative("stems", ("zzzunseen",))))
    for plan in (Plan((named,), min_match=1), Plan((named, word), min_match=2), Plan((alias, named, word), min_match=2)):
        fast = _hits(backend, plan)
        monkeypatch.setattr(sqlite_match, "matching", tuple)  # every alternative matched by itself
        assert fast == _hits(backend, plan) and fast
        monkeypatch.undo()
    alone = _hits(backend, Plan((alias,), min_match=1))
    assert {r for r, in backend._query("SELECT rowid FROM items WHERE id IN (%s)" % ",".join("?" * len(by_entity[other])),
                                        sorted(by_entity[other]))} == set(alone), "an alias still finds the entity"


def test_date_pages_walk_the_date_index_and_match_the_full_order(backend, issues):
    newest_first = [
        item.id
        for issue in sorted(issues, key=lambda i: (i.date, i.number), reverse=True)
        for item in sorted(issue.items, key=lambda it: (it.position, it.id))
    ]
    pages = [
        hit.item_id
        for offset in (0, 10, 2500, 5990)
        for hit in backend.search(SearchQuery("", sort="date", limit=10, offset=offset, with_facets=False)).hits
    ]
    assert pages == newest_first[0:20] + newest_first[2500:2510] + newest_first[5990:6000]


def test_facets_of_many_matches_are_estimated_marked_and_close(backend, issues):
    sampled = backend.search(SearchQuery("", limit=0, facet_size=10)).facets
    exact = backend.search(SearchQuery("", limit=0, facet_size=EXACT_FACETS_FROM)).facets
    truth = {k: len(v) for k, v in _items_by_entity(issues).items()}
    assert sampled["entity"] and all(v.estimated for v in sampled["entity"])
    assert not any(v.estimated for v in exact["entity"])
    for value in exact["entity"][:10]:
        assert value.count == truth[value.value]
    for value in sampled["entity"][:5]:
        assert abs(value.count - truth[value.value]) <= 0.15 * truth[value.value], value
    publications = {v.value: v.count for v in sampled["publication"]}
    assert sum(publications.values()) == pytest.approx(ITEMS, rel=0.05)


def test_facets_of_few_matches_are_exact(backend):
    word = backend._query("SELECT term FROM stems_vocab WHERE doc BETWEEN 50 AND 500 ORDER BY doc DESC LIMIT 1")[0][0]
    facets = backend.search(SearchQuery(word, limit=5)).facets
    assert facets["section"] and not any(v.estimated for values in facets.values() for v in values)


def test_co_mentions_of_a_large_entity_are_estimated_close_to_the_truth(backend, issues, monkeypatch):
    monkeypatch.setattr(sqlite_match, "SAMPLE_SIZE", 600)
    by_entity = _items_by_entity(issues)
    big = max(by_entity, key=lambda e: len(by_entity[e]))
    assert len(by_entity[big]) > sqlite_match.SAMPLE_SIZE
    truth = Counter(e for e, ids in by_entity.items() if e != big for _ in ids & by_entity[big])
    got = backend.co_mentions(big, size=5)
    assert got and all(v.estimated for v in got)
    for value in got[:3]:
        assert abs(value.count - truth[value.value]) <= 0.15 * truth[value.value], value
    small = min(by_entity, key=lambda e: len(by_entity[e]))
    assert not any(v.estimated for v in backend.co_mentions(small))


def test_trends_and_entity_pages_follow_writes_and_deletes(backend, issues, tmp_path):
    kb = SQLiteBackend(tmp_path / "kb.sqlite3")
    kb.write_issues(issues[:300])
    by_entity = _items_by_entity(issues[:300])
    entity = max(by_entity, key=lambda e: len(by_entity[e]))

    def expected(subset):
        months = Counter(i.date.isoformat()[:7] for i in subset for item in i.items
                         if any(m.entity_id == entity for m in item.mentions))
        return {k: v for k, v in months.items()}

    def got():
        return {p.period: p.items for p in kb.trend([entity], "month") if p.items}

    assert got() == expected(issues[:300])
    assert kb.entity_stats(entity).items == len(by_entity[entity])
    gone = next(i for i in issues[:300] if any(m.entity_id == entity for it in i.items for m in it.mentions))
    kb.delete_issue(gone.id)
    remaining = [i for i in issues[:300] if i.id != gone.id]
    assert got() == expected(remaining)
    moved = replace(remaining[0], date=remaining[-1].date, fingerprint="moved")  # same issue, new date
    kb.write_issues([moved])
    assert got() == expected([moved, *remaining[1:]])
    stats = kb.entity_stats(entity)
    dated = sorted((i.date, i.number) for i in [moved, *remaining[1:]]
                   if any(m.entity_id == entity for it in i.items for m in it.mentions))
    assert (stats.first.date, stats.first.number) == dated[0]
    assert (stats.last.date, stats.last.number) == dated[-1]


def test_a_database_from_schema_3_gets_dates_and_per_date_counts_when_opened(issues, tmp_path):
    old = SQLiteBackend(tmp_path / "kb.sqlite3")
    old.write_issues(issues[:100])
    entity = next(iter(_items_by_entity(issues[:100])))
    before = (old.trend([entity], "month"), old.entity_stats(entity), old.search(SearchQuery("", sort="date", limit=5)))
    db = old._db  # what a version-3 database looks like: no dates on items or facet rows
    for name in ("items_date", "item_entities_entity", "item_types_type"):
        db.execute(f"DROP INDEX {name}")
    for trigger in ("item_entities_counted", "item_entities_uncounted", "item_types_counted", "item_types_uncounted"):
        db.execute(f"DROP TRIGGER {trigger}")
    for table in ("items", "item_entities", "item_types"):
        db.execute(f"ALTER TABLE {table} DROP COLUMN date")
    db.execute("ALTER TABLE item_entities DROP COLUMN mentions")
    db.execute("DELETE FROM entity_dates")
    db.execute("DELETE FROM type_dates")
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    old.close()
    reopened = SQLiteBackend(tmp_path / "kb.sqlite3")
    assert reopened._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == SCHEMA_VERSION
    after = (reopened.trend([entity], "month"), reopened.entity_stats(entity),
             reopened.search(SearchQuery("", sort="date", limit=5)))
    assert after == before


def test_a_database_from_schema_4_gets_mention_counts_and_loses_the_index_of_every_mention(issues, tmp_path):
    old = SQLiteBackend(tmp_path / "kb.sqlite3")
    old.write_issues(issues[:100])
    entities = list(_items_by_entity(issues[:100]))[:20]
    before = {e: old.entity_stats(e) for e in entities}
    db = old._db  # what a version-4 database looks like: no mention counts, every mention indexed by entity
    for trigger in ("item_entities_counted", "item_entities_uncounted"):
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP INDEX mentions_candidates")
    for table in ("item_entities", "entity_dates"):
        db.execute(f"ALTER TABLE {table} DROP COLUMN mentions")
    db.execute("CREATE INDEX mentions_entity ON mentions(entity_id, item_id)")
    db.execute("""CREATE TRIGGER item_entities_counted AFTER INSERT ON item_entities BEGIN
        INSERT INTO entity_dates (entity_id, date, items) VALUES (NEW.entity_id, COALESCE(NEW.date, ''), 1)
        ON CONFLICT (entity_id, date) DO UPDATE SET items = items + 1; END""")
    db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    old.close()
    reopened = SQLiteBackend(tmp_path / "kb.sqlite3")
    assert reopened._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == SCHEMA_VERSION
    indexes = {r[0] for r in reopened._query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "mentions_entity" not in indexes and "mentions_candidates" in indexes
    assert {e: reopened.entity_stats(e) for e in entities} == before
    reopened.write_issues(issues[100:150])  # the new triggers count mentions of new items too
    for e in entities:
        stored = reopened._query("SELECT COUNT(*) FROM mentions WHERE entity_id = ?", [e])[0][0]
        assert reopened.entity_stats(e).mentions == stored


def test_the_candidates_page_reads_its_mentions_through_their_own_index(issues, tmp_path):
    kb = SQLiteBackend(tmp_path / "kb.sqlite3")
    kb.write_issues(issues[:50])
    rows = list(kb.candidate_rows())
    expected = kb._query("SELECT COUNT(*) FROM mentions WHERE entity_id LIKE 'new:%'")[0][0]
    assert len(rows) == expected > 0 and all(r.entity_id.startswith("new:") for r in rows)
    names = kb.candidate_names()
    assert set(names) == {r.entity_id for r in rows}
    plan = " ".join(str(tuple(r)) for r in kb._query(
        f"EXPLAIN QUERY PLAN SELECT entity_id, surface FROM mentions WHERE {sqlite_module._CANDIDATES}"))
    assert "mentions_candidates" in plan


@pytest.mark.parametrize("text, filters", [
    ("model", Filters()),
    ("learning models", Filters()),
    ("deep learning models", Filters()),
    ("open source tools data", Filters()),
    ("model -learning", Filters()),
    ("learning models", Filters(date_from=date(2011, 1, 1), date_to=date(2012, 12, 31))),
    ("data", Filters(publications=("Synthetic Weekly 02",))),
])
def test_counting_with_fts5_alone_counts_what_a_search_matches(backend, text, filters, monkeypatch):
    plan = plan_query(SearchQuery(text, filters=filters))
    with backend._matched(plan, filters) as matched:
        pass
    calls = []
    monkeypatch.setattr(sqlite_module, "fill_hits", lambda *a, **k: calls.append(a))
    counted = sqlite_module.count_by_fts(backend._db, plan, filters)
    assert counted is not None, "plans of stems only are counted by FTS5"
    assert counted == backend._count(plan, filters) == matched > 0
    assert calls == [], "no rows copied to count them"


def test_a_quoted_phrase_is_counted_by_matching_it(backend):
    plan = plan_query(SearchQuery('"language model"'))
    assert sqlite_module.count_by_fts(backend._db, plan, Filters()) is None  # words, not stems: matched
    with backend._matched(plan, Filters()) as matched:
        pass
    assert backend._count(plan, Filters()) == matched
