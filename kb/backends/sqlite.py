"""Embedded default backend: SQLite FTS5 from the standard library, zero setup.

BM25 ranking with the title weighted above the text, highlighted snippets, filters, facets and
per-period trend counts, all in SQL. Every write is one transaction. A database written by an
older version is brought up to date when opened (see `_migrate`).
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from collections import Counter
import math
import os
import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from kb.backends.base import (
    EXACT_FACETS_FROM,
    FACETS,
    TrendBy,
    EntityStats,
    IssueRef,
    Significant,
    Suggestion,
    jlh,
    Backend,
    BackendError,
    BackendUnavailable,
    FacetValue,
    Hit,
    Interval,
    IssueSummary,
    Retrieved,
    TrendPoint,
    WriteReport,
)
from kb.backends.shared import (
    PeriodTotal, issue_from_records, mention_of, rank_significant, trend_points, unique_suggestions,
)
from kb.backends.snippets import as_date
from kb.backends.sqlite_match import (
    HITS_TABLE, count_by_fts, fill_hits, issue_conditions, item_restriction, phrase, sample_clause,
)
from kb.documents import PHRASE_FIELDS, SEARCH_FIELDS, analysed_fields
from kb.curation import CandidateRow, commonest_spellings
from kb.models import CANDIDATE_PREFIX, Issue, Mention
from kb.periods import period_start
from kb.plan import Alternative, Concept, Plan
from kb.query import Filters
from kb.settings import Settings
from kb.ranking import FIELD_WEIGHTS, Candidate, CollectionStats, entities_needed, stems_needed
from kb.spelling import MAX_EDITS, PREFIX_LENGTH, best_correction, fold, query_words, rewrite
from kb.urls import normalize_url, url_keys
from kb.textstats import MLT_MAX_TERMS, MLT_MIN_DOC_FREQ, candidate_terms

__all__ = ["SQLiteBackend"]

SCHEMA_VERSION = "5"  # 2: item_urls; 3: analysed words and stems (kb.analysis), field lengths, facet tables;
# 4: issue dates on items and facet rows, facet indexes by entity and type; 5: mention counts on
# facet rows, mentions indexed by entity only for names outside the catalog
# ids of names found outside the catalog ("new:…"): the condition of the mentions_candidates index
_CANDIDATES = f"entity_id >= '{CANDIDATE_PREFIX}' AND entity_id < '{CANDIDATE_PREFIX[:-1]}{chr(ord(CANDIDATE_PREFIX[-1]) + 1)}'"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS issues (
    id TEXT PRIMARY KEY,
    publication TEXT NOT NULL,
    number INTEGER,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    intro TEXT NOT NULL DEFAULT '',
    date TEXT,
    date_estimated INTEGER NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS items (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section TEXT,
    title TEXT NOT NULL,
    url TEXT,
    text TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '[]',
    title_len INTEGER NOT NULL DEFAULT 0,
    text_len INTEGER NOT NULL DEFAULT 0,
    entities_len INTEGER NOT NULL DEFAULT 0,
    link_len INTEGER NOT NULL DEFAULT 0,
    date TEXT  -- the issue's date: pages in date order and trends read no issue rows
);
CREATE INDEX IF NOT EXISTS items_issue ON items(issue_id);
CREATE TABLE IF NOT EXISTS mentions (
    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    surface TEXT NOT NULL,
    type TEXT NOT NULL,
    entity_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_item ON mentions(item_id);
-- one row per item and entity (or type) it mentions, keyed by the item's rowid, with the
-- issue's date: facets, filters, trends and entity pages count these with no DISTINCT and
-- no join (indexes in _INDEXES)
CREATE TABLE IF NOT EXISTS item_entities (
    item_rowid INTEGER NOT NULL REFERENCES items(rowid) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    topic INTEGER NOT NULL,
    date TEXT,
    mentions INTEGER NOT NULL DEFAULT 1,  -- how often the item mentions it
    PRIMARY KEY (item_rowid, entity_id, topic)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS item_types (
    item_rowid INTEGER NOT NULL REFERENCES items(rowid) ON DELETE CASCADE,
    type TEXT NOT NULL,
    date TEXT,
    PRIMARY KEY (item_rowid, type)
) WITHOUT ROWID;
-- items per key and issue date ('' when undated), kept by triggers (_INDEXES): trends and
-- entity pages read a few rows per key instead of one per item
CREATE TABLE IF NOT EXISTS entity_dates (
    entity_id TEXT NOT NULL, date TEXT NOT NULL, items INTEGER NOT NULL, mentions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, date)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS type_dates (
    type TEXT NOT NULL, date TEXT NOT NULL, items INTEGER NOT NULL, PRIMARY KEY (type, date)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS item_urls (
    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    url_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS item_urls_key ON item_urls(url_key, item_id);
CREATE INDEX IF NOT EXISTS item_urls_item ON item_urls(item_id);
-- words and stems as kb.analysis made them: the tokenizer only splits on spaces
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    title, text, entities, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS items_vocab USING fts5vocab(items_fts, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS stems_fts USING fts5(
    title, text, entities, link, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS stems_vocab USING fts5vocab(stems_fts, 'row');
"""

# Indexes on columns version 4 added: made after `_migrate`, which adds the columns to older files.
_INDEXES = f"""
-- names outside the catalog only (the Candidates page): an index of every mention by entity
-- took half the pages each write dirtied at 100k items; entity pages count item_entities
CREATE INDEX IF NOT EXISTS mentions_candidates ON mentions(entity_id, item_id) WHERE {_CANDIDATES};
CREATE INDEX IF NOT EXISTS items_date ON items(date);
CREATE INDEX IF NOT EXISTS item_entities_entity ON item_entities(entity_id, date, item_rowid);
CREATE INDEX IF NOT EXISTS item_types_type ON item_types(type, date, item_rowid);
""" + "".join(
    f"""
CREATE TRIGGER IF NOT EXISTS {table}_counted AFTER INSERT ON {table} BEGIN
    INSERT INTO {counts} ({key}, date, items{add[0]}) VALUES (NEW.{key}, COALESCE(NEW.date, ''), 1{add[1]})
    ON CONFLICT ({key}, date) DO UPDATE SET items = items + 1{add[2]};
END;
CREATE TRIGGER IF NOT EXISTS {table}_uncounted AFTER DELETE ON {table} BEGIN
    UPDATE {counts} SET items = items - 1{add[3]} WHERE {key} = OLD.{key} AND date = COALESCE(OLD.date, '');
    DELETE FROM {counts} WHERE {key} = OLD.{key} AND date = COALESCE(OLD.date, '') AND items <= 0;
END;"""
    for table, counts, key, add in (
        ("item_entities", "entity_dates", "entity_id",
         (", mentions", ", NEW.mentions", ", mentions = mentions + NEW.mentions", ", mentions = mentions - OLD.mentions")),
        ("item_types", "type_dates", "type", ("", "", "", "")),
    )
)
_WALK_DATES_FROM = 2000  # a date-ordered page of more matches than this walks the items_date index

