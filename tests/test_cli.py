"""The command line, used as a person would: ingest, parse, search, trend."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.cli import main as indexer
from kb.cli import main as kb

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "deep-learning-weekly-214.txt"


@pytest.fixture
def db(tmp_path) -> list[str]:
    return ["--sqlite-path", str(tmp_path / "kb.sqlite3")]


def run_json(capsys, fn, argv) -> dict:
    capsys.readouterr()
    assert fn(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_parse_prints_the_issue_as_json(capsys):
    issue = run_json(capsys, indexer, ["parse", str(SAMPLE), "--json"])
    assert issue["number"] == 214
    assert len(issue["items"]) == 20
    assert set(issue) >= {"number", "date", "date_estimated", "title", "sections", "items"}
    assert set(issue["items"][0]) == {"section", "title", "url", "text"}


def test_ingest_then_search_puts_the_ai21_item_first(capsys, db):
    assert indexer(["ingest", str(SAMPLE), "--quiet", *db]) == 0
    summary = capsys.readouterr().out
    assert "1 issues" in summary and "20 items" in summary and "0 failures" in summary
    found = run_json(capsys, kb, ["search", "Jurassic", "--json", *db])
    top = found["results"][0]
    assert top["title"] == "Announcing AI21 Studio and Jurassic-1 Language Models"
    assert top["issue"] == 214
    assert {"issue", "date", "section", "title", "url", "score", "snippet", "entities"} <= set(top)
    assert "jurassic-1" in {e["id"] for e in top["entities"]}


def test_ingest_twice_changes_nothing(capsys, db):
    indexer(["ingest", str(SAMPLE), "--quiet", *db])
    capsys.readouterr()
    assert indexer(["ingest", str(SAMPLE), "--quiet", *db]) == 0
    assert "0 written, 1 unchanged" in capsys.readouterr().out


def test_a_bad_file_is_reported_and_the_rest_is_indexed(capsys, db, tmp_path):
    folder = tmp_path / "issues"
    folder.mkdir()
    (folder / "good.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.md").write_text("---\nissue: [unclosed\n---\n## [A](https://a.example)\ntext\n", encoding="utf-8")
    assert indexer(["ingest", str(folder), "--quiet", *db]) == 1
    captured = capsys.readouterr()
    assert "broken.md" in captured.err
    assert "1 issues" in captured.out and "1 failures" in captured.out
    assert run_json(capsys, kb, ["search", "Dojo", "--json", *db])["total"] > 0


def test_trend_by_name_or_alias(capsys, db):
    indexer(["ingest", str(SAMPLE), "--quiet", *db])
    trend = run_json(capsys, kb, ["trend", "Tesla", "--interval", "issue", "--json", *db])
    (series,) = trend["series"]
    assert series["id"] == "tesla"
    assert series["points"][0]["issue"] == 214 and series["points"][0]["items"] == 1


def test_unknown_trend_name_is_a_clear_error(capsys, db):
    assert kb(["trend", "NoSuchThingAtAll", *db]) == 2
    assert "NoSuchThingAtAll" in capsys.readouterr().err


def test_missing_path_is_reported(capsys, db, tmp_path):
    assert indexer(["ingest", str(tmp_path / "nope"), "--quiet", *db]) == 1
    assert "nope: no such file or folder" in capsys.readouterr().err


def test_reindex_rebuilds_and_a_failed_reindex_keeps_the_archive(capsys, db, tmp_path):
    assert indexer(["ingest", str(SAMPLE), "--quiet", *db]) == 0
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "bad.md").write_text("---\nissue: [\n---\n", encoding="utf-8")
    assert indexer(["reindex", str(folder), "--quiet", *db]) == 1
    assert "archive was left as it was" in capsys.readouterr().err
    assert run_json(capsys, kb, ["search", "Dojo", "--json", *db])["total"] == 1
    (folder / "bad.md").unlink()
    (folder / "issue.txt").write_text(
        "Model Digest: Issue #9\n\nTiny\n\nA Robot That Folds Laundry\n\nA lab shows a robot folding towels.\n",
        encoding="utf-8",
    )
    assert indexer(["reindex", str(folder), "--quiet", *db]) == 0
    assert run_json(capsys, kb, ["search", "Dojo", "--json", *db])["total"] == 0
    assert run_json(capsys, kb, ["search", "laundry", "--json", *db])["total"] == 1


def test_delete_removes_an_issue(capsys, db):
    indexer(["ingest", str(SAMPLE), "--quiet", *db])
    assert indexer(["delete", "deep-learning-weekly-214", *db]) == 0
    assert run_json(capsys, kb, ["search", "Dojo", "--json", *db])["total"] == 0
    assert indexer(["delete", "deep-learning-weekly-214", *db]) == 1


def test_a_password_in_es_url_never_shows(capsys):
    from kb.backends.elasticsearch import ElasticsearchBackend
    from kb.backends.base import BackendError
    from kb.settings import Settings, redact_url

    secret = "S3cretPW"
    settings = Settings(backend="elasticsearch", es_url=f"http://elastic:{secret}@127.0.0.1:1",
                        es_password=secret, es_api_key=secret)
    assert secret not in repr(settings) and "elastic:***@127.0.0.1:1" in repr(settings)
    assert redact_url("https://a:b@h1:9200,http://h2:9200") == "https://a:***@h1:9200,http://h2:9200"
    with pytest.raises(BackendError) as err:  # nothing listens on port 1
        ElasticsearchBackend.from_settings(settings)
    assert secret not in str(err.value) and "elastic:***@127.0.0.1:1" in str(err.value)
    assert kb(["search", "dojo", "--backend", "elasticsearch", "--es-url", settings.es_url]) != 0
    out = capsys.readouterr()
    assert secret not in out.out + out.err and "***" in out.err
