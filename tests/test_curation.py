"""Growing the catalog: candidates from the archive, accepting one, re-tagging."""
from __future__ import annotations

import json

import pytest

from indexer.cli import main as indexer
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import CatalogError
from kb.curation import accept_candidate, sentence_around
from kb.query import SearchQuery
from kb.service import catalog_files
from kb.settings import Settings
from tests.test_backend_contract import archive


def test_sentence_around_a_mention():
    text = "First sentence here. Quokkaflow ships a new scheduler today! Last one."
    start = text.index("Quokkaflow")
    assert sentence_around(text, start, start + 10) == "Quokkaflow ships a new scheduler today!"


def test_accepting_writes_a_valid_entry(tmp_path):
    target = tmp_path / "accepted.yaml"
    entry, catalog = accept_candidate(
        name="Quokkaflow", type="product", aliases=["QuokkaFlow", "Quokkaflow"], owner="google", target=target
    )
    assert (entry.id, entry.type, entry.aliases, entry.owner) == ("quokkaflow", "PRODUCT", ("QuokkaFlow",), "google")
    assert catalog.get("quokkaflow") == entry
    assert "name: Quokkaflow" in target.read_text(encoding="utf-8")


def test_an_invalid_entry_is_refused_and_nothing_is_written(tmp_path):
    target = tmp_path / "accepted.yaml"
    with pytest.raises(CatalogError) as err:
        accept_candidate(name="Quokkaflow", type="PRODUCT", owner="no-such-org", target=target)
    assert str(target) in str(err.value) and "owner" in str(err.value)
    assert not target.exists()
    with pytest.raises(CatalogError):
        accept_candidate(name="OpenAI", type="ORG", target=target)  # already in the catalog
    assert not target.exists()


@pytest.fixture
def archive_db(tmp_path) -> list[str]:
    backend = SQLiteBackend(tmp_path / "kb.sqlite3")
    backend.write_issues(archive())
    backend.close()
    return ["--sqlite-path", str(tmp_path / "kb.sqlite3"), "--accepted-file", str(tmp_path / "accepted.yaml")]


def test_candidates_cli_lists_then_accepts_and_retags(capsys, archive_db, tmp_path):
    assert indexer(["candidates", "--json", *archive_db]) == 0
    (quokka,) = json.loads(capsys.readouterr().out)
    assert (quokka["id"], quokka["type"], quokka["items"], quokka["first_issue"], quokka["last_issue"]) == (
        "new:quokkaflow", "PRODUCT", 2, 2, 3,
    )
    assert indexer(["candidates", "--accept", "new:quokkaflow", "--retag", *archive_db]) == 0
    out = capsys.readouterr().out
    assert "accepted quokkaflow (PRODUCT)" in out and "3 issues (3 written" in out
    assert indexer(["candidates", "--json", *archive_db]) == 0
    assert json.loads(capsys.readouterr().out) == []
    settings = Settings(sqlite_path=archive_db[1], accepted_file=archive_db[3])
    assert archive_db[3] in map(str, catalog_files(settings))
    hits = SQLiteBackend(archive_db[1]).search(SearchQuery("Quokkaflow")).hits
    assert all(("quokkaflow", "PRODUCT") in h.entities for h in hits) and len(hits) == 2


def test_retag_with_an_unchanged_catalog_rewrites_only_what_changed(capsys, archive_db):
    assert indexer(["retag", "--quiet", *archive_db]) == 0
    first = capsys.readouterr().out
    assert "3 issues" in first
    assert indexer(["retag", "--quiet", *archive_db]) == 0
    assert "0 written, 3 unchanged" in capsys.readouterr().out


def test_merging_a_candidate_adds_its_spellings_to_an_existing_entry(tmp_path):
    from kb.curation import merge_candidate

    target = tmp_path / "accepted.yaml"
    entry, catalog = merge_candidate(into="pytorch-lightning", spellings=["Pytorch Lightening"], target=target)
    assert "Pytorch Lightening" in entry.aliases and catalog.get("pytorch-lightning") == entry
    assert "extends: pytorch-lightning" in target.read_text(encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown id 'no-such-entry'"):
        merge_candidate(into="no-such-entry", spellings=["X Y"], target=target)
    with pytest.raises(CatalogError, match="also used by"):
        merge_candidate(into="pytorch-lightning", spellings=["TensorFlow"], target=target)  # another entry's name
    assert target.read_text(encoding="utf-8").count("extends:") == 1  # refused merges wrote nothing


def test_near_duplicates_of_catalog_names_are_offered_as_merges():
    from kb.catalog import load_catalog
    from kb.curation import Candidate, IssueRef, near_duplicates

    ref = IssueRef("p-1", "P", 1, None)

    def candidate(name: str, type_: str) -> Candidate:
        return Candidate(f"new:{name.lower()}", name, type_, 1, 1, ref, ref, (), (name,))

    catalog = load_catalog()
    assert [e.id for e in near_duplicates(candidate("Pytorch Lightening", "PRODUCT"), catalog)] == ["pytorch-lightning"]
    assert near_duplicates(candidate("Quokkaflow", "PRODUCT"), catalog) == []
    assert near_duplicates(candidate("Pytorch Lightening", "ORG"), catalog) == []  # same type only


def test_candidates_cli_merges_into_an_existing_entry_and_retags(capsys, archive_db):
    assert indexer(["candidates", "--merge", "new:quokkaflow", *archive_db]) == 2
    assert "--into is required" in capsys.readouterr().err
    assert indexer(["candidates", "--merge", "new:quokkaflow", "--into", "no such thing", *archive_db]) == 2
    assert "no entity" in capsys.readouterr().err
    assert indexer(["candidates", "--merge", "new:quokkaflow", "--into", "PyTorch", "--retag", *archive_db]) == 0
    out = capsys.readouterr().out
    assert "merged new:quokkaflow (Quokkaflow) into pytorch (PyTorch)" in out
    assert indexer(["candidates", "--json", *archive_db]) == 0
    assert json.loads(capsys.readouterr().out) == []
    hits = SQLiteBackend(archive_db[1]).search(SearchQuery("Quokkaflow")).hits
    assert hits and all(("pytorch", "PRODUCT") in h.entities for h in hits)


def test_an_extension_of_an_unknown_entry_names_its_file(tmp_path):
    from kb.catalog import load_catalog

    bad = tmp_path / "accepted.yaml"
    bad.write_text("- {extends: nothing-here, aliases: [Foo]}\n- {extends: openai}\n", encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog([*sorted((tmp_path.parent / "x").glob("*.yaml")), bad])
    message = str(err.value)
    assert str(bad) in message and "unknown id 'nothing-here'" in message and "'aliases'" in message


def test_near_candidates_find_a_misspelt_twin():
    from kb.curation import Candidate, IssueRef, near_candidates

    ref = IssueRef("p-1", "P", 1, None)
    dawson = Candidate("new:ryan-dawson", "Ryan Dawson", "PERSON", 5, 6, ref, ref, (), ("Ryan Dawson",))
    dawston = Candidate("new:ryan-dawston", "Ryan Dawston", "PERSON", 1, 1, ref, ref, (), ("Ryan Dawston",))
    other = Candidate("new:ryan-dawes", "Ryan Dawes", "ORG", 1, 1, ref, ref, (), ("Ryan Dawes",))
    assert near_candidates(dawston, [dawson, dawston, other]) == [dawson]
    assert near_candidates(other, [dawson, dawston, other]) == []  # another type
