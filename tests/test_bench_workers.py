"""The workers bench runs end to end at 1,000 items, 1 worker against 2 (a smoke test of the
bench: what it prints and that both archives are the same, never how fast)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bench.bench_workers import WorkerRun, build_parser, differences, issue_markdown, main, run, write_archive
from bench.synthetic import sample_profile
from indexer.parsers import detect_parser, read_source
from kb.models import Issue, Item

DATA = Path(__file__).resolve().parents[1] / "data"
ITEMS = 1_000


@pytest.fixture(scope="module")
def profile():
    return sample_profile(DATA)


def _fields(issue: Issue) -> list[tuple[str, str, str, str]]:
    return [(i.section, i.title, i.url, i.text) for i in issue.items]


def test_a_written_issue_parses_back_to_the_same_items(tmp_path):
    items = tuple(
        Item(title=title, text=text, section=section, url=f"https://example.org/{n}")
        for n, (section, title, text) in enumerate([
            ("News & notes", "Scaling *fast* pipelines_v2", "Uses [brackets], <tags>, a # sign and back\\slash."),
            ("News & notes", "Plain title", "Seven words of text follow right here now."),
            ("Tools", "C++ and Rust: a comparison", "Mentions OpenAI, PyTorch and `code` spans | pipes ~ tildes!"),
        ])
    )
    issue = Issue(publication="Synthetic Weekly 01", source="x.md", number=12, title="Synthetic Weekly 01 #12",
                  date=date(2021, 5, 3), items=items)
    issues, written, newsletters = write_archive([issue], tmp_path)
    assert (issues, written, newsletters) == (1, 3, 1)
    path = tmp_path / "synthetic-weekly-01" / "00012.md"
    assert path.read_text(encoding="utf-8") == issue_markdown(issue)
    source = read_source(path)
    [back] = detect_parser(source).parse(source)
    assert (back.publication, back.number, back.date, back.title) == (
        "Synthetic Weekly 01", 12, date(2021, 5, 3), "Synthetic Weekly 01 #12")
    assert _fields(back) == _fields(issue)


def test_two_archives_that_differ_are_reported():
    runs = [WorkerRun(1, issues=2, items=10, mentions=5), WorkerRun(2, issues=2, items=10, mentions=6)]
    found = differences(runs, [{"a": "1", "b": "2"}, {"a": "1", "b": "3"}])
    assert found == ["mentions: 5 with 1 worker, 6 with 2", "issues stored with different content or mentions: 1"]
    assert differences([runs[0], runs[0]], [{"a": "1"}, {"c": "1"}]) == ["issues stored by one run only: 2"]
    assert differences([runs[0], runs[0]], [{"a": "1"}, {"a": "1"}]) == []


def test_the_workers_bench_stores_the_same_archive_with_two_workers(profile, tmp_path):
    args = build_parser().parse_args(["--items", str(ITEMS), "--workers", "2", "--quiet", "--workdir", str(tmp_path)])
    lines: list[str] = []
    result = run(args, profile, out=lines.append)
    assert result.items == ITEMS and result.issues > 0 and result.newsletters == 10
    assert [r.workers for r in result.runs] == [1, 2]
    for r in result.runs:
        assert (r.files, r.issues, r.stored_issues) == (result.issues,) * 3
        assert r.items == r.stored_items == ITEMS, "every generated item is read back and stored"
        assert r.failures == 0 and r.mentions > 0 and r.seconds > 0
    assert result.differences == [] and result.identical
    assert result.speedup > 0
    text = "\n".join(lines)
    assert f"{ITEMS:,} items" in text and "speed-up, 2 workers over 1" in text and "same archive: yes" in text
    assert not list(tmp_path.iterdir()), "the bench removes its files and databases"


def test_the_command_writes_its_figures_as_json(tmp_path, capsys):
    out = tmp_path / "workers.json"
    code = main(["--items", "100", "--workers", "2", "--corpus", str(DATA), "--quiet", "--workdir", str(tmp_path),
                 "--json", str(out)])
    figures = json.loads(out.read_text())
    assert code == 0 and figures["identical"] is True and figures["items"] == 100
    assert [r["workers"] for r in figures["runs"]] == [1, 2] and all(r["items_per_s"] > 0 for r in figures["runs"])
    assert "same archive: yes" in capsys.readouterr().out
