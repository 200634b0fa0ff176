"""Ingest on several cores: the same stored archive, the same failures, as with one worker."""
from __future__ import annotations

import os
import pickle
import threading
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.cli import main as indexer
from indexer.extract import Extractor
from indexer import parallel
from indexer.parallel import WorkerTraceback, map_in_order
from indexer.pipeline import IngestReport, date_issues, ingest, parse_files, reindex, tag_issue
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.models import Issue
from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "deep-learning-weekly-214.txt"
MLE_ISSUES = ("1.md", "2.md", "50.md", "100.md", "200.md", "300.md", "374.md", "375.md")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_catalog())


@pytest.fixture
def corpus(tmp_path) -> list[Path]:
    """The sample issue, a copy of it (a duplicate), a broken file and a few MLE issues."""
    mle = shared_path("corpus", "mle-newsletter")
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(SAMPLE, extra / "copy-of-214.txt")
    (extra / "broken.md").write_text("---\nissue: [unclosed\n---\n## [A](https://a.example)\ntext\n", encoding="utf-8")
    return [ROOT / "data", extra, *(mle / name for name in MLE_ISSUES)]


def stored(backend: SQLiteBackend) -> list[Issue]:
    return [backend.get_issue(summary.id) for summary in backend.list_issues()]


def counts(report: IngestReport) -> tuple:
    return (report.files, report.issues, report.written, report.unchanged, report.items, report.mentions,
            report.failures)


def run_ingest(paths: list[Path], db: Path, extractor: Extractor, workers: int, **options) -> tuple:
    backend = SQLiteBackend(db)
    seen: list[tuple[str, int, int]] = []
    try:
        report = ingest(paths, backend=backend, extractor=extractor, workers=workers, batch_size=3,
                        progress=lambda *step: seen.append(step), **options)
        return counts(report), stored(backend), seen
    finally:
        backend.close()


@pytest.mark.corpus
def test_two_workers_store_exactly_what_one_worker_stores(corpus, extractor, tmp_path):
    one = run_ingest(corpus, tmp_path / "one.sqlite3", extractor, workers=1)
    two = run_ingest(corpus, tmp_path / "two.sqlite3", extractor, workers=2)
    report, issues, progress = two
    assert len(issues) == 1 + len(MLE_ISSUES)
    assert sum(len(item.mentions) for issue in issues for item in issue.items) > 100
    broken, duplicate = sorted(report[-1], key=lambda f: "already read" in f.reason)
    assert broken.path == str(corpus[1] / "broken.md") and "issue deep-learning-weekly-214" in duplicate.reason
    assert two == one  # reports, every stored issue with its items and mentions, progress steps


@pytest.mark.corpus
def test_reindex_with_two_workers_builds_the_same_archive(corpus, extractor, tmp_path):
    good = [p for p in corpus if p.name != "extra"]  # a rebuild refuses files that fail
    archives = []
    for workers in (1, 2):
        backend = SQLiteBackend(tmp_path / f"{workers}.sqlite3")
        report = reindex(good, backend=backend, extractor=extractor, workers=workers)
        archives.append((counts(report), stored(backend)))
        backend.close()
    assert archives[0][0][-1] == [] and len(archives[0][1]) == 1 + len(MLE_ISSUES)
    assert archives[1] == archives[0]


class FailingExtractor(Extractor):
    """Breaks on one issue (MLE 375, read last), as a bug in the extractor would."""

    def tag_items(self, items):
        if any("MicroGPT" in (item.title or "") + (item.text or "") for item in items):
            raise RuntimeError("extractor bug")
        return super().tag_items(items)


@pytest.mark.corpus
def test_an_error_for_one_issue_is_reported_and_the_rest_is_stored_by_any_number_of_workers(corpus, tmp_path):
    failing = FailingExtractor(load_catalog())
    paths = [p for p in corpus if p.name != "extra"]  # 9 issues, written 3 by 3
    outcomes = []
    for workers in (1, 2):
        report, issues, _ = run_ingest(paths, tmp_path / f"{workers}.sqlite3", failing, workers=workers)
        failures = report[-1]
        assert len(failures) == 1 and "extractor bug" in failures[0].reason
        assert failures[0].path.endswith(".md"), "the file is named"
        outcomes.append(issues)
    assert len(outcomes[0]) == 8, "every other issue was stored"
    assert outcomes[1] == outcomes[0]


def _half_or_fail(n: int, divisor: int) -> float:
    if n == 5:
        raise ValueError(f"bad item {n}")
    return n / divisor


def test_results_come_in_input_order_and_an_error_comes_in_its_turn():
    results = map_in_order(_half_or_fail, range(40), state=2, workers=2)
    assert [next(results) for _ in range(5)] == [0, 0.5, 1, 1.5, 2]
    with pytest.raises(ValueError, match="bad item 5") as raised:
        next(results)
    assert isinstance(raised.value.__cause__, WorkerTraceback) and "_half_or_fail" in str(raised.value.__cause__)
    assert list(map_in_order(_half_or_fail, range(6, 40), state=2, workers=3)) == [n / 2 for n in range(6, 40)]


def _process_id(n: int, state: None) -> int:
    return os.getpid()


def test_a_process_with_threads_spawns_and_keeps_a_few_items_to_itself():
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # like the app's server threads
    server.start()
    try:
        assert parallel._context().get_start_method() == "spawn"  # fork could copy a held lock
        assert set(map_in_order(_process_id, range(10), state=None, workers=2)) == {os.getpid()}
    finally:
        stop.set()
        server.join()


def test_spawned_workers_rebuild_the_extractor_from_its_catalog(extractor):
    copy = pickle.loads(pickle.dumps(extractor))
    assert type(copy) is Extractor and copy.catalog.version == extractor.catalog.version
    parsed, failures, sidecars = parse_files([SAMPLE])
    (_, issue), = date_issues(parsed, sidecars, backend=None)
    halves = [replace(issue, items=issue.items[:10]), replace(issue, items=issue.items[10:])]
    in_process = [tag_issue(i, extractor) for i in halves]
    spawned = list(map_in_order(tag_issue, halves, state=extractor, workers=2, start_method="spawn"))
    assert spawned == in_process
    assert any(item.mentions for i in spawned for item in i.items)


def test_an_extractor_with_its_own_pipeline_says_it_cannot_travel(extractor):
    with pytest.raises(TypeError, match="own nlp pipeline"):
        pickle.dumps(Extractor(extractor.catalog, nlp=extractor.nlp))


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_workers_must_be_a_whole_number_of_one_or_more(capsys, tmp_path, value):
    with pytest.raises(SystemExit) as exited:
        indexer(["ingest", str(SAMPLE), "--workers", value, "--sqlite-path", str(tmp_path / "kb.sqlite3")])
    assert exited.value.code == 2
    assert "argument --workers" in capsys.readouterr().err
    assert not (tmp_path / "kb.sqlite3").exists()


def test_ingest_with_workers_on_the_command_line(capsys, tmp_path):
    db = ["--sqlite-path", str(tmp_path / "kb.sqlite3")]
    folder = tmp_path / "issues"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "214.txt")
    (folder / "215.txt").write_text(SAMPLE.read_text(encoding="utf-8").replace("#214", "#215"), encoding="utf-8")
    assert indexer(["ingest", str(folder), "--quiet", "--workers", "2", *db]) == 0
    assert "2 issues (2 written, 0 unchanged), 40 items" in capsys.readouterr().out
