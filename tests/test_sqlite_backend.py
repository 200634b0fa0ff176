"""What only the embedded backend has to get right: files, processes, odd paths."""
from __future__ import annotations

import pytest

from kb.backends.base import BackendUnavailable
from kb.backends.sqlite import SCHEMA_VERSION, SQLiteBackend
from kb.query import SearchQuery
from tests.test_backend_contract import archive


def test_a_second_process_follows_a_rebuild(tmp_path):
    writer = SQLiteBackend(tmp_path / "kb.sqlite3")
    reader = SQLiteBackend(tmp_path / "kb.sqlite3")  # e.g. the app, while the CLI rebuilds
    writer.write_issues(archive())
    assert reader.search(SearchQuery("")).total == 6
    writer.rebuild(archive()[:1])
    assert reader.search(SearchQuery("")).total == 3
    assert not list(tmp_path.glob("*.rebuild-*")), "no leftover build file"


def test_unwritable_location_is_reported_with_its_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(BackendUnavailable) as err:
        SQLiteBackend(blocker / "kb.sqlite3")
    assert str(blocker) in str(err.value)


def test_a_database_from_schema_1_gets_its_links_indexed_when_opened(tmp_path):
    old = SQLiteBackend(tmp_path / "kb.sqlite3")
    old.write_issues(archive())
    old._db.execute("DELETE FROM item_urls")  # what a version-1 database looks like
    old._db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    old.close()
    reopened = SQLiteBackend(tmp_path / "kb.sqlite3")
    assert len(reopened.items_with_url("https://example.org/jurassic")) == 2
    assert reopened._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == SCHEMA_VERSION
    again = SQLiteBackend(tmp_path / "kb.sqlite3")  # a second open does not index twice
    assert len(again.items_with_url("https://example.org/jurassic")) == 2
    assert again._query("SELECT COUNT(*) FROM item_urls")[0][0] == 3


def test_a_database_from_schema_2_gets_words_and_stems_indexed_when_opened(tmp_path):
    old = SQLiteBackend(tmp_path / "kb.sqlite3")
    old.write_issues(archive())
    db = old._db  # what a version-2 database looks like: raw text in FTS, no stems, no lengths
    db.execute("DELETE FROM stems_fts")
    db.execute("DELETE FROM items_fts")
    db.execute("INSERT INTO items_fts (rowid, title, text, entities) SELECT rowid, title, text, '' FROM items")
    for column in ("title_len", "text_len", "entities_len"):
        db.execute(f"ALTER TABLE items DROP COLUMN {column}")
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    old.close()
    reopened = SQLiteBackend(tmp_path / "kb.sqlite3")
    assert reopened._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == SCHEMA_VERSION
    assert {h.title for h in reopened.search(SearchQuery("language model")).hits} >= {
        "Announcing Jurassic-1 Language Models"  # "model" finds "Models" through the stems
    }
    assert reopened.search(SearchQuery("ai21")).hits[0].title == "Announcing Jurassic-1 Language Models"  # entity names
    assert reopened._query("SELECT MIN(title_len) FROM items")[0][0] > 0


def test_a_database_from_a_newer_version_is_left_alone(tmp_path):
    newer = SQLiteBackend(tmp_path / "kb.sqlite3")
    newer._db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    newer.close()
    reopened = SQLiteBackend(tmp_path / "kb.sqlite3")
    assert reopened._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == "99"


def test_files_of_a_rebuild_killed_half_way_are_removed_at_the_next_start(tmp_path):
    import os
    import subprocess

    path = tmp_path / "kb.sqlite3"
    SQLiteBackend(path).close()
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that has ended: its rebuild can never finish
    leftovers = [tmp_path / f"kb.sqlite3.rebuild-{gone.pid}", tmp_path / f"kb.sqlite3.rebuild-{gone.pid}-journal"]
    running = tmp_path / f"kb.sqlite3.rebuild-{os.getpid()}"  # a live process's rebuild
    for f in (*leftovers, running):
        f.write_bytes(b"half a database")
    reopened = SQLiteBackend(path)
    assert not any(f.exists() for f in leftovers)
    assert running.exists(), "a running rebuild's file is left alone"
    running.unlink()
    reopened.write_issues(archive())
    assert reopened.count_items() == 6
