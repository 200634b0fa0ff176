"""The parser registry: reading files, choosing a parser, finding files, section names."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.parsers import (
    ParseError,
    Parser,
    Source,
    detect_parser,
    discover_files,
    parse_path,
    read_source,
)
from indexer.parsers.common import guarded
from indexer.sections import KNOWN_SECTIONS, normalize_section

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("relative", "parser"),
    [
        ("text/tensor-tidings-140.txt", "text"),
        ("markdown/12.md", "markdown"),
        ("html/platform-export.html", "html"),
        ("feed/gazette.rss", "feed"),
        ("feed/bits.atom", "feed"),
    ],
)
def test_detect_parser_by_extension_and_content(relative, parser):
    assert detect_parser(read_source(FIXTURES / relative)).name == parser


def test_unsupported_file_is_a_parse_error(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("not really a document", encoding="utf-8")
    with pytest.raises(ParseError, match="no parser for .docx"):
        parse_path(path)


def test_read_source_decodes_bom_utf8_and_cp1252(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffCafé Weekly: Issue #1\r\n".encode("utf-8"))
    assert read_source(bom).text == "Café Weekly: Issue #1\n"
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Caf\u00e9 \u2013 Issue #2\n".encode("cp1252"))
    assert read_source(legacy, publication_hint="Café").text == "Café – Issue #2\n"
    assert read_source(legacy, publication_hint="Café").publication_hint == "Café"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"\x81\x8d\x90", "undecodable"),
    ],
)
def test_read_source_rejects_unusable_files(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=reason):
        read_source(path)


def test_missing_file_is_a_parse_error(tmp_path):
    with pytest.raises(ParseError, match="unreadable") as error:
        read_source(tmp_path / "gone.md")
    assert error.value.path.endswith("gone.md")


def test_a_parser_bug_surfaces_as_parse_error():
    class Broken(Parser):
        name = "broken"

        @guarded
        def parse(self, source: Source):
            raise KeyError("oops")

    with pytest.raises(ParseError, match="broken parser failed: KeyError"):
        Broken().parse(Source(Path("x.txt"), "text"))


def test_discover_files_expands_folders_in_natural_order(tmp_path):
    archive = tmp_path / "archive"
    (archive / "old").mkdir(parents=True)
    (archive / ".git").mkdir()
    for name in ["10.md", "2.md", "old/1.html", "MANIFEST.tsv", "LICENSE", "README.md", "dates.yaml",
                 "cover.png", ".hidden.md", ".git/x.md", "feed.xml"]:
        (archive / name).write_text("x", encoding="utf-8")
    explicit = tmp_path / "single.txt"
    explicit.write_text("x", encoding="utf-8")
    found = discover_files([archive, explicit, archive / "2.md"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "archive/2.md", "archive/10.md", "archive/feed.xml", "archive/old/1.html", "single.txt"
    ]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Mobile + Edge", "Mobile & Edge"),
        ("MOBILE & EDGE:", "Mobile & Edge"),
        ("  Libraries   and Code ", "Libraries & Code"),
        ("🔬 Research", "Research"),
        ("Papers & Publications 📄", "Papers & Publications"),
        ("mlops & llmops", "MLOps & LLMOps"),
        ("Robots + Drones:", "Robots & Drones"),  # unknown: tidied, casing kept
    ],
)
def test_normalize_section(raw, canonical):
    assert normalize_section(raw) == canonical


def test_known_sections_are_their_own_canonical_form():
    assert all(normalize_section(name) == name for name in KNOWN_SECTIONS)
    assert len(set(KNOWN_SECTIONS)) == len(KNOWN_SECTIONS)


@pytest.mark.parametrize(
    ("name", "number", "day"),
    [
        ("2019-09-22-32.md", 32, "2019-09-22"),
        ("week_018.html", 18, None),
        ("Issue12.md", 12, None),
        ("2021-09-27-2021-W39.md", None, "2021-09-27"),  # a week label is not an issue number
        ("2018-2-26-2018-9.md", None, "2018-02-26"),
        ("2023-05-13-weekly.md", None, "2023-05-13"),
        ("214.md", 214, None),
    ],
)
def test_numbers_and_dates_from_file_names(name, number, day):
    from datetime import date

    from indexer.parsers.common import date_from_filename, number_from_filename

    assert number_from_filename(name) == number
    assert date_from_filename(name) == (date.fromisoformat(day) if day else None)


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Issue #12 — 12 May 2021", "2021-05-12"),
        ("The Weekly, May 12th, 2021", "2021-05-12"),
        ("Edition of 2021-05-12", "2021-05-12"),
        ("Issue 7, 31 February 2021", None),  # not a date
        ("Issue 2021", None),
    ],
)
def test_dates_from_title_lines(line, day):
    from datetime import date

    from indexer.parsers.common import date_from_text

    assert date_from_text(line) == (date.fromisoformat(day) if day else None)


def test_a_title_line_gives_number_and_date_when_the_file_has_no_metadata(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Gradient Notes #41 — 3 June 2024\n\n## Papers\n\n* [A paper](https://example.com/a) - why\n",
                    encoding="utf-8")
    [issue] = parse_path(path)
    assert (issue.publication, issue.number, str(issue.date)) == ("Gradient Notes", 41, "2024-06-03")
