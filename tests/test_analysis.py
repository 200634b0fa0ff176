"""Words and stems, made once in Python for both backends (kb/analysis.py)."""
from __future__ import annotations

import pytest

from kb.analysis import is_stopword, name_key, stem, tokenize, words


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tesla's D1 chip", ["tesla", "d1", "chip"]),  # the possessive goes
        ("Tesla’s Dojo", ["tesla", "dojo"]),
        ("GPT-4o and GPT-4", ["gpt", "4o", "and", "gpt", "4"]),
        ("Café Déjà-vu", ["cafe", "deja", "vu"]),  # accents fold, as FTS5's unicode61
        ("don't stop", ["don", "t", "stop"]),
        ("snake_case words", ["snake", "case", "words"]),
        ("机器学习 ML", ["机", "器", "学", "习", "ml"]),  # one token per Han character
        ("", []),
    ],
)
def test_words(text, expected):
    assert words(text) == expected
    assert tokenize(text)[0] == expected  # the ASCII fast path and the general path agree


def test_offsets_point_into_the_original_text():
    text = "Déjà vu: Tesla's chips"
    found, spans = tokenize(text)
    assert [text[a:b] for a, b in spans] == ["Déjà", "vu", "Tesla", "chips"]
    assert found == ["deja", "vu", "tesla", "chips"]


@pytest.mark.parametrize(
    "plural, singular",
    [("gpus", "gpu"), ("llms", "llm"), ("cnns", "cnn"), ("h100s", "h100"), ("embeddings", "embedding"),
     ("transformers", "transformer"), ("models", "model"), ("apis", "api"), ("gans", "gan")],
)
def test_plurals_fold_acronyms_and_model_numbers_included(plural, singular):
    assert stem(plural) == stem(singular)


@pytest.mark.parametrize("word", ["relu", "pytorch", "h100", "4o", "news", "plus", "thus", "status"])
def test_names_and_invariant_words_keep_their_form(word):
    assert stem(word) == word


def test_different_model_numbers_stay_apart():
    assert stem("4o") != stem("4") and stem("sparsify") != stem("sparsity")


@pytest.mark.parametrize("spelling", ["Llama 3", "llama-3", "Llama3", "LLaMA 3's", "llama 3"])
def test_every_spelling_of_a_name_has_one_key(spelling):
    assert name_key(spelling) == "llama3"


def test_plural_names_share_the_key():
    assert name_key("LLMs") == name_key("LLM") == "llm"


def test_stop_words_and_acronyms():
    assert is_stopword("what") and is_stopword("is") and is_stopword("should")
    assert not is_stopword("RAG") and not is_stopword("GPU")
    assert not is_stopword("IT") and not is_stopword("US")  # typed in capitals: an acronym
    assert is_stopword("it") and is_stopword("us")
