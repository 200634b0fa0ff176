"""Bare anchors for the scale benchmark: the engine alone, fed the same documents, same run.

Why: a latency or a write rate means little on its own on a shared 2-core machine; next to
what the bare engine does with the same documents in the same minutes, it says what our
layer costs. Neither engine analyses text here (see `kb.analysis`), so making the documents
(`kb.documents.to_document`: words and stems of every field) is part of any write of them and
is timed in both. SQLite: the documents' words and stems inserted into two bare FTS5 tables
with `executemany`, one transaction per batch; searched with `MATCH … ORDER BY bm25 LIMIT 10`.
Elasticsearch: `helpers.bulk` of exactly the documents our backend sends, into an index with
our mapping; searched with a plain `multi_match`. What ours adds: items, mentions and facet
rows, links, replacing changed issues, skipping unchanged ones.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any, Protocol, Sequence

from kb.analysis import analysed
from kb.documents import PHRASE_FIELDS, SEARCH_FIELDS, to_document
from kb.models import Issue


def analysed_query(text: str) -> str:
    """The anchor's words as the index holds them (folded), a quoted phrase kept quoted."""
    return f'"{analysed(text)}"' if text.startswith('"') else analysed(text)

__all__ = ["Anchor", "SQLiteAnchor", "ElasticsearchAnchor"]


class Anchor(Protocol):
    def write(self, issues: Sequence[Issue]) -> float:
        """Seconds spent writing the batch (preparation excluded)."""

    def search(self, text: str) -> object: ...

    def size_bytes(self) -> int: ...

    def close(self) -> None: ...


class SQLiteAnchor:
    def __init__(self, path: Path):
        self.path = path
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute(f"CREATE VIRTUAL TABLE bare USING fts5({', '.join(PHRASE_FIELDS)})")
        self.db.execute(f"CREATE VIRTUAL TABLE bare_stems USING fts5({', '.join(SEARCH_FIELDS)})")

    def write(self, issues: Sequence[Issue]) -> float:
        started = time.perf_counter()
        docs = [to_document(issue, item) for issue in issues for item in issue.items]
        self.db.execute("BEGIN")
        for table, fields, form in (("bare", PHRASE_FIELDS, "words"), ("bare_stems", SEARCH_FIELDS, "stems")):
            self.db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(fields))})",
                                [tuple(d[f"{f}_{form}"] for f in fields) for d in docs])
        self.db.execute("COMMIT")
        return time.perf_counter() - started

    def search(self, text: str) -> object:
        return self.db.execute(
            "SELECT rowid, title FROM bare WHERE bare MATCH ? ORDER BY bm25(bare) LIMIT 10", (analysed_query(text),)
        ).fetchall()

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))

    def close(self) -> None:
        self.db.close()


class ElasticsearchAnchor:
    def __init__(self, client: Any, index: str):
        from kb.backends.es_mappings import ITEMS_MAPPING, index_settings

        self.es, self.index = client, index
        self.es.indices.delete(index=index, ignore_unavailable=True)
        self.es.indices.create(index=index, settings=index_settings(1, 0), mappings=ITEMS_MAPPING)

    def write(self, issues: Sequence[Issue]) -> float:
        from elasticsearch import helpers

        from kb.backends.elasticsearch import _item_doc

        started = time.perf_counter()
        actions = [{"_index": self.index, "_id": item.id, "_source": _item_doc(issue, item)}
                   for issue in issues for item in issue.items]
        helpers.bulk(self.es, actions)
        return time.perf_counter() - started

    def search(self, text: str) -> object:
        if text.startswith('"'):
            query: dict[str, Any] = {"match_phrase": {"text_words": analysed(text)}}
        else:
            query = {"multi_match": {"query": analysed(text), "fields": ["title_words^2", "text_words"]}}
        return self.es.search(index=self.index, query=query, size=10)

    def size_bytes(self) -> int:
        self.es.indices.refresh(index=self.index)
        stats = self.es.indices.stats(index=self.index, metric="store")
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])

    def close(self) -> None:
        self.es.indices.delete(index=self.index, ignore_unavailable=True)
