"""What a search reads of its text: control characters as spaces, a bounded length and number
of words, and a sentence when something was left out (`kb.query.bounded_query`)."""
from __future__ import annotations

from kb.query import MAX_QUERY_CHARS, MAX_QUERY_TERMS, And, bounded_query, parse_query


def test_a_usual_query_is_read_whole_with_no_notice():
    assert bounded_query('gpu "language model" -tesla') == ('gpu "language model" -tesla', None)


def test_control_characters_become_spaces():
    assert bounded_query("a\x00b\x1bc\x7fd\x85e") == ("a b c d e", None)
    assert parse_query("dojo\x00") == parse_query("dojo")


def test_only_the_first_words_are_read_and_a_phrase_counts_as_one():
    words = [f"w{n}" for n in range(MAX_QUERY_TERMS + 10)]
    text, note = bounded_query('"a long phrase of words" ' + " ".join(words))
    assert text == '"a long phrase of words" ' + " ".join(words[: MAX_QUERY_TERMS - 1])
    assert note == f"The query was too long: searched its first {MAX_QUERY_TERMS} words."


def test_a_huge_text_is_cut_to_its_first_characters():
    text, note = bounded_query("x" * 100_000)
    assert len(text) == MAX_QUERY_CHARS and note and "characters" in note


def test_the_parser_reads_only_the_bounded_text_whoever_calls_it():
    node = parse_query(" ".join(f"w{n}" for n in range(5000)))
    assert isinstance(node, And) and len(node.parts) == MAX_QUERY_TERMS


def test_a_page_beyond_the_result_window_is_moved_inside_it_and_said_so():
    from kb.query import MAX_PAGE_SIZE, MAX_RESULT_WINDOW, SearchQuery, bounded_page

    usual = SearchQuery("a", limit=20, offset=40)
    assert bounded_page(usual) == (usual, None)
    moved, note = bounded_page(SearchQuery("a", limit=20, offset=10**30))
    assert (moved.offset, moved.limit) == (MAX_RESULT_WINDOW - 20, 20) and "10,000" in note
    moved, note = bounded_page(SearchQuery("a", limit=10**9, offset=-5))
    assert (moved.offset, moved.limit) == (0, MAX_PAGE_SIZE) and note


def test_issue_bounds_no_store_can_compare_become_the_widest_it_can():
    from kb.query import Filters

    wide = Filters(issue_from=10**30, issue_to=-(10**30))
    assert wide.issue_from == 2**31 - 1 and wide.issue_to == -(2**31 - 1)
    assert Filters(issue_from=5, issue_to=7) == Filters(issue_from=5, issue_to=7)
