"""Item detection on the shared block model (issue 9): each kind of link unit, sections,
and what is not an item. Small documents written for the test, one layout idea each."""
from __future__ import annotations

from indexer.parsers.html_blocks import html_blocks
from indexer.parsers.items import detect_items
from indexer.parsers.md_blocks import markdown_blocks
from indexer.parsers.rules import Rules


def items_of(markdown: str, rules: Rules = Rules()):
    return detect_items(markdown_blocks(markdown), rules).items


def test_link_bullets_under_a_heading_are_items_of_that_section():
    items = items_of(
        "Intro line for the week.\n\n## Tools\n\n"
        "* [Fast Tokenizer](https://example.com/tok) - tokenises fast\n"
        "* [Eval Kit](https://example.com/eval) - runs evals\n\n"
        "[Notebook Diff](https://example.com/nbdiff) - a paragraph led by its link\n"
    )
    assert [(i.title, i.url, i.section, i.text) for i in items] == [
        ("Fast Tokenizer", "https://example.com/tok", "Tools", "tokenises fast"),
        ("Eval Kit", "https://example.com/eval", "Tools", "runs evals"),
        ("Notebook Diff", "https://example.com/nbdiff", "Tools", "a paragraph led by its link"),
    ]


def test_one_story_per_heading_takes_its_link_from_the_bullets_below():
    [story] = items_of(
        "# A robot learns from one video\n\nA household robot imitates a task after one demonstration.\n\n"
        "* [Paper](https://arxiv.example.org/abs/1)\n* [Project page](https://example.com/robot)\n\n"
        "# Chips get export rules\n\nNew licence thresholds apply to inference cards this quarter.\n"
    )[:1]
    assert (story.title, story.url) == ("A robot learns from one video", "https://arxiv.example.org/abs/1")
    assert "- Paper" in story.text  # the related links stay with the story


def test_untitled_paragraphs_under_a_bold_line_end_in_their_link_or_a_source_line():
    items = items_of(
        "## News\n\n**On industry and research**\n\n"
        "Two labs agreed to share red-team findings before release. — [Link](https://example.com/pact)\n\n"
        "Open datasets for African languages doubled in a year.\n\n"
        "Source: [data.example.com](https://data.example.com/langs)\n"
    )
    assert [(i.title, i.url, i.section) for i in items] == [
        ("Two labs agreed to share red-team findings before release.", "https://example.com/pact",
         "News › On industry and research"),
        ("Open datasets for African languages doubled in a year.", "https://data.example.com/langs",
         "News › On industry and research"),
    ]


def test_a_heading_over_link_units_is_a_section_even_when_it_links():
    items = items_of(
        "### [Cargo](https://github.com/rust-lang/cargo/issues)\n\n"
        "* [feat: TOML 1.1](https://github.com/rust-lang/cargo/pull/1)\n"
        "* [fix: lockfile](https://github.com/rust-lang/cargo/pull/2)\n"
    )
    assert [(i.title, i.section) for i in items] == [("feat: TOML 1.1", "Cargo"), ("fix: lockfile", "Cargo")]


def test_a_linked_heading_over_prose_is_an_item_and_its_byline_is_text():
    items = detect_items(html_blocks(
        "<h2>Vision</h2><h5><a href='https://example.com/p'>A Paper</a></h5><h6>Some Lab</h6><p>Why it matters.</p>"
        "<h5><a href='https://example.com/q'>Another</a></h5><h6>Other Lab</h6><p>More.</p>"
    )).items
    assert [(i.title, i.section, i.text) for i in items] == [
        ("A Paper", "Vision", "By Some Lab.\n\nWhy it matters."),
        ("Another", "Vision", "By Other Lab.\n\nMore."),
    ]


def test_contents_list_of_in_page_anchors_and_share_lines_are_not_items():
    items = items_of(
        "## In this issue\n\n* [Story one](#story-one)\n* [Story two](#story-two)\n\n"
        "## [Story one](https://example.com/1)\n\nText one about the first story.\n\n"
        "## [Story two](https://example.com/2)\n\nText two about the second story.\n\n"
        "Unsubscribe from this newsletter at any time.\n"
    )
    assert [i.title for i in items] == ["Story one", "Story two"]


