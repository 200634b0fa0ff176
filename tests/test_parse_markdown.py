"""Markdown issues with YAML front matter, and the MLE newsletter archive."""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from indexer.parsers import ParseError, parse_path, parse_source, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
TEMPLATE_TITLE = re.compile(r"OSS:|Open Sour ?ce MLOps Tools|Upcoming|About us|Support|This week|MLOps =")


def parse_one(path: Path, hint: str | None = None):
    [issue] = parse_source(read_source(path, publication_hint=hint))
    return issue


def test_front_matter_fields():
    issue = parse_one(FIXTURES / "12.md", hint="The Pipeline Post")
    assert issue.publication == "The Pipeline Post"
    assert issue.number == 12
    assert issue.date == date(2024, 3, 10)
    assert issue.summary.startswith("Feature stores explained")
    assert issue.tags == ("mlops", "search")
    assert issue.title == "The Pipeline Post Issue #12"


def test_linked_headings_are_items_and_template_blocks_are_not():
    issue = parse_one(FIXTURES / "12.md")
    assert [(i.title, i.url) for i in issue.items] == [
        ("Feature Stores Explained", "https://example.com/feature-stores"),
        ("Vector Search and Hybrid Ranking", "https://example.org/vector-search"),
        ("Streaming Joins at Scale", "https://example.net/joins"),
        ("Our Toolkit v1.0 Released", None),  # own-site link, but an announcement in prose
    ]


def test_heading_with_several_links_keeps_them_all():
    item = parse_one(FIXTURES / "12.md").items[1]
    assert item.links == ("https://example.org/vector-search", "https://example.org/hybrid")


def test_item_text_is_plain():
    first, second = parse_one(FIXTURES / "12.md").items[:2]
    assert first.text == (
        "A clear introduction to feature stores: why they exist, and what an offline and an "
        "online store each do. See the companion repo.\n\n"
        "- point-in-time correct joins\n- low-latency serving"
    )
    assert "# not a heading, just a comment\nscore = 0.7 * bm25" in second.text  # fenced code kept


def test_intro_is_the_text_before_the_table_of_contents_without_boilerplate():
    issue = parse_one(FIXTURES / "12.md")
    assert issue.intro == "We just passed 1,000 readers, thank you all for reading along!"


def test_sections_and_h3_items_in_a_generic_export():
    issue = parse_one(FIXTURES / "weekly-bits-3.md")
    assert (issue.publication, issue.number, issue.title) == ("Weekly Bits", 3, "Weekly Bits: Issue #3")
    assert issue.intro == "A short intro paragraph before the first section."
    assert [(i.section, i.title) for i in issue.items] == [
        ("Research", "Smaller Models, Same Accuracy"),
        ("Research", "Benchmarks Under Scrutiny"),
        ("Tools", "Notebook Linter"),
    ]


def test_bad_front_matter_names_the_field():
    with pytest.raises(ParseError, match="'issue'") as error:
        parse_path(FIXTURES / "bad-front-matter.md")
    assert error.value.path.endswith("bad-front-matter.md")


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("issue: 3\ndate: 2024-02-30\n", "'date'"),
        ("issue: 3\ntags: {a: 1}\n", "'tags'"),
        ("issue: [3\n", "invalid front matter"),
        ("- just\n- a list\n", "mapping"),
    ],
)
def test_invalid_front_matter(tmp_path, front_matter, message):
    path = tmp_path / "3.md"
    path.write_text(f"---\n{front_matter}---\n\n## [A](https://example.com)\n\nText.\n", encoding="utf-8")
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_path(path)


def test_unclosed_front_matter_and_no_items_are_parse_errors(tmp_path):
    unclosed = tmp_path / "1.md"
    unclosed.write_text("---\nissue: 1\n\n## [A](https://example.com)\n", encoding="utf-8")
    with pytest.raises(ParseError, match="not closed"):
        parse_path(unclosed)
    template_only = tmp_path / "2.md"
    template_only.write_text("---\nissue: 2\n---\n\n## About us\n\nWe write a newsletter.\n", encoding="utf-8")
    with pytest.raises(ParseError, match="no items"):
        parse_path(template_only)


@pytest.fixture
def mle(shared_corpus) -> Path:
    return shared_corpus("corpus", "mle-newsletter")


def _manifest(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


@pytest.mark.corpus
def test_whole_mle_archive_parses_with_items(mle):
    manifest = _manifest(mle)
    files = sorted(mle.glob("*.md"))
    assert len(files) == len(manifest) == 379
    for path in files:
        issue = parse_one(path, hint="The ML Engineer")
        text = path.read_text(encoding="utf-8")
        assert issue.number == int(manifest[path.name]["issue_number"])
        assert issue.date == date.fromisoformat(manifest[path.name]["date"])
        assert issue.items, path.name
        for item in issue.items:
            assert item.title and item.text, (path.name, item.title)
            assert not TEMPLATE_TITLE.match(item.title), (path.name, item.title)
            assert item.url is None or f"]({item.url})" in text


@pytest.mark.corpus
def test_mle_spot_checks(mle):
    first = parse_one(mle / "1.md")
    assert len(first.items) == 6
    assert all(f"## [{i.title}]({i.url})" in (mle / "1.md").read_text(encoding="utf-8") for i in first.items)

    fifth = parse_one(mle / "5.md")  # the library launch links to the newsletter's own page
    assert len(fifth.items) == 5
    assert fifth.items[0].url is None and fifth.items[0].title.startswith("XAI")

    celebration = parse_one(mle / "200.md")  # the celebration block is intro, not an item
    assert len(celebration.items) == 5
    assert "200th Issue" in celebration.intro

    recent = parse_one(mle / "374.md")  # an announcement before the contents is intro
    assert len(recent.items) == 5
    assert recent.intro.startswith("New project release!")
    assert "\n- " in recent.items[1].text  # bullet lists keep one line per bullet
