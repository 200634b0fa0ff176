"""One key per link: the editors' "was this covered already?" check depends on it."""
from __future__ import annotations

import pytest

from kb.urls import normalize_url, url_keys

SAME = "https://example.org/posts/Jurassic"


@pytest.mark.parametrize(
    "written",
    [
        "https://example.org/posts/Jurassic",
        "http://example.org/posts/Jurassic",
        "HTTPS://WWW.EXAMPLE.ORG/posts/Jurassic/",
        "https://example.org/posts/Jurassic#comments",
        "https://example.org/posts/Jurassic?utm_source=newsletter&utm_medium=email",
        "https://example.org/posts/Jurassic/?fbclid=abc&gclid=def&mc_cid=1",
        "https://example.org:443/posts/Jurassic",
        "  example.org/posts/Jurassic  ",
        "www.example.org/posts/Jurassic",
    ],
)
def test_the_same_link_written_differently_has_one_key(written):
    assert normalize_url(written) == SAME


def test_what_changes_the_page_is_kept():
    assert normalize_url("https://example.org/posts/jurassic") != SAME, "paths are case-sensitive"
    assert normalize_url("https://example.org/watch?v=abc&utm_source=x") == "https://example.org/watch?v=abc"
    assert normalize_url("https://example.org/watch?b=2&a=1") == normalize_url("https://example.org/watch?a=1&b=2")
    assert normalize_url("http://example.org:8080/a") == "https://example.org:8080/a"
    assert normalize_url("https://blog.example.org/") == "https://blog.example.org"


def test_things_that_are_not_web_links_are_only_trimmed():
    assert normalize_url(" mailto:news@example.org ") == "mailto:news@example.org"
    assert normalize_url("see below") == "see below"


def test_an_items_keys_cover_its_link_and_the_links_in_its_text():
    assert url_keys("https://example.org/a/", ["http://www.example.org/a", "https://example.org/b", " "]) == [
        "https://example.org/a",
        "https://example.org/b",
    ]
    assert url_keys(None) == []
