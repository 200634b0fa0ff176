"""HTML issues: a generic platform export and the ML-articles archive."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.parsers import ParseError, parse_path

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def test_platform_export_metadata():
    [issue] = parse_path(FIXTURES / "platform-export.html")
    assert issue.publication == "The Gradient Gazette"  # og:site_name
    assert issue.number == 27
    assert issue.title == "Issue #27: Small models, big wins"
    assert issue.date == date(2024, 5, 17)
    assert issue.summary == "Small models, big wins, and a week of open datasets"
    assert issue.intro == "Welcome back! This week is all about small models."


def test_platform_export_sections_and_items():
    [issue] = parse_path(FIXTURES / "platform-export.html")
    assert [(i.section, i.title, i.url) for i in issue.items] == [
        ("Research", "Distillation keeps 98% of accuracy", "https://example.com/distill"),
        ("Research", "Sparse fine-tuning at home", "https://example.com/sparse"),
        ("Tools & Libraries", "TinyServe", "https://example.com/tinyserve"),
        ("Tools & Libraries", "EvalKit", "https://example.com/evalkit"),
        ("Datasets", "Open Speech 2", "https://example.com/speech"),
    ]


def test_platform_export_item_text_is_plain_and_footer_free():
    [issue] = parse_path(FIXTURES / "platform-export.html")
    texts = [i.text for i in issue.items]
    assert texts[0] == (
        "A new study distils a large model into one ten times smaller.\n\nThe authors release their code."
    )
    assert texts[1] == "Fine-tune a 7B model on one consumer GPU."  # blockquote
    assert texts[2] == "a model server that fits on a Raspberry Pi."  # bold lead and dash removed
    assert texts[3] == "run evaluation suites from the command line."  # <br> is a space
    assert not any("Unsubscribe" in t or "©" in t for t in texts)


def test_byline_heading_starts_the_item_text(tmp_path):
    path = tmp_path / "week_012.html"
    path.write_text(
        "<html><body><p><time datetime='2019-03-01'>1 March 2019</time></p><h2>Vision</h2>"
        "<div><h5><b><a href='https://example.com/p'>A Paper</a></b></h5>"
        "<h6><span class='badge'>Recommended</span> Some Lab</h6><p>Why it matters.</p></div>"
        "</body></html>",
        encoding="utf-8",
    )
    [issue] = parse_path(path)
    assert issue.number == 12  # from the file name
    assert issue.date == date(2019, 3, 1)
    [item] = issue.items
    assert (item.section, item.title, item.text) == ("Vision", "A Paper", "By Some Lab.\n\nWhy it matters.")


def test_page_without_items_is_a_parse_error(tmp_path):
    path = tmp_path / "about.html"
    path.write_text("<html><body><h1>About</h1><p>Nothing to see.</p></body></html>", encoding="utf-8")
    with pytest.raises(ParseError, match="no items"):
        parse_path(path)


@pytest.fixture
def articles(shared_corpus) -> Path:
    return shared_corpus("corpus", "ml-articles-weekly")


@pytest.mark.corpus
def test_whole_html_archive_parses_with_items(articles):
    with (articles / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        manifest = {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}
    files = sorted(articles.glob("*.html"))
    assert len(files) == len(manifest)
    for path in files:
        [issue] = parse_path(path, publication_hint="ML Articles of the Week")
        assert issue.publication == "ML Articles of the Week"
        assert issue.number == int(manifest[path.name]["issue_number"])
        assert issue.items, path.name
        assert all(item.section for item in issue.items)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["week_005.html", "week_035.html", "week_062.html"])
def test_html_items_match_the_article_blocks(articles, name):
    path = articles / name
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    expected = [" ".join(h.get_text().split()) for h in soup.select("div.article h5.article-title")]
    [issue] = parse_path(path)
    assert [i.title for i in issue.items] == [title for title in expected if title]
    authors = [" ".join(h.get_text().split()) for h in soup.select("div.article h6")]
    assert sum(i.text.startswith("By ") for i in issue.items) == sum(
        1 for a in authors if a and a != "Recommended"
    )