def test_bare_contents_list_ahead_of_item_headings_is_dropped_and_announcements_become_intro():
    detected = detect_items(markdown_blocks(
        "## New release!\n\nWe released a library this week and we are proud of it, read all about it.\n\n"
        "More words about the release so that it reads as a story.\n\n"
        "## This week\n\n- Story [one](https://example.com/1)\n- Story [two](https://example.com/2)\n"
        "- Story [three](https://example.com/3)\n\n"
        "## [Story one](https://example.com/1)\n\nOne.\n\n## [Story two](https://example.com/2)\n\nTwo.\n\n"
        "## [Story three](https://example.com/3)\n\nThree.\n"
    ))
    assert [i.title for i in detected.items] == ["Story one", "Story two", "Story three"]
    assert detected.intro[-1].startswith("New release!")


def test_a_sentence_listing_links_gives_one_item_per_link():
    items = items_of(
        "## New versions\n\nThe following packages were updated: [alpha](https://docs.example.org/alpha) "
        "([`v1.0`](https://github.com/x/alpha/releases/v1.0)), [beta](https://docs.example.org/beta) "
        "([`2.1`](https://github.com/x/beta/releases/2.1)) and [gamma](https://docs.example.org/gamma).\n"
    )
    assert [(i.title, i.url) for i in items] == [
        ("alpha", "https://docs.example.org/alpha"),
        ("beta", "https://docs.example.org/beta"),
        ("gamma", "https://docs.example.org/gamma"),
    ]


def test_numbered_headline_paragraphs_and_labels_that_share_a_link():
    items = items_of(
        "**[🦄 Articles](https://weekly.example.com)**\n\n① 探秘 CPython 3.14 远程调试\n\n② 深入解释器\n\n"
        "**[🐿️ Projects](https://weekly.example.com)**\n\n1、[GamingAgent：游戏智能体](https://github.com/x/agent)\n\n"
        "旨在提供一个简易部署计算机运行智能体的解决方案。\n"
    )
    assert [(i.title, i.section) for i in items] == [
        ("探秘 CPython 3.14 远程调试", "Articles"),  # emoji are decoration in section names
        ("深入解释器", "Articles"),
        ("GamingAgent：游戏智能体", "Projects"),
    ]
    assert items[-1].text.startswith("旨在提供")


def test_event_line_over_its_own_link_is_one_item():
    [event] = detect_items(html_blocks(
        "<h3>Virtual</h3><ul><li>2026-01-07 | Virtual | <a href='https://example.com/group'>Indy Rust</a>"
        "<ul><li><a href='https://example.com/group/events/1'><strong>Indy.rs night</strong></a></li></ul></li></ul>"
    )).items
    assert (event.title, event.url, event.section) == ("Indy.rs night", "https://example.com/group/events/1", "Virtual")
    assert "Indy Rust" in event.text


def test_list_item_grouping_link_items_is_a_sub_section():
    items = items_of(
        "## Peer review\n\n* Two at 'approved':\n"
        "    * [karel](https://example.com/620), Learning programming with Karel.\n"
        "    * [optram](https://example.com/612), Soil moisture from satellites.\n"
    )
    assert [(i.title, i.section) for i in items] == [
        ("karel", "Peer review › Two at 'approved'"),
        ("optram", "Peer review › Two at 'approved'"),
    ]


def test_layout_rules_can_force_levels_and_ignore_blocks():
    import re

    text = "## Jobs\n\n* [Engineer at Lab](https://jobs.example.com/1)\n\n## Story\n\nShort.\n"
    assert [i.title for i in items_of(text)] == ["Engineer at Lab"]  # "Short." is too short for a story
    rules = Rules(ignore=(re.compile("^jobs$", re.I),), item_levels=(2,))
    assert [i.title for i in items_of(text, rules)] == ["Story"]


def test_every_decision_has_a_reason_for_explain():
    detected = detect_items(markdown_blocks("## Tools\n\n* [A](https://example.com/a) - thing\n"))
    assert [(d.kind, d.verdict) for d in detected.decisions] == [("h2", "section"), ("item", "item")]
    assert all(d.reason for d in detected.decisions)
