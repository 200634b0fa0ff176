"""How a query is read into concepts (kb/plan.py), before any backend sees it."""
from __future__ import annotations

import pytest

from kb.plan import MAX_CONCEPTS, min_match, plan_query
from kb.query import SearchQuery


def kinds(text: str, **kw) -> list[list[tuple[str, tuple[str, ...], str]]]:
    plan = plan_query(SearchQuery(text, **kw))
    return [[(a.kind, a.tokens, a.value) for a in c.alternatives] for c in plan.concepts]


@pytest.mark.parametrize("n, needed", [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (8, 5)])
def test_min_match_rule(n, needed):
    assert min_match(n) == needed


def test_words_match_by_stem_and_keep_the_typed_form():
    plan = plan_query(SearchQuery("GPUs"))
    (alt,) = plan.concepts[0].alternatives
    assert (alt.kind, alt.tokens, alt.exact) == ("stems", ("gpu",), ("gpus",))


def test_question_words_are_not_concepts():
    assert kinds("what is RAG") == kinds("RAG")
    assert [c.label for c in plan_query(SearchQuery("how do I fine-tune llama 3")).concepts] == ["fine-tune", "llama", "3"]


def test_a_query_of_stop_words_only_keeps_them():
    assert len(plan_query(SearchQuery("the who")).concepts) == 2


def test_phrases_keep_stop_words_and_exact_forms():
    assert kinds('"state of the art"') == [[("words", ("state", "of", "the", "art"), "")]]


def test_or_exclusion_and_required():
    plan = plan_query(SearchQuery("pytorch OR tensorflow -tutorial +serving"))
    assert [len(c.alternatives) for c in plan.concepts] == [2, 1]
    assert [c.required for c in plan.concepts] == [False, True]
    assert plan.min_match == 0  # with a required word the others only rank
    assert [a.tokens for a in plan.excluded] == [("tutori",)]


def test_a_catalog_name_becomes_one_concept_with_its_entity():
    plan = plan_query(SearchQuery("Meta's Llama3 weights", known_names=(("llama3", "llama-3"),)))
    assert plan.concepts[1].entity_ids == ("llama-3",)
    assert plan.linked == (("Llama3", "llama-3"),)
    assert plan_query(SearchQuery("Llama3", known_names=(("llama3", "llama-3"),), literal=True)).linked == ()


def test_a_multi_word_name_relaxes_into_its_words():
    plan = plan_query(SearchQuery("pytorch lightning", known_names=(("pytorchlightn", "pytorch-lightning"),)))
    assert len(plan.concepts) == 1 and plan.can_relax
    assert [c.label for c in plan.relaxed().concepts] == ["pytorch lightning", "pytorch", "lightning"]
    assert plan.relaxed().min_match == 1


def test_two_words_also_match_as_one():
    easy, ocr = kinds("easy ocr")
    assert ("stems", ("easyocr",), "") in easy and ("stems", ("easyocr",), "") in ocr


@pytest.mark.parametrize("pasted", ["https://example.org/a?utm_source=x", "www.example.org/a/", "example.org/a"])
def test_a_pasted_link_is_one_url_concept(pasted):
    assert kinds(pasted) == [[("url", (), "https://example.org/a")]]


def test_very_long_queries_are_capped():
    assert len(plan_query(SearchQuery(" ".join(f"w{i}" for i in range(500)))).concepts) == MAX_CONCEPTS


def test_a_word_typed_again_is_one_concept_whatever_its_case():
    plan = plan_query(SearchQuery("learning Learning learning LEARNING rate"))
    assert [c.label for c in plan.concepts] == ["learning", "rate"]
    assert len(plan_query(SearchQuery(" OR ".join(["model"] * 16))).concepts[0].alternatives) == 1
