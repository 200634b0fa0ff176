"""Markdown issues with YAML front matter, and the MLE newsletter archive."""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from indexer.parsers import ParseError, parse_path, parse_paths, parse_source, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
ARCHIVE = Path(__file__).parent / "fixtures" / "archives" / "pipeline-post"
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


def test_linked_headings_are_items_and_the_contents_list_is_not():
    issue = parse_one(FIXTURES / "12.md")
    titles = [(i.title, i.url) for i in issue.items]
    assert titles[1:5] == [
        ("Feature Stores Explained", "https://example.com/feature-stores"),
        ("Vector Search and Hybrid Ranking", "https://example.org/vector-search"),
        ("Streaming Joins at Scale", "https://example.net/joins"),  # own-site label dropped
        ("Our Toolkit v1.0 Released", None),  # own-site link, but an announcement in prose
    ]
    # the contents list pointing at the item headings is not items
    assert not any(title.lower().startswith(("feature stores explained", "vector search and")) for title, _ in titles[5:])
    assert "Feature stores explained" not in [t for t, _ in titles]


def test_one_file_alone_keeps_its_standing_blocks_the_archive_drops_them():
    """Repetition is learned across an archive; one file on its own cannot show it."""
    alone = parse_one(ARCHIVE / "12.md")
    assert [i.title for i in alone.items] == [
        "Support the Pipeline Post!", "Quantisation in Practice", "Data Contracts", "Data Days", "ML Summit", "About us",
    ]
    parsed, failures = parse_paths([ARCHIVE])
    assert not failures
    for path, [issue] in parsed.items():
        assert len(issue.items) == 2, (path.name, [i.title for i in issue.items])
    assert [i.title for i in parsed[ARCHIVE / "12.md"][0].items] == ["Quantisation in Practice", "Data Contracts"]


def test_a_new_story_in_every_issue_is_not_template(tmp_path):
    """Items that come back only a few weeks in a row (an ongoing listing) stay items."""
    for n, day in enumerate(("2024-01-07", "2024-01-14", "2024-01-21"), start=1):
        (tmp_path / f"{n}.md").write_text(
            f"---\nissue: {n}\ndate: {day}\n---\n\n## Events\n\n- [Rust Meetup](https://example.com/meetup) - monthly\n"
            f"- [Story {n}](https://example.com/story-{n}) - new this week\n",
            encoding="utf-8",
        )
    parsed, _ = parse_paths([tmp_path])
    assert all(len(issues[0].items) == 2 for issues in parsed.values())


def test_heading_with_several_links_keeps_them_all():
    item = parse_one(FIXTURES / "12.md").items[2]
    assert item.links == ("https://example.org/vector-search", "https://example.org/hybrid")


def test_item_text_is_plain():
    first, second = parse_one(FIXTURES / "12.md").items[1:3]
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


@pytest.fixture(scope="module")
def mle() -> Path:
    from tests.conftest import shared_path

    return shared_path("corpus", "mle-newsletter")


@pytest.fixture(scope="module")
def mle_issues(mle) -> dict[str, object]:
    """The archive parsed as the indexer does: all files together, so its template is learned."""
    parsed, failures = parse_paths([mle])
    assert not failures
    return {path.name: issues[0] for path, issues in parsed.items()}


def _manifest(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


@pytest.mark.corpus
def test_whole_mle_archive_parses_with_items(mle, mle_issues):
    manifest = _manifest(mle)
    assert len(mle_issues) == len(manifest) == 379
    for name, issue in mle_issues.items():
        text = (mle / name).read_text(encoding="utf-8")
        assert issue.number == int(manifest[name]["issue_number"])
        assert issue.date == date.fromisoformat(manifest[name]["date"])
        assert issue.items, name
        for item in issue.items:
            assert item.title and item.text, (name, item.title)
            assert not TEMPLATE_TITLE.match(item.title), (name, item.title)
            assert item.url is None or f"]({item.url})" in text or f"]({item.url} " in text


@pytest.mark.corpus
def test_mle_item_count_is_kept(mle_issues):
    """1,914 items before the block model (issue 9); within 1% after."""
    total = sum(len(issue.items) for issue in mle_issues.values())
    assert abs(total - 1914) <= 19, total


@pytest.mark.corpus
def test_mle_spot_checks(mle, mle_issues):
    first = mle_issues["1.md"]
    assert len(first.items) == 6
    assert all(f"## [{i.title}]({i.url})" in (mle / "1.md").read_text(encoding="utf-8") for i in first.items)

    fifth = mle_issues["5.md"]  # the library launch heading links to the newsletter's own page
    assert len(fifth.items) == 5
    assert fifth.items[0].title.startswith("XAI") and fifth.items[0].url.startswith("https://")

    celebration = mle_issues["200.md"]  # the celebration block is not an item
    assert len(celebration.items) == 5

    recent = mle_issues["374.md"]  # an announcement before the contents is intro
    assert len(recent.items) == 5
    assert recent.intro.startswith("New project release!")
    assert "\n- " in recent.items[1].text  # bullet lists keep one line per bullet
