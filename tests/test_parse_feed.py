"""RSS and Atom feeds: one issue per entry, entry bodies parsed like HTML."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from indexer.parsers import ParseError, detect_parser, parse_path, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "feed"


def test_rss_gives_one_issue_per_item():
    issues = parse_path(FIXTURES / "gazette.rss")
    assert [(i.publication, i.number, i.date) for i in issues] == [
        ("The Gradient Gazette", 28, date(2024, 5, 24)),
        ("The Gradient Gazette", 27, date(2024, 5, 17)),  # "No. 27", RFC 822 with an offset
        ("The Gradient Gazette", None, date(2024, 5, 10)),
    ]


def test_rss_content_is_split_into_sections_and_items():
    issue = parse_path(FIXTURES / "gazette.rss")[0]
    assert issue.title == "Issue #28: Agents that plan"
    assert issue.summary == "Agents that plan, and a new open dataset"  # the <description>
    assert issue.intro == "Hello again! Two stories this week."
    assert [(i.section, i.title, i.url) for i in issue.items] == [
        ("Research", "Planning with world models", "https://example.com/planning"),
        ("Datasets", "Open Recipes", "https://example.com/recipes"),
    ]


def test_entry_without_items_becomes_a_single_item():
    issue = parse_path(FIXTURES / "gazette.rss")[1]
    [item] = issue.items
    assert item.title == "No. 27 - Small models, big wins"
    assert item.url == "https://gazette.example.com/p/issue-27"
    assert item.text == "A short note: small models keep getting better."


def test_unnumbered_entries_get_distinct_ids():
    issues = [i.with_ids() for i in parse_path(FIXTURES / "gazette.rss")]
    assert issues[2].source.endswith("gazette.rss#break-2024")
    assert len({i.id for i in issues}) == 3


def test_atom_entries_with_html_and_xhtml_content():
    fifth, fourth = parse_path(FIXTURES / "bits.atom")
    assert (fifth.publication, fifth.number, fifth.date) == ("Weekly Bits", 5, date(2024, 6, 7))
    assert [(i.section, i.title) for i in fifth.items] == [
        ("Tools", "Notebook Linter"),
        ("Tools", "GPU Profiler"),
    ]
    assert fourth.date == date(2024, 5, 31)  # no <published>: <updated>
    [item] = fourth.items
    assert (item.section, item.title) == ("Research", "Long context, cheaply")
    assert item.url == "https://example.com/long-context"
    assert item.text == "a recipe for extending context windows."


def test_feed_is_detected_by_its_head_without_an_extension(tmp_path):
    path = tmp_path / "feed"
    path.write_text((FIXTURES / "bits.atom").read_text(encoding="utf-8"), encoding="utf-8")
    assert detect_parser(read_source(path)).name == "feed"
    assert len(parse_path(path)) == 2


def test_malformed_xml_is_a_parse_error_with_the_reason(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><title>X</title><item></channel></rss>", encoding="utf-8")
    with pytest.raises(ParseError, match="malformed XML: mismatched tag"):
        parse_path(path)


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        ("<rss><channel><title>Empty</title></channel></rss>", "no entries"),
        ("<urlset><url><loc>https://example.com</loc></url></urlset>", "not an RSS or Atom feed"),
    ],
)
def test_feeds_without_entries_are_parse_errors(tmp_path, xml, reason):
    path = tmp_path / "feed.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(ParseError, match=reason):
        parse_path(path)
