"""Plain-text issues: the seed sample and both paragraph layouts."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.parsers import ParseError, parse_path, parse_source, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "text"


@pytest.fixture
def seed(shared_corpus) -> tuple[Path, list[str]]:
    path = shared_corpus("corpus", "seed", "deep-learning-weekly-214.txt")
    return path, [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.corpus
def test_seed_issue_metadata(seed):
    path, lines = seed
    [issue] = parse_path(path)
    assert issue.publication == "Deep Learning Weekly"
    assert issue.number == 214
    assert issue.title == lines[0]
    assert issue.summary == lines[2]
    assert issue.intro.startswith("Hey folks,")
    assert issue.intro.endswith("Until next week!")
    assert issue.date is None


@pytest.mark.corpus
def test_seed_has_exactly_its_20_items_with_sections(seed):
    path, _ = seed
    [issue] = parse_path(path)
    sections = [item.section for item in issue.items]
    assert len(issue.items) == 20
    assert sections[:6] == [None] * 6
    assert sections[6:10] == ["Mobile & Edge"] * 4
    assert sections[10:15] == [None] * 5  # a double blank line closed "Mobile & Edge"
    assert sections[15:18] == ["Libraries & Code"] * 3
    assert sections[18:20] == ["Papers & Publications"] * 2


@pytest.mark.corpus
def test_seed_titles_are_verbatim_lines_and_every_line_is_accounted_for(seed):
    path, lines = seed
    [issue] = parse_path(path)
    body = [" ".join(line.split()) for line in lines[lines.index("Until next week!") + 1 :] if line]
    titles = [item.title for item in issue.items]
    assert titles == [line for line in body if line in titles]  # verbatim, in file order
    paragraphs = {p for item in issue.items for p in item.text.split("\n\n")}
    leftovers = [line for line in body if line not in titles and line not in paragraphs]
    assert leftovers == ["Mobile & Edge", "Libraries & Code", "Papers & Publications", body[-1]]
    assert body[-1].endswith(" by")  # the trailing "guest post" fragment is dropped
    assert all(item.text and "\n\n" not in item.text for item in issue.items)
    assert all(item.url is None for item in issue.items)


def test_single_line_break_layout_with_issue_n_form():
    [issue] = parse_path(FIXTURES / "tensor-tidings-396.txt")
    assert (issue.publication, issue.number) == ("Tensor Tidings", 396)
    assert issue.title == "Tensor Tidings: Issue 396"
    assert issue.summary.startswith("Sparse experts on a laptop")
    assert issue.intro.split("\n\n")[0] == "Hey folks,"
    assert issue.intro.endswith("Until next week!")
    assert [(i.section, i.title) for i in issue.items] == [
        ("Industry", "Open Lab Releases Pocket-MoE"),
        ("Industry", "Chipmaker Quarterly Shows Accelerator Demand"),
        ("Mobile & Edge", "Running Speech Recognition on a Watch"),
        ("MLOps & LLMOps", "A Field Guide to Quantization in Production"),
        ("MLOps & LLMOps", "Tiny Agents Benchmark"),
    ]


def test_two_description_paragraphs_stay_with_their_item():
    [issue] = parse_path(FIXTURES / "tensor-tidings-396.txt")
    first = issue.items[0].text.split("\n\n")
    assert len(first) == 2 and first[1].startswith("The model card")
    [older] = parse_path(FIXTURES / "tensor-tidings-140.txt")
    labeling = next(i for i in older.items if i.title == "Labeling Data at Scale")
    assert labeling.text.count("\n\n") == 1


def test_blank_line_layout_without_intro():
    [issue] = parse_path(FIXTURES / "tensor-tidings-140.txt")
    assert (issue.publication, issue.number) == ("Tensor Tidings", 140)
    assert issue.intro == ""
    assert issue.summary.startswith("Graph models for weather")
    assert [i.section for i in issue.items] == [
        None, None, "Libraries & Code", "Papers & Publications", "Papers & Publications"
    ]


def test_hard_wrapped_paragraph_is_joined():
    [issue] = parse_path(FIXTURES / "tensor-tidings-140.txt")
    weather = issue.items[0]
    assert "\n" not in weather.text
    assert "reports forecasts that beat" in weather.text


def test_abstract_after_double_blank_line_attaches_to_its_title():
    [issue] = parse_path(FIXTURES / "tensor-tidings-140.txt")
    papers = [i for i in issue.items if i.section == "Papers & Publications"]
    assert [p.title for p in papers] == ["Adaptive Step Sizes Revisited", "Sparse Attention without Tears"]
    assert papers[0].text.startswith("We revisit adaptive step-size methods")
    assert papers[1].text.startswith("We propose a sparse attention pattern")
    assert issue.items[-1].title != "A guest post by"


def test_unknown_heading_is_detected_by_structure(tmp_path):
    path = tmp_path / "digest-9.txt"
    path.write_text(
        "Model Digest: Issue #9\n\nA quick one this week\n\n"
        "Spotlight Corner\n\nA Robot That Folds Laundry\n\nA lab shows a robot folding towels.\n\n"
        "Faster Tokenizers\n\nA tokenizer rewritten in Rust is ten times faster.\n",
        encoding="utf-8",
    )
    [issue] = parse_path(path)
    assert [(i.section, i.title) for i in issue.items] == [
        ("Spotlight Corner", "A Robot That Folds Laundry"),
        ("Spotlight Corner", "Faster Tokenizers"),
    ]


def test_mobile_plus_edge_heading_is_normalized(tmp_path):
    path = tmp_path / "digest-10.txt"
    path.write_text(
        "Model Digest: Issue #10\nSmall things\nMOBILE + EDGE:\nA Phone Runs a 3B Model\n"
        "A phone maker demonstrates a three-billion-parameter model running offline.\n",
        encoding="utf-8",
    )
    [issue] = parse_path(path)
    assert issue.items[0].section == "Mobile & Edge"


def test_publication_falls_back_to_hint(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Weekly notes #3\n\nAn Item Title\n\nThe item's description.\n", encoding="utf-8")
    [issue] = parse_source(read_source(path, publication_hint="Team Notes"))
    assert (issue.publication, issue.number) == ("Team Notes", 3)
    assert issue.items[0].title == "An Item Title"


def test_text_without_items_is_a_parse_error(tmp_path):
    path = tmp_path / "empty-ish.txt"
    path.write_text("Just a title line\n", encoding="utf-8")
    with pytest.raises(ParseError, match="no items"):
        parse_path(path)


def test_titles_may_start_with_a_lower_case_brand(tmp_path):
    path = tmp_path / "digest-11.txt"
    path.write_text(
        "Model Digest: Issue 11\nServing news\nHey folks,\nShort one.\nUntil next week!\n"
        "Libraries & Code\nvLLM 0.9 released\nThe release brings a faster scheduler and prefix caching.\n"
        "iPhone models get a new on-device runtime\nA runtime for small models ships with the phone.\n"
        "Learning\nscikit-learn 1.7 tutorial\nA tour of what is new in the release, with examples.\n",
        encoding="utf-8",
    )
    [issue] = parse_path(path)
    assert [(i.section, i.title) for i in issue.items] == [
        ("Libraries & Code", "vLLM 0.9 released"),
        ("Libraries & Code", "iPhone models get a new on-device runtime"),
        ("Learning", "scikit-learn 1.7 tutorial"),
    ]
