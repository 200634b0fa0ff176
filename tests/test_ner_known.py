"""Known names (issue 10): the name finder's list of the field's names by type, beyond the catalog."""
from __future__ import annotations

from indexer.ner.known import KNOWN_DIR, KnownNames, known_names
from indexer.ner.spans import CATALOG, Candidate
from indexer.ner.typer import TYPES, finder_candidates, own_features

LISTED = KnownNames([("Delta Lake", "PRODUCT"), ("scikit-learn", "PRODUCT"), ("Go", "PRODUCT"), ("C++", "PRODUCT"),
                     ("nginx", "PRODUCT"), ("Advent of Code", "EVENT"), ("Spark", "PRODUCT"), ("Spark", "ORG")])


def test_listed_names_are_found_as_written_and_as_whole_words():
    text = "Try scikit-learn, C++ and Go. The Advent of Code ran on Delta Lake behind nginx; see x.io/nginx, Gopher."
    assert [text[s:e] for s, e in LISTED.spans(text)] == ["scikit-learn", "C++", "Go", "Advent of Code", "Delta Lake",
                                                          "nginx"]
    assert LISTED.spans("let us go to the delta lake") == []  # spelt otherwise: not the listed name


def test_a_name_listed_under_two_types_gives_both():
    assert LISTED.types("Spark") == ("ORG+PRODUCT", "ORG+PRODUCT")
    assert LISTED.types("spark") == (None, "ORG+PRODUCT")
    assert LISTED.types("Zorbly") == (None, None)


def test_the_shipped_lists_are_typed_by_file_name_and_hold_no_duplicates():
    files = sorted(KNOWN_DIR.glob("*.txt"))
    assert {f.stem for f in files} <= set(TYPES) and len(files) >= 5
    for f in files:
        lines = f.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("#") and any("source:" in line for line in lines[:6]), f"{f.name}: no source note"
        names = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        assert len(names) == len(set(names)), f"{f.name}: duplicate names"
        assert all(len(n.split()) <= 4 for n in names), f"{f.name}: a name longer than four words"
    assert len(known_names()) > 3000


def test_the_finder_is_offered_listed_names_and_reads_that_they_are_listed():
    text = "The logs go through nginx and then to our Quandex cluster."
    offered = {text[c.start:c.end]: c.rule for c in finder_candidates(text, [])}
    assert offered.get("nginx") in {"known", "lower"} and "Quandex" in offered
    assert any(f.startswith("known=") and "PRODUCT" in f for f in own_features("nginx", {}, {}))
    assert not any(f.startswith("known") for f in own_features("Quandex", {}, {}))
    taken = [Candidate(text.index("nginx"), text.index("nginx") + 5, "PRODUCT", CATALOG, "nginx", "catalog")]
    assert "nginx" not in {text[c.start:c.end] for c in finder_candidates(text, taken)}  # taken: not offered again