_CACHE_KIB = 128 * 1024  # page cache per connection
_MAX_PARAMS = 500  # ids per `IN (...)` list, well under SQLite's limit on bound parameters
_REBUILD_BATCH = 200  # issues gathered per multi-row insert during a rebuild

# a period of an issue's date ({date}) or id ({issue})
_PERIOD_SQL: dict[str, str] = {
    "issue": "{issue}",
    "week": "date({date}, 'weekday 0', '-6 days')",
    "month": "substr({date}, 1, 7)",
    "quarter": "substr({date}, 1, 4) || '-Q' || ((CAST(substr({date}, 6, 2) AS INTEGER) + 2) / 3)",
    "year": "substr({date}, 1, 4)",
}
_EMPTY_PLAN = Plan(())


def _connect(path: str, *, wal: bool) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA temp_store = MEMORY")
    # indexes keyed by item ids take random inserts: a cache of tens of MB keeps them in memory
    db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    db.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: durable across crashes of the app
    # checkpoint every ~40 MB of WAL, not 4 MB: pages rewritten by consecutive batches are
    # copied into the database once (writes of 100k items spent most of COMMIT checkpointing)
    db.execute("PRAGMA wal_autocheckpoint = 10000")
    db.execute(f"PRAGMA journal_mode = {'WAL' if wal else 'DELETE'}")
    db.executescript(_SCHEMA)
    db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    _migrate(db)
    db.executescript(_INDEXES)
    return db


def _fill_item_urls(db: sqlite3.Connection) -> None:
    """Version 2 indexes every item's links for `items_with_url`."""
    db.execute("DELETE FROM item_urls")
    db.executemany(
        "INSERT INTO item_urls (item_id, url_key) VALUES (?, ?)",
        [
            (r["id"], key)
            for r in db.execute("SELECT id, url, links FROM items").fetchall()
            for key in url_keys(r["url"], json.loads(r["links"]))
        ],
    )


_LENGTH_COLUMNS = tuple(f"{f}_len" for f in SEARCH_FIELDS)

