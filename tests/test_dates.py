"""Issue dates: sidecars, manifests, and estimates from the nearest dated issue."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from indexer.dates import DateEntry, Sidecar, SidecarError, apply_dates, load_sidecar
from indexer.parsers import ParseError, discover_files, parse_path
from kb.models import Issue, Item


def issue(number: int | None, when: date | None = None, *, pub: str = "Weekly", source: str = "") -> Issue:
    return Issue(
        publication=pub,
        source=source or f"issues/{number}.txt",
        number=number,
        date=when,
        items=(Item(title="An item"),),
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_structured_sidecar(tmp_path):
    write(
        tmp_path,
        "dates.yaml",
        "publication: Deep Learning Weekly\n"
        "dates:\n"
        "  214: 2021-08-13\n"
        "  issue-215.txt: '2021-08-20'\n"
        "  216: {date: 2021-08-27, estimated: true}\n"
        "  217: null\n",
    )
    sidecar = load_sidecar(tmp_path)
    assert sidecar.publication == "Deep Learning Weekly"
    assert sidecar.dates == {
        "214": DateEntry(date(2021, 8, 13)),
        "issue-215.txt": DateEntry(date(2021, 8, 20)),
        "216": DateEntry(date(2021, 8, 27), estimated=True),
        "217": DateEntry(None),
    }


@pytest.mark.parametrize("name", ["dates.yml", "kb.yaml"])
def test_flat_sidecar_under_other_names(tmp_path, name):
    write(tmp_path, name, "12: 2024-01-05\n13.md: 2024-01-12\n")
    sidecar = load_sidecar(write(tmp_path, "12.md", "# 12\n"))  # a file's folder works too
    assert sidecar.dates["12"].date == date(2024, 1, 5)
    assert sidecar.dates["13.md"].date == date(2024, 1, 12)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("dates:\n  12: 2024-02-30\n", "entry '12': not a valid calendar date"),
        ("dates:\n  12: 5 May 2024\n", "entry '12': expected a date as YYYY-MM-DD"),
        ("dates:\n  12: 'next week'\n", "entry '12'"),
        ("12: 20240105\n", "entry '12'"),
        ("dates:\n  12: {date: 2024-01-05, estimated: maybe}\n", "'estimated' must be true or false"),
        ("dates:\n  12: {when: 2024-01-05}\n", "unknown field(s) when"),
        ("dates: [2024-01-05]\n", "'dates' must map"),
        ("publication: [a, b]\n", "'publication' must be text"),
        ("dates: {12: [}\n", "unreadable sidecar"),
    ],
)
def test_bad_sidecar_names_file_and_key(tmp_path, body, fragment):
    write(tmp_path, "dates.yaml", body)
    with pytest.raises(SidecarError) as error:
        load_sidecar(tmp_path)
    assert isinstance(error.value, ParseError)  # reported like any file failure
    assert error.value.path.endswith("dates.yaml")
    assert fragment in error.value.reason


def test_manifest_is_a_date_source_when_there_is_no_sidecar(tmp_path):
    rows = ["file\tissue_number\tdate\tlicense", "a.html\t5\t2018-02-09\tMIT", "b.html\t6\t\tMIT"]
    write(tmp_path, "MANIFEST.tsv", "\n".join(rows) + "\n")
    sidecar = load_sidecar(tmp_path)
    assert sidecar.lookup(issue(5, source=str(tmp_path / "a.html"))) == DateEntry(date(2018, 2, 9))
    assert sidecar.lookup(issue(6, source=str(tmp_path / "b.html"))) is None  # empty date: unknown


def test_manifest_without_date_columns_and_missing_sidecar_are_empty(tmp_path):
    write(tmp_path, "MANIFEST.tsv", "file\tlicense\na.html\tMIT\n")
    assert load_sidecar(tmp_path).dates == {}
    assert load_sidecar(tmp_path / "nowhere") == Sidecar()


def test_the_files_own_date_beats_the_sidecar():
    sidecar = Sidecar(dates={"3": DateEntry(date(2020, 1, 1))})
    [kept] = apply_dates([issue(3, date(2021, 6, 1))], sidecar, {})
    assert (kept.date, kept.date_estimated) == (date(2021, 6, 1), False)


def test_sidecar_fills_missing_dates_and_keeps_its_estimated_flag():
    sidecar = Sidecar(dates={"3": DateEntry(date(2020, 1, 1)), "4.txt": DateEntry(date(2020, 1, 8), True)})
    third, fourth = apply_dates([issue(3), issue(4, source="x/4.txt")], sidecar, {})
    assert (third.date, third.date_estimated) == (date(2020, 1, 1), False)
    assert (fourth.date, fourth.date_estimated) == (date(2020, 1, 8), True)


def test_estimate_from_the_nearest_dated_issue_in_the_batch():
    batch = [issue(10, date(2024, 1, 5)), issue(13), issue(20, date(2024, 3, 15)), issue(18)]
    _, thirteenth, _, eighteenth = apply_dates(batch, None, {})
    assert (thirteenth.date, thirteenth.date_estimated) == (date(2024, 1, 26), True)
    assert (eighteenth.date, eighteenth.date_estimated) == (date(2024, 3, 1), True)


def test_estimate_from_known_dates_and_ties_prefer_the_earlier_anchor():
    [estimated] = apply_dates([issue(7)], None, {6: date(2024, 1, 1), 8: date(2024, 1, 16)})
    assert estimated.date == date(2024, 1, 8)


def test_estimated_dates_are_not_anchors_and_no_anchor_means_no_date():
    sidecar = Sidecar(dates={"5": DateEntry(date(2020, 1, 1), estimated=True)})
    fifth, sixth = apply_dates([issue(5), issue(6)], sidecar, {})
    assert fifth.date_estimated and sixth.date is None and not sixth.date_estimated
    [unnumbered] = apply_dates([issue(None)], None, {1: date(2020, 1, 1)})
    assert unnumbered.date is None


def test_anchors_stay_within_a_publication():
    other, mine = apply_dates([issue(1, date(2020, 1, 3), pub="Other"), issue(2, pub="Mine")], None, {})
    assert other.date == date(2020, 1, 3)
    assert mine.date is None


@pytest.mark.corpus
def test_html_archive_manifest_dates_with_one_gap(shared_corpus):
    folder = shared_corpus("corpus", "ml-articles-weekly")
    issues = [i for path in discover_files([folder]) for i in parse_path(path)]
    dated = {i.number: i for i in apply_dates(issues, load_sidecar(folder), {})}
    assert dated[5].date == date(2018, 2, 9) and not dated[5].date_estimated
    assert dated[18].date_estimated  # its manifest date is empty
    assert dated[18].date == date(2018, 5, 10)  # issue 17 (2018-05-03) + one week
    assert all(i.date is not None for i in dated.values())


def test_an_issue_with_a_blank_manifest_date_is_estimated_from_the_other_files(tmp_path):
    """One file per issue, dates in MANIFEST.tsv, one row left blank (as ml-articles-weekly
    week 18): its date is estimated from the issues dated by the manifest, and flagged."""
    from indexer.pipeline import date_issues, parse_files

    for number in (1, 2, 3):
        (tmp_path / f"{number}.md").write_text(
            f"---\nissue: {number}\n---\n## [Story {number}](https://example.org/{number})\nText.\n", encoding="utf-8"
        )
    (tmp_path / "MANIFEST.tsv").write_text(
        "file\tissue_number\tdate\n1.md\t1\t2024-01-01\n2.md\t2\t\n3.md\t3\t2024-01-15\n", encoding="utf-8"
    )
    parsed, failures, sidecars = parse_files([tmp_path], publication="Test Weekly")
    assert failures == []
    dated = {issue.number: issue for _, issue in date_issues(parsed, sidecars, None)}
    assert (dated[2].date, dated[2].date_estimated) == (date(2024, 1, 8), True)
    assert (dated[3].date, dated[3].date_estimated) == (date(2024, 1, 15), False)
