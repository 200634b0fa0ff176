"""Shared fixtures: a backend per contract run, and access to ../shared corpora."""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

from kb.backends.sqlite import SQLiteBackend

SHARED = Path(__file__).resolve().parents[2] / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def shared_path(*parts: str) -> Path:
    """A path in ../shared; skips the test when absent, fails it under CI=true."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        unavailable(f"shared material missing: {path}")
    return path


@pytest.fixture
def shared_corpus():
    """`shared_corpus("corpus", "seed")`: `shared_path` as a fixture for corpus tests."""
    return shared_path


ES_TEST_URL = os.environ.get("KB_TEST_ES_URL", "http://127.0.0.1:9200")


def unavailable(message: str) -> None:
    """Skip locally; under CI=true a test that cannot run is a failure."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def es_client():
    """The real Elasticsearch server started by scripts/elasticsearch.sh (never a mock)."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(ES_TEST_URL, request_timeout=30)
    try:
        client.cluster.health()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        unavailable(f"Elasticsearch not reachable at {ES_TEST_URL} ({exc}); run scripts/elasticsearch.sh start")
    yield client
    client.close()


@pytest.fixture
def es_backend(es_client):
    from kb.backends.elasticsearch import ElasticsearchBackend

    backend = ElasticsearchBackend(es_client, alias=f"kbtest-{uuid.uuid4().hex[:12]}", location=ES_TEST_URL)
    yield backend
    backend.drop()


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def kb_backend(request, tmp_path):
    """Every contract test runs once per backend."""
    if request.param == "elasticsearch":
        yield request.getfixturevalue("es_backend")
        return
    backend = SQLiteBackend(tmp_path / "kb.sqlite3")
    yield backend
    backend.close()


@pytest.fixture
def app_env(tmp_path, monkeypatch) -> Path:
    """A fresh install for AppTest: an empty index and a data folder holding the sample issue."""
    import shutil

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "deep-learning-weekly-214.txt", data)
    monkeypatch.setenv("KB_BACKEND", "sqlite")
    monkeypatch.setenv("KB_SQLITE_PATH", str(tmp_path / "kb.sqlite3"))
    monkeypatch.setenv("KB_DATA_DIR", str(data))
    monkeypatch.setenv("KB_UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path


_SESSION_STARTED = time.time()


def pytest_terminal_summary(terminalreporter):
    """Print the fault and abuse suite's figures, and say where the browser test's screenshots
    of this run are (CI logs show both)."""
    from tests.abuse.figures import FIGURES

    if FIGURES:
        terminalreporter.section("fault and abuse suite")
        for line in FIGURES:
            terminalreporter.write_line(line)
    shots = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
    fresh = sorted(p.name for p in shots.glob("*.png") if p.stat().st_mtime >= _SESSION_STARTED) if shots.is_dir() else []
    if fresh:
        terminalreporter.write_line(f"browser screenshots in {shots}: {', '.join(fresh)}")


APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_page(page: str, **params: str):
    """The app started fresh (first start indexes the data folder), then `page` opened from a
    link carrying these URL parameters."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()