# One multi-row statement per table, in the order rows reference each other.
_INSERTS: dict[str, str] = {
    "issues": "INSERT INTO issues (id, publication, number, title, summary, intro, date, date_estimated, tags,"
    " source, fingerprint) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "items": "INSERT INTO items (rowid, id, issue_id, position, section, title, url, text, links, date,"
    f" {', '.join(_LENGTH_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?,?,?{', ?' * len(_LENGTH_COLUMNS)})",
    "items_fts": f"INSERT INTO items_fts (rowid, {', '.join(PHRASE_FIELDS)}) VALUES (?{', ?' * len(PHRASE_FIELDS)})",
    "stems_fts": f"INSERT INTO stems_fts (rowid, {', '.join(SEARCH_FIELDS)}) VALUES (?{', ?' * len(SEARCH_FIELDS)})",
    "mentions": "INSERT INTO mentions (item_id, field, start, end, surface, type, entity_id) VALUES (?,?,?,?,?,?,?)",
    "item_entities": "INSERT INTO item_entities (item_rowid, entity_id, topic, date, mentions) VALUES (?,?,?,?,?)",
    "item_types": "INSERT INTO item_types (item_rowid, type, date) VALUES (?,?,?)",
    "item_urls": "INSERT INTO item_urls (item_id, url_key) VALUES (?, ?)",
}


def _fill_analysed(db: sqlite3.Connection) -> None:
    """Version 3 indexes words and stems made by kb.analysis, with field lengths."""
    have = {r["name"] for r in db.execute("PRAGMA table_info(items)")}
    if "date" not in have:  # the version 4 column the items INSERT names
        db.execute("ALTER TABLE items ADD COLUMN date TEXT")
    for column in _LENGTH_COLUMNS:
        if column not in have:
            db.execute(f"ALTER TABLE items ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
    db.execute("DELETE FROM items_fts")
    db.execute("DELETE FROM stems_fts")
    mentions: dict[str, list[Mention]] = {}
    for m in db.execute("SELECT * FROM mentions ORDER BY rowid"):
        mentions.setdefault(m["item_id"], []).append(
            Mention(m["start"], m["end"], m["surface"], m["type"], m["entity_id"], m["field"])
        )
    db.execute("DELETE FROM item_entities")
    db.execute("DELETE FROM item_types")
    for r in db.execute("SELECT rowid, id, title, text, url FROM items").fetchall():
        _write_facets(db, r["rowid"], mentions.get(r["id"], ()))
        fields = analysed_fields(r["title"], r["text"], mentions.get(r["id"], ()), r["url"])
        _write_fts(db, r["rowid"], fields)
        assignments = ", ".join(f"{c} = ?" for c in _LENGTH_COLUMNS)
        db.execute(f"UPDATE items SET {assignments} WHERE rowid = ?", (*(fields[c] for c in _LENGTH_COLUMNS), r["rowid"]))


def _write_facets(db: sqlite3.Connection, rowid: int, mentions: Iterable[Mention]) -> None:
    """Facet rows of one item, dated later by `_add_dates`."""
    mentions = list(mentions)
    db.executemany(
        "INSERT INTO item_entities (item_rowid, entity_id, topic) VALUES (?,?,?)",
        sorted({(rowid, m.entity_id, int(m.type == "TOPIC")) for m in mentions}),
    )
    db.executemany(
        "INSERT INTO item_types (item_rowid, type) VALUES (?,?)", sorted({(rowid, m.type) for m in mentions})
    )


def _add_dates(db: sqlite3.Connection) -> None:
    """Version 4 copies each issue's date onto its items and their facet rows, and drops the
    mentions indexes the facet tables replaced."""
    for table in ("items", "item_entities", "item_types"):
        if "date" not in {r["name"] for r in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN date TEXT")
    db.execute("UPDATE items SET date = (SELECT s.date FROM issues s WHERE s.id = items.issue_id)")
    for table in ("item_entities", "item_types"):
        db.execute(f"UPDATE {table} SET date = (SELECT i.date FROM items i WHERE i.rowid = {table}.item_rowid)")
    # one row per item and entity: an entity both a topic and not in one item counts as a topic
    db.execute(
        "DELETE FROM item_entities WHERE topic = 0 AND EXISTS (SELECT 1 FROM item_entities x"
        " WHERE x.item_rowid = item_entities.item_rowid AND x.entity_id = item_entities.entity_id AND x.topic = 1)"
    )
    for table, counts, key in (("item_entities", "entity_dates", "entity_id"), ("item_types", "type_dates", "type")):
        db.execute(f"DELETE FROM {counts}")
        db.execute(f"INSERT INTO {counts} ({key}, date, items) SELECT {key}, COALESCE(date, ''), COUNT(*) FROM {table} GROUP BY 1, 2")
    db.execute("DROP INDEX IF EXISTS mentions_item_facets")
    db.execute("DROP INDEX IF EXISTS mentions_type")


def _count_mentions(db: sqlite3.Connection) -> None:
    """Version 5 counts each item's mentions of each entity on its facet row (and per entity
    and date), then drops the index of every mention by entity (the candidates' stays)."""
    for table, column in (("item_entities", "mentions INTEGER NOT NULL DEFAULT 1"),
                          ("entity_dates", "mentions INTEGER NOT NULL DEFAULT 0")):
        if "mentions" not in {r["name"] for r in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    db.execute(
        "UPDATE item_entities SET mentions = x.n FROM (SELECT i.rowid AS item_rowid, m.entity_id, COUNT(*) AS n"
        " FROM mentions m JOIN items i ON i.id = m.item_id GROUP BY 1, 2) AS x"
        " WHERE item_entities.item_rowid = x.item_rowid AND item_entities.entity_id = x.entity_id"
    )
    for trigger in ("item_entities_counted", "item_entities_uncounted"):  # made again, counting mentions
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DELETE FROM entity_dates")
    db.execute("INSERT INTO entity_dates (entity_id, date, items, mentions)"
               " SELECT entity_id, COALESCE(date, ''), COUNT(*), SUM(mentions) FROM item_entities GROUP BY 1, 2")
    db.execute("DROP INDEX IF EXISTS mentions_entity")


def _from_v3(db: sqlite3.Connection) -> None:
    _add_dates(db)
    _count_mentions(db)


def _write_fts(db: sqlite3.Connection, rowid: int, fields: dict[str, Any]) -> None:
    for table, columns, form in (("items_fts", PHRASE_FIELDS, "words"), ("stems_fts", SEARCH_FIELDS, "stems")):
        db.execute(
            f"INSERT INTO {table} (rowid, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
            (rowid, *(fields[f"{c}_{form}"] for c in columns)),
        )


def _from_v1(db: sqlite3.Connection) -> None:
    _fill_item_urls(db)
    _from_v2(db)


def _from_v2(db: sqlite3.Connection) -> None:
    _fill_analysed(db)
    _from_v3(db)


# from version -> what brings a database of that version up to SCHEMA_VERSION
_MIGRATIONS = {"1": _from_v1, "2": _from_v2, "3": _from_v3, "4": _count_mentions}


def _migrate(db: sqlite3.Connection) -> None:
    """Fill what newer versions added (the schema's CREATE IF NOT EXISTS made the tables).

    Runs once, in one transaction; a database from a newer version is left alone.
    """
    def version() -> str:
        return db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]

    if version() not in _MIGRATIONS:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        step = _MIGRATIONS.get(version())  # again: another process may have just done it
        if step:
            step(db)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _remove_abandoned_rebuilds(path: Path) -> None:
    """Delete what rebuilds killed half-way left beside the database (`<name>.rebuild-<pid>`
    and its journal): only those of processes that are gone, never a running rebuild's."""
    for leftover in path.parent.glob(f"{path.name}.rebuild-*"):
        pid = leftover.name[len(path.name) + len(".rebuild-"):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _top_values(values: dict[str, int], size: int, scale: float, total: int) -> tuple[FacetValue, ...]:
    """The `size` commonest values; counts over a sample (`scale` > 1) are scaled up and marked."""
    top = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    return tuple(FacetValue(v, min(total, round(c * scale)), scale > 1.0) for v, c in top)


def _ref(row: sqlite3.Row) -> IssueRef:
    return IssueRef(row["id"], row["number"], as_date(row["date"]), bool(row["date_estimated"]))


class SQLiteBackend(Backend):
    name = "sqlite"

    def __init__(self, path: str | Path, *, wal: bool = True):
        self.path = Path(path)
        self._memory = str(path) == ":memory:"
        self._lock = threading.RLock()
        try:
            if not self._memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = _connect(str(path), wal=wal)
        except (sqlite3.Error, OSError) as exc:
            raise BackendUnavailable(str(self.path), str(exc)) from exc
        self._inode = self._current_inode()
        self._counts_cache: tuple[Any, dict[str, Any]] | None = None  # see _cached
        self._writes = 0  # our own commits (data_version only moves with other connections')
        if not self._memory:
            _remove_abandoned_rebuilds(self.path)

    @classmethod
    def from_settings(cls, settings: Settings) -> "SQLiteBackend":
        return cls(settings.sqlite_path)

    def _current_inode(self) -> int | None:
        try:
            return None if self._memory else self.path.stat().st_ino
        except OSError:
            return None

    def _follow_swaps(self) -> None:
        """Another process rebuilt the archive into a new file: reopen it."""
        inode = self._current_inode()
        if inode is not None and inode != self._inode:
            self._db.close()
            self._db = _connect(str(self.path), wal=True)
            self._inode = inode

    def _changed(self) -> None:
        """Our own write: counts are recounted, and `generation` moves."""
        self._counts_cache = None
        self._writes += 1

    def generation(self) -> str:
        # data_version moves with other connections' commits; a rebuild swaps the file (inode)
        with self._lock:
            self._follow_swaps()
            version = self._db.execute("PRAGMA data_version").fetchone()[0]
            return f"{self._inode}:{version}:{self._writes}"

    def describe(self) -> str:
        return f"SQLite FTS5 at {self.path}"

    def close(self) -> None:
        self._db.close()

    # -- writing ---------------------------------------------------------------------------
    def write_issues(self, issues: Sequence[Issue]) -> WriteReport:
        """Only the batch's own issues are looked up, so a batch costs the same however large
        the archive is; new issues are inserted with one statement per table."""
        report = WriteReport()
        latest = {issue.id: issue for issue in issues}  # an issue given twice: the last one wins
        with self._lock:
            self._follow_swaps()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                stored = self._stored_fingerprints(list(latest))
                changed = []
                for issue in issues:
                    if latest[issue.id] is not issue:
                        continue
                    if issue.fingerprint and stored.get(issue.id) == issue.fingerprint:
                        report.unchanged += 1
                        continue
                    if issue.id in stored:
                        self._delete(issue.id)
                    changed.append(issue)
                self._insert(changed)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            finally:
                self._changed()
        for issue in changed:
            report.count_written(issue)
        return report

    def _stored_fingerprints(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for n in range(0, len(ids), _MAX_PARAMS):
            chunk = ids[n : n + _MAX_PARAMS]
            rows = self._db.execute(
                f"SELECT id, fingerprint FROM issues WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
            out.update((r["id"], r["fingerprint"]) for r in rows)
        return out

    def fingerprints(self) -> dict[str, str]:
        return {r["id"]: r["fingerprint"] for r in self._query("SELECT id, fingerprint FROM issues")}

    def rebuild(self, issues: Iterable[Issue]) -> WriteReport:
        """Build a fresh database file beside the live one, then swap it in with one rename.

        Readers keep the old archive until the swap; a failure leaves it untouched.
        """
        if self._memory:
            raise BackendError("rebuild needs a database file, not :memory:")
        _remove_abandoned_rebuilds(self.path)
        fresh_path = self.path.with_name(f"{self.path.name}.rebuild-{os.getpid()}")
        fresh_path.unlink(missing_ok=True)
        fresh = SQLiteBackend(fresh_path, wal=False)
        report = WriteReport()
        try:
            fresh._db.execute("BEGIN IMMEDIATE")
            batch: list[Issue] = []
            for issue in issues:
                batch.append(issue)
                report.count_written(issue)
                if len(batch) >= _REBUILD_BATCH:
                    fresh._insert(batch)
                    batch = []
            fresh._insert(batch)
            fresh._db.execute("COMMIT")
            fresh._db.close()
        except BaseException:
            fresh._db.close()
            fresh_path.unlink(missing_ok=True)
            raise
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()
            os.replace(fresh_path, self.path)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._db = _connect(str(self.path), wal=True)
            self._inode = self._current_inode()
            self._changed()
        return report

    def _insert(self, issues: Sequence[Issue]) -> None:
        """Insert new issues: rows are gathered first, then written table by table, items
        numbered from the largest rowid (the caller holds the write lock)."""
        if not issues:
            return
        db = self._db
        rowid = int(db.execute("SELECT COALESCE(MAX(rowid), 0) FROM items").fetchone()[0])
        rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _INSERTS}
        for issue in issues:
            day = issue.date.isoformat() if issue.date else None
            rows["issues"].append((
                issue.id, issue.publication, issue.number, issue.title, issue.summary, issue.intro,
                day, int(issue.date_estimated),
                json.dumps(list(issue.tags)), issue.source, issue.fingerprint,
            ))
            for item in issue.items:
                rowid += 1
                fields = analysed_fields(item.title, item.text, item.mentions, item.url)
                rows["items"].append((
                    rowid, item.id, issue.id, item.position, item.section, item.title, item.url, item.text,
                    json.dumps(list(item.links)), day, *(fields[c] for c in _LENGTH_COLUMNS),
                ))
                rows["items_fts"].append((rowid, *(fields[f"{c}_words"] for c in PHRASE_FIELDS)))
                rows["stems_fts"].append((rowid, *(fields[f"{c}_stems"] for c in SEARCH_FIELDS)))
                rows["mentions"].extend(
                    (item.id, m.field, m.start, m.end, m.text, m.type, m.entity_id) for m in item.mentions
                )
                topics: dict[str, int] = {}  # one row per entity: a topic if any mention says so
                counts: Counter[str] = Counter()
                for m in item.mentions:
                    topics[m.entity_id] = max(topics.get(m.entity_id, 0), int(m.type == "TOPIC"))
                    counts[m.entity_id] += 1
                rows["item_entities"].extend(sorted((rowid, e, topic, day, counts[e]) for e, topic in topics.items()))
                rows["item_types"].extend(sorted({(rowid, m.type, day) for m in item.mentions}))
                rows["item_urls"].extend((item.id, key) for key in url_keys(item.url, item.links))
        for name, sql in _INSERTS.items():
            if rows[name]:
                db.executemany(sql, rows[name])

    def _delete(self, issue_id: str) -> int:
        for table in ("items_fts", "stems_fts"):
            self._db.execute(
                f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM items WHERE issue_id = ?)",
                (issue_id,),
            )
        return self._db.execute("DELETE FROM issues WHERE id = ?", (issue_id,)).rowcount

    def delete_issue(self, issue_id: str) -> bool:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                deleted = self._delete(issue_id)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            finally:
                self._changed()
        return deleted > 0

    def clear(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            for table in ("items_fts", "stems_fts", "mentions", "item_urls", "item_entities", "item_types", "items", "issues",
                          "entity_dates", "type_dates"):
                self._db.execute(f"DELETE FROM {table}")
            self._db.execute("COMMIT")
            self._changed()

    # -- reading ---------------------------------------------------------------------------
    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            self._follow_swaps()
            return self._db.execute(sql, list(params)).fetchall()

    def _retrieve(
        self,
        plan: Plan,
        filters: Filters,
        *,
        ranked: bool,
        start: int,
        count: int,
        facet_size: int | None,
        stats: bool,
    ) -> Retrieved:
        """Match once into `temp.hits`; count, page and facet from it."""
        with self._matched(plan, filters, rank_first=start + count if ranked else 0) as total:
            rows = self._page(total, ranked, start, count) if count > 0 else []
            facets = self._facets(total, facet_size) if facet_size else {}
        return Retrieved(
            total=total,
            candidates=tuple(self._candidates(rows)),
            facets=facets,
            stats=self._collection_stats(plan) if stats else None,
        )

    def _page(self, total: int, ranked: bool, start: int, count: int) -> list[sqlite3.Row]:
        """One stretch of the hits in order, joining items and issues only for the rows that
        can be on it: those ordered before the last row of the stretch, and its ties."""
        db = self._db
        select = (
            "SELECT i.*, s.publication, s.number, s.date_estimated FROM temp.hits h"
            " JOIN items i ON i.rowid = h.rowid JOIN issues s ON s.id = i.issue_id"
        )
        if ranked:
            order = "h.matched DESC, h.rank, i.date IS NULL, i.date DESC, i.position, i.id"
        else:
            order = "i.date IS NULL, i.date DESC, s.number DESC, i.position, i.id"
        where, params = "", []
        last = start + count
        if ranked and total > last:
            matched, rank = db.execute(
                "SELECT matched, rank FROM temp.hits ORDER BY matched DESC, rank LIMIT 1 OFFSET ?", [last - 1]
            ).fetchone()
            where, params = " WHERE h.matched > ? OR (h.matched = ? AND h.rank <= ?)", [matched, matched, rank]
        elif not ranked and total > max(last, _WALK_DATES_FROM):
            # newest first: walk the date index until `last` hits are seen; everything from that
            # date on is all that can come first
            row = db.execute(
                "SELECT date FROM items INDEXED BY items_date WHERE date IS NOT NULL"
                " AND rowid IN (SELECT rowid FROM temp.hits) ORDER BY date DESC LIMIT 1 OFFSET ?",
                [last - 1],
            ).fetchone()
            if row is not None:
                select = (
                    "SELECT i.*, s.publication, s.number, s.date_estimated FROM items i INDEXED BY items_date"
                    " JOIN temp.hits h ON h.rowid = i.rowid JOIN issues s ON s.id = i.issue_id"
                )
                where, params = " WHERE i.date >= ?", [row["date"]]
        return db.execute(f"{select}{where} ORDER BY {order} LIMIT ? OFFSET ?", [*params, count, start]).fetchall()

    @contextmanager
    def _matched(self, plan: Plan, filters: Filters, *, rank_first: int = 0) -> Iterator[int]:
        """`temp.hits` filled with the matches, under the lock, and emptied after; yields how
        many there are. One temporary table per connection, refilled by each search (no DDL)."""
        with self._lock:
            self._follow_swaps()
            self._db.execute(HITS_TABLE)
            try:
                fill_hits(self._db, plan, filters, rank_first=rank_first)
                yield int(self._db.execute("SELECT COUNT(*) FROM temp.hits").fetchone()[0])
            finally:
                self._db.execute("DELETE FROM temp.hits")

    def _count(self, plan: Plan, filters: Filters) -> int:
        with self._lock:
            self._follow_swaps()
            counted = count_by_fts(self._db, plan, filters)
        if counted is not None:
            return counted
        with self._matched(plan, filters) as total:
            return total

    def _candidates(self, rows: list[sqlite3.Row]) -> list[Candidate]:
        mentions = self._mentions_of([r["id"] for r in rows])
        return [
            Candidate(
                item_id=r["id"],
                issue_id=r["issue_id"],
                publication=r["publication"],
                issue_number=r["number"],
                date=as_date(r["date"]),
                date_estimated=bool(r["date_estimated"]),
                section=r["section"],
                position=r["position"],
                title=r["title"],
                text=r["text"],
                url=r["url"],
                links=tuple(json.loads(r["links"])),
                mentions=mentions.get(r["id"], ()),
            )
            for r in rows
        ]

    def _mentions_of(self, item_ids: list[str]) -> dict[str, tuple[Mention, ...]]:
        if not item_ids:
            return {}
        marks = ",".join("?" * len(item_ids))
        out: dict[str, list[Mention]] = {}
        for m in self._query(
            f"SELECT * FROM mentions WHERE item_id IN ({marks}) ORDER BY rowid", item_ids
        ):
            out.setdefault(m["item_id"], []).append(mention_of(m, "surface"))
        return {k: tuple(v) for k, v in out.items()}

    def _collection_stats(self, plan: Plan) -> CollectionStats:
        """Exact counts for kb.ranking: items, items per stem and per entity, mean lengths."""
        stems, entities = stems_needed(plan), entities_needed(plan)
        stem_items: dict[str, int] = {}
        if stems:
            marks = ",".join("?" * len(stems))
            stem_items = {
                r["term"]: int(r["doc"])
                for r in self._query(f"SELECT term, doc FROM stems_vocab WHERE term IN ({marks})", stems)
            }
        entity_items = self._items_of(list(entities))
        items, lengths = self._lengths()
        return CollectionStats(items, stem_items, entity_items, lengths)

    def _lengths(self) -> tuple[int, dict[str, float]]:
        """Items and mean field lengths, recounted only after a write (ours or another process's)."""
        def count() -> tuple[int, dict[str, float]]:
            row = self._db.execute(
                "SELECT COUNT(*) AS n, " + ", ".join(f"AVG({c}) AS {c}" for c in _LENGTH_COLUMNS) + " FROM items"
            ).fetchone()
            return int(row["n"]), {c.removesuffix("_len"): float(row[c] or 0.0) for c in _LENGTH_COLUMNS}

        return self._cached("lengths", count)

    def _entity_items(self) -> dict[str, int]:
        """Items per entity and topic over the whole archive, recounted only after a write:
        ranking, entity pages and distinctive names all need them, often many at once."""
        return self._cached("entity_items", lambda: {
            r[0]: int(r[1]) for r in self._db.execute("SELECT entity_id, SUM(items) FROM entity_dates GROUP BY entity_id")
        })

    def _items_of(self, entity_ids: Sequence[str]) -> dict[str, int]:
        """Items mentioning each of a few entities (a few rows of `entity_dates` each)."""
        if not entity_ids:
            return {}
        rows = self._query(
            f"SELECT entity_id, SUM(items) AS n FROM entity_dates WHERE entity_id IN ({','.join('?' * len(entity_ids))})"
            " GROUP BY entity_id",
            list(entity_ids),
        )
        return {r["entity_id"]: int(r["n"]) for r in rows if r["n"]}

    def _cached(self, name: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per state of the database (ours or another process's writes)."""
        with self._lock:
            self._follow_swaps()
            # data_version moves when another connection commits; our own writes clear the cache
            key = (self._db.execute("PRAGMA data_version").fetchone()[0], id(self._db))
            if self._counts_cache is None or self._counts_cache[0] != key:
                self._counts_cache = (key, {})
            store = self._counts_cache[1]
            if name not in store:
                store[name] = compute()
            return store[name]

    def _facets(self, total: int, size: int) -> dict[str, tuple[FacetValue, ...]]:
        """All six facets of `temp.hits` from three grouped queries.

        Above `SAMPLE_SIZE` hits the counts come from a fixed sample of them (copied once into
        `temp.sample`), scaled and marked estimated, unless the caller asks for more values than
        a page shows (`EXACT_FACETS_FROM`): then it uses the counts as data and gets them exact.
        """
        db = self._db
        sample, scale = sample_clause("rowid", total) if size < EXACT_FACETS_FROM else ("", 1.0)
        source = "temp.hits"
        if sample:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS sample (rowid INTEGER PRIMARY KEY)")
            sampled = db.execute(f"INSERT INTO temp.sample SELECT rowid FROM temp.hits WHERE {sample}").rowcount
            scale = total / max(1, sampled)  # the sample's own size: shares of it scale exactly to the total
            source = "temp.sample"
        counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        try:
            # CROSS JOIN keeps this order: the hits first, then their rows by index
            for r in db.execute(
                f"SELECT e.entity_id AS v, e.topic AS topic, COUNT(*) AS c FROM {source} h"
                " CROSS JOIN item_entities e ON e.item_rowid = h.rowid GROUP BY v, topic"
            ):
                counts["topic" if r["topic"] else "entity"][r["v"]] = int(r["c"])
            for r in db.execute(
                f"SELECT t.type AS v, COUNT(*) AS c FROM {source} h CROSS JOIN item_types t ON t.item_rowid = h.rowid"
                " WHERE t.type != 'TOPIC' GROUP BY v"
            ):
                counts["type"][r["v"]] = int(r["c"])
            for r in db.execute(
                "SELECT i.section AS section, substr(i.date, 1, 4) AS year, s.publication AS publication, COUNT(*) AS c"
                f" FROM {source} h CROSS JOIN items i ON i.rowid = h.rowid JOIN issues s ON s.id = i.issue_id"
                " GROUP BY 1, 2, 3"
            ):
                for name in ("section", "year", "publication"):
                    if r[name] is not None:
                        counts[name][str(r[name])] = counts[name].get(str(r[name]), 0) + int(r["c"])
        finally:
            if sample:
                db.execute("DELETE FROM temp.sample")
        return {name: _top_values(values, size, scale, total) for name, values in counts.items()}

    def trend(
        self, keys: Sequence[str], interval: Interval, filters: Filters = Filters(), *, by: TrendBy = "entity"
    ) -> list[TrendPoint]:
        return self._trend(keys, interval, filters, "entity_id" if by == "entity" else "type")

    def _trend(
        self, keys: Sequence[str], interval: Interval, filters: Filters, column: str
    ) -> list[TrendPoint]:
        """Per-period item counts for keys of one facet table (entities or types).

        Without filters, periods of dates are read from the per-date counts (`entity_dates`,
        `type_dates`, the items_date index); otherwise items are counted per issue and the
        keys' items read from the facet table's (key, date) index. Per-period totals are kept
        per database state: every chart of that interval shares them."""
        table = "item_entities" if column == "entity_id" else "item_types"
        totals = self._cached(f"totals {interval} {filters!r}", lambda: self._period_totals(interval, filters))
        counts: dict[tuple[str, str], int] = {}
        if keys:
            counts = self._key_counts(keys, table, column, interval, filters)
        periods = [
            PeriodTotal(
                r["p"],
                as_date(r["first_date"]) if interval == "issue" else period_start(r["p"], interval),
                int(r["total"]),
                r["number"],
                bool(r["est"]),
            )
            for r in totals
        ]
        return trend_points(keys, periods, counts, interval)

    def _period_totals(self, interval: Interval, filters: Filters) -> list[sqlite3.Row]:
        """Rows of (p, total, number, first_date, est): items per period of the filtered archive."""
        if interval != "issue" and filters == Filters():
            period = _PERIOD_SQL[interval].format(date="d", issue="")
            return self._query(
                f"SELECT {period} AS p, SUM(n) AS total, NULL AS number, MIN(d) AS first_date, MAX(est) AS est FROM"
                " (SELECT date AS d, COUNT(*) AS n, 0 AS est FROM items WHERE date IS NOT NULL GROUP BY date"
                "  UNION ALL SELECT date, 0, 1 FROM issues WHERE date_estimated AND date IS NOT NULL)"
                " GROUP BY p HAVING SUM(n) > 0"
            )
        items_where, items_params = item_restriction(filters, "i.rowid")
        issue_where, issue_params = issue_conditions(filters)
        per_issue = "SELECT issue_id, COUNT(*) AS n FROM items i" + "".join(
            f"{' AND' if n else ' WHERE'} {w}" for n, w in enumerate(items_where)
        )
        period = _PERIOD_SQL[interval].format(date="s.date", issue="s.id")
        return self._query(
            f"SELECT {period} AS p, SUM(c.n) AS total, MIN(s.number) AS number,"
            f" MIN(s.date) AS first_date, MAX(s.date_estimated) AS est"
            f" FROM ({per_issue} GROUP BY issue_id) c JOIN issues s ON s.id = c.issue_id"
            f" WHERE ({period}) IS NOT NULL{''.join(' AND ' + w for w in issue_where)} GROUP BY p",
            [*items_params, *issue_params],
        )

    def _key_counts(
        self, keys: Sequence[str], table: str, column: str, interval: Interval, filters: Filters
    ) -> dict[tuple[str, str], int]:
        """Items per (period, key): from the per-date counts without filters, else from the
        facet table's (key, date, item) index."""
        if interval != "issue" and filters == Filters():
            counts_table = "entity_dates" if column == "entity_id" else "type_dates"
            period = _PERIOD_SQL[interval].format(date="date", issue="")
            rows = self._query(
                f"SELECT {period} AS p, {column} AS k, SUM(items) AS c FROM {counts_table}"
                f" WHERE {column} IN ({','.join('?' * len(keys))}) AND date != '' GROUP BY p, k",
                list(keys),
            )
            return {(r["p"], r["k"]): int(r["c"]) for r in rows}
        items_where, items_params = item_restriction(filters, "e.item_rowid")
        issue_where, issue_params = issue_conditions(filters)
        joins = ""
        if interval == "issue" or issue_where:
            joins = " JOIN items i ON i.rowid = e.item_rowid JOIN issues s ON s.id = i.issue_id"
        period = _PERIOD_SQL[interval].format(date="e.date", issue="i.issue_id")
        where = [f"e.{column} IN ({','.join('?' * len(keys))})", f"({period}) IS NOT NULL", *issue_where, *items_where]
        rows = self._query(
            f"SELECT {period} AS p, e.{column} AS k, COUNT(DISTINCT e.item_rowid) AS c FROM {table} e{joins}"
            f" WHERE {' AND '.join(where)} GROUP BY p, k",
            [*keys, *issue_params, *items_params],
        )
        return {(r["p"], r["k"]): int(r["c"]) for r in rows}

    def similar(self, item_id: str | None = None, *, text: str = "", limit: int = 5) -> list[Hit]:
        """more_like_this, the SQLite way: the draft's highest tf-idf terms ORed together."""
        if item_id:
            rows = self._query("SELECT title, text FROM items WHERE id = ?", [item_id])
            if not rows:
                return []
            text = f"{rows[0]['title']}\n{rows[0]['text']}"
        counts = candidate_terms(text)
        if not counts:
            return []
        marks = ",".join("?" * len(counts))
        doc_freq = {
            r["term"]: int(r["doc"])
            for r in self._query(f"SELECT term, doc FROM items_vocab WHERE term IN ({marks})", list(counts))
        }
        total = max(self.count_items(), 1)
        scored = sorted(
            (
                (tf * (1.0 + math.log(total / (doc_freq[t] + 1))), t)
                for t, tf in counts.items()
                if doc_freq.get(t, 0) >= MLT_MIN_DOC_FREQ
            ),
            reverse=True,
        )
        terms = [t for _, t in scored[:MLT_MAX_TERMS]]
        if not terms:
            return []
        weights = ", ".join(str(FIELD_WEIGHTS[f]) for f in PHRASE_FIELDS)
        rows = self._query(
            "SELECT i.*, s.publication, s.number, s.date, s.date_estimated, m.rank FROM"
            f" (SELECT rowid, bm25(items_fts, {weights}) AS rank FROM items_fts WHERE items_fts MATCH ?"
            " ORDER BY rank LIMIT ?) m JOIN items i ON i.rowid = m.rowid JOIN issues s ON s.id = i.issue_id"
            " ORDER BY m.rank, i.id",
            [" OR ".join(phrase((t,)) for t in terms), limit + 1],
        )
        scores = {r["id"]: round(-float(r["rank"]), 4) for r in rows}
        plan = Plan(tuple(Concept(t, (Alternative("words", (t,), exact=(t,)),)) for t in terms), min_match=1)
        return [self._to_hit(c, plan, scores[c.item_id]) for c in self._candidates(rows) if c.item_id != item_id][:limit]

    def significant(
        self, foreground: Filters, *, size: int = 10, min_count: int = 2
    ) -> list[Significant]:
        """Foreground counts from the facet table (sampled beyond `SAMPLE_SIZE` items, like
        facets); background counts from the archive-wide count kept per database state."""
        with self._matched(_EMPTY_PLAN, foreground) as fg_total:
            sample, scale = sample_clause("h.rowid", fg_total)
            fg = {
                r[0]: min(fg_total, round(int(r[1]) * scale))
                for r in self._db.execute(
                    "SELECT e.entity_id, COUNT(DISTINCT e.item_rowid) FROM temp.hits h"
                    " CROSS JOIN item_entities e ON e.item_rowid = h.rowid"
                    + (f" WHERE {sample}" if sample else "") + " GROUP BY e.entity_id"
                )
            }
        bg, bg_total = self._entity_items(), self.count_items()
        return rank_significant(
            (
                Significant(k, round(jlh(c, fg_total, bg[k], bg_total), 6), c, bg[k], scale > 1.0)
                for k, c in fg.items()
                if c >= min_count and k in bg and k not in foreground.required_ids
            ),
            size,
        )

    def suggest(self, prefix: str, *, limit: int = 8) -> list[Suggestion]:
        prefix = prefix.strip()
        if not prefix:
            return []
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._query(
            "SELECT entity_id, type, surface, COUNT(*) AS c FROM mentions"
            " WHERE surface LIKE ? ESCAPE '\\' GROUP BY entity_id, surface ORDER BY c DESC, surface",
            [like],
        )
        return unique_suggestions(((r["entity_id"], r["type"], r["surface"]) for r in rows), limit)

    # -- entity page, coverage check, did-you-mean -------------------------------------------
    def entity_counts(self, date_from: date | None = None, date_to: date | None = None) -> dict[str, int]:
        """From the per-date counts: one range of `entity_dates`' (entity, date) key for each
        entity the archive names, so a year costs its own rows, not the whole archive's."""
        if date_from is None and date_to is None:
            return dict(self._entity_items())
        rows = self._query(
            "SELECT e.value, (SELECT SUM(items) FROM entity_dates d WHERE d.entity_id = e.value AND d.date BETWEEN ? AND ?)"
            " FROM json_each(?) AS e",
            [(date_from or date.min).isoformat(), (date_to or date.max).isoformat(), json.dumps(list(self._entity_items()))],
        )
        return {r[0]: int(r[1]) for r in rows if r[1]}

    def entity_stats(self, entity_id: str) -> EntityStats | None:
        """Counts from the archive-wide count and the mentions index; first and last issues
        from the facet table's (entity, date) index, so no item list is gathered."""
        items = self._items_of([entity_id]).get(entity_id, 0)
        if not items:
            return None
        mentions = int(self._query("SELECT SUM(mentions) FROM entity_dates WHERE entity_id = ?", [entity_id])[0][0])
        return EntityStats(entity_id, items, mentions, self._end_issue(entity_id, "ASC"), self._end_issue(entity_id, "DESC"))

    def _end_issue(self, entity_id: str, direction: str) -> IssueRef:
        """The first (ASC) or last (DESC) issue mentioning the entity: by date, then number and
        id; undated issues only when no dated issue mentions it."""
        day = self._query(
            f"SELECT date FROM entity_dates WHERE entity_id = ? AND date != '' ORDER BY date {direction} LIMIT 1",
            [entity_id],
        )
        same_day = "e.date = ?" if day else "e.date IS NULL"
        rows = self._query(
            "SELECT s.id, s.number, s.date, s.date_estimated FROM item_entities e"
            " JOIN items i ON i.rowid = e.item_rowid JOIN issues s ON s.id = i.issue_id"
            f" WHERE e.entity_id = ? AND {same_day}"
            f" ORDER BY s.number IS NULL, s.number {direction}, s.id {direction} LIMIT 1",
            [entity_id, *([day[0]["date"]] if day else [])],
        )
        return _ref(rows[0])

    def co_mentions(self, entity_id: str, *, size: int = 15) -> list[FacetValue]:
        """Counted over the entity's items, or a fixed sample of them when it has more than
        `SAMPLE_SIZE` (scaled, marked estimated)."""
        items = self._items_of([entity_id]).get(entity_id, 0)
        sample, scale = sample_clause("f.item_rowid", items)
        rows = self._query(
            "SELECT e.entity_id AS v, COUNT(DISTINCT e.item_rowid) AS c FROM item_entities f"
            " CROSS JOIN item_entities e ON e.item_rowid = f.item_rowid"
            f" WHERE f.entity_id = ? AND e.entity_id != ?{' AND ' + sample if sample else ''}"
            " GROUP BY v ORDER BY c DESC, v LIMIT ?",
            [entity_id, entity_id, size],
        )
        return [FacetValue(r["v"], min(items, round(int(r["c"]) * scale)), scale > 1.0) for r in rows]

    def items_with_url(self, url: str, *, limit: int = 100) -> list[Hit]:
        rows = self._query(
            "SELECT i.*, s.publication, s.number, s.date, s.date_estimated, 0.0 AS rank"
            " FROM items i JOIN issues s ON s.id = i.issue_id"
            " WHERE i.id IN (SELECT item_id FROM item_urls WHERE url_key = ?)"
            " ORDER BY s.date IS NULL, s.date DESC, s.number DESC, i.position, i.id LIMIT ?",
            [normalize_url(url), limit],
        )
        return [self._to_hit(c, None, 0.0) for c in self._candidates(rows)]

    def did_you_mean(self, text: str) -> str | None:
        words = {w: fold(w) for w in query_words(text)}
        if not words:
            return None
        marks = ",".join("?" * len(words))
        known = {
            r["term"]
            for r in self._query(f"SELECT term FROM items_vocab WHERE term IN ({marks})", list(words.values()))
        }
        corrections: dict[str, str] = {}
        for word, folded in words.items():
            if folded in known:
                continue
            lo = folded[:PREFIX_LENGTH]
            near = self._query(
                "SELECT term, doc FROM items_vocab WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
                [lo, lo[:-1] + chr(ord(lo[-1]) + 1), len(folded) - MAX_EDITS, len(folded) + MAX_EDITS],
            )
            best = best_correction(folded, {r["term"]: int(r["doc"]) for r in near})
            if best:
                corrections[word] = best
        return rewrite(text, corrections)

    def candidate_names(self) -> dict[str, str]:
        rows = self._query(
            f"SELECT entity_id, surface, COUNT(*) AS n FROM mentions WHERE {_CANDIDATES} GROUP BY entity_id, surface",
        )
        counts: dict[str, Counter[str]] = {}
        for r in rows:
            counts.setdefault(r["entity_id"], Counter())[r["surface"]] = int(r["n"])
        return commonest_spellings(counts)

    def candidate_rows(self) -> Iterator[CandidateRow]:
        rows = self._query(
            "SELECT me.entity_id, me.type, me.surface, me.field, me.start, me.end, i.id AS item_id,"
            " i.title, i.text, s.id AS issue_id, s.publication, s.number, s.date"
            " FROM mentions me JOIN items i ON i.id = me.item_id JOIN issues s ON s.id = i.issue_id"
            f" WHERE {_CANDIDATES}",
        )
        for r in rows:
            yield CandidateRow(
                r["entity_id"], r["type"], r["surface"], r["field"], r["start"], r["end"],
                r["item_id"], r["title"], r["text"], r["issue_id"], r["publication"], r["number"],
                as_date(r["date"]),
            )

    def list_issues(self, publication: str | None = None) -> list[IssueSummary]:
        sql = (
            "SELECT s.*, (SELECT COUNT(*) FROM items i WHERE i.issue_id = s.id) AS n FROM issues s"
            + (" WHERE s.publication = ?" if publication else "")
            + " ORDER BY s.publication, s.number, s.date"
        )
        return [
            IssueSummary(
                id=r["id"],
                publication=r["publication"],
                number=r["number"],
                title=r["title"],
                date=as_date(r["date"]),
                date_estimated=bool(r["date_estimated"]),
                items=int(r["n"]),
                source=r["source"],
                fingerprint=r["fingerprint"],
                summary=r["summary"] or "",
            )
            for r in self._query(sql, [publication] if publication else [])
        ]

    def issue_leads(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._query("SELECT issue_id, title FROM items WHERE position = 1")}

    def get_issue(self, issue_id: str) -> Issue | None:
        rows = self._query("SELECT * FROM issues WHERE id = ?", [issue_id])
        if not rows:
            return None
        mentions: dict[str, list[Mention]] = {}
        for m in self._query(
            "SELECT me.* FROM mentions me JOIN items i ON i.id = me.item_id"
            " WHERE i.issue_id = ? ORDER BY me.rowid",
            [issue_id],
        ):
            mentions.setdefault(m["item_id"], []).append(mention_of(m, "surface"))
        items = [
            {**dict(r), "links": json.loads(r["links"]), "mentions": mentions.get(r["id"], ())}
            for r in self._query("SELECT * FROM items WHERE issue_id = ? ORDER BY position", [issue_id])
        ]
        return issue_from_records({**dict(rows[0]), "tags": json.loads(rows[0]["tags"])}, items)

    def count_items(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM items")[0][0])

    def count_issues(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM issues")[0][0])
