"""What only the embedded backend has to get right: files, processes, odd paths."""
from __future__ import annotations

import pytest

from kb.backends.base import BackendUnavailable
from kb.backends.sqlite import SQLiteBackend
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
