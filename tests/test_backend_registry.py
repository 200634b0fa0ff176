"""Backends are found through one registry: a name (or alias) to a module and class."""
from __future__ import annotations

import pytest

from kb.backends import REGISTRY, Backend, BackendError, backend_class, open_backend
from kb.backends.sqlite import SQLiteBackend
from kb.settings import Settings


def test_every_registered_backend_imports_under_its_own_name():
    for name in REGISTRY:
        cls = backend_class(name)
        assert issubclass(cls, Backend) and cls.name == name


def test_the_embedded_backend_opens_from_settings(tmp_path):
    backend = open_backend(Settings(backend="SQLite", sqlite_path=str(tmp_path / "kb.sqlite3")))
    assert isinstance(backend, SQLiteBackend) and (tmp_path / "kb.sqlite3").exists()
    backend.close()


def test_an_alias_and_an_unknown_name():
    assert backend_class("es") is backend_class("elasticsearch")
    with pytest.raises(BackendError, match="choose one of sqlite, elasticsearch"):
        backend_class("solr")
