"""Shared fixtures: a backend per contract run, and access to ../shared corpora."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.backends.sqlite import SQLiteBackend

SHARED = Path(__file__).resolve().parents[2] / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def shared_path(*parts: str) -> Path:
    """A path in ../shared; skips the test when absent, fails it under CI=true."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"shared material missing: {path}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def shared_corpus():
    """`shared_corpus("corpus", "seed")`: `shared_path` as a fixture for corpus tests."""
    return shared_path


@pytest.fixture(params=["sqlite"])
def kb_backend(request, tmp_path):
    backend = SQLiteBackend(tmp_path / "kb.sqlite3")
    yield backend
    backend.close()
