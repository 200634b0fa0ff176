"""Catalog entries win, longer names win, generic heads and possessives stay out, one id per name."""
from __future__ import annotations

import pytest

from indexer.extract import Extractor
from indexer.ner.resolve import candidate_id, choose, normalise
from indexer.ner.spans import CATALOG, MEDIUM, STRONG, Candidate
from kb.catalog import load_catalog
from kb.models import CANDIDATE_PREFIX


@pytest.fixture(scope="module")
def extractor():
    return Extractor(load_catalog(), batch_size=16)


def found(extractor, text):
    return [(m.text, m.type, m.entity_id) for m in extractor.extract_texts([text])[0] if m.type != "TOPIC"]


# --------------------------------------------------------------------------- precedence


def test_catalog_type_and_id_win_over_rule_guesses(extractor):
    # "Cohere" has a rule-looking context ("the X model") but the catalog says ORG
    assert found(extractor, "Cohere released a model.") == [("Cohere", "ORG", "cohere")]
    assert found(extractor, "GPT-4o is fast.") == [("GPT-4o", "MODEL", "gpt-4o")]


def test_a_known_event_with_its_year_keeps_the_catalog_id(extractor):
    assert found(extractor, "Accepted at CVPR 2019.") == [("CVPR 2019", "EVENT", "cvpr")]
    assert found(extractor, "Held before ECCV 2018 started.") == [("ECCV 2018", "EVENT", "eccv")]


def test_a_known_event_plus_a_generic_head_is_just_the_event(extractor):
    assert found(extractor, "Talks from the KubeCon Conference are online.") == [("KubeCon", "EVENT", "kubecon")]


def test_longer_version_beats_the_catalog_family(extractor):
    got = found(extractor, "Llama 4 Scout fits on one GPU, unlike Llama 4.")
    assert got == [("Llama 4 Scout", "MODEL", "new:llama-4-scout"), ("Llama 4", "MODEL", "llama-4")]


def test_hyphenated_extension_of_a_known_name(extractor):
    assert found(extractor, "They ship DuckDB-WASM in the browser.") == [
        ("DuckDB-WASM", "PRODUCT", "new:duckdb-wasm")]


def test_possessives_and_generic_heads_are_left_out(extractor):
    assert found(extractor, "Tesla’s D1 Dojo chip") == [("Tesla", "ORG", "tesla"), ("D1 Dojo", "HARDWARE", "d1-dojo")]
    assert found(extractor, "Announcing Jurassic-1 Language Models") == [("Jurassic-1", "MODEL", "jurassic-1")]
    assert found(extractor, "The Oxford Flowers dataset is small.") == [
        ("Oxford Flowers", "DATASET", "new:oxford-flowers")]


def test_vendor_prefix_alias_is_split_into_company_and_chip(extractor):
    assert found(extractor, "It fits on a single NVIDIA H100 GPU.") == [
        ("NVIDIA", "ORG", "nvidia"), ("H100", "HARDWARE", "h100")]


def test_case_mismatched_multiword_alias_falls_back_to_the_shorter_name(extractor):
    assert found(extractor, "A study from Microsoft research on data.") == [("Microsoft", "ORG", "microsoft")]
    assert found(extractor, "Examples in Jupyter notebooks.") == [("Jupyter", "PRODUCT", "jupyter")]


def test_role_in_the_sentence_retypes_a_known_name(extractor):
    assert found(extractor, "Mistral: a framework for transparent training") == [
        ("Mistral", "PRODUCT", "stanford-mistral")]


def test_choose_prefers_catalog_then_strong_containing_rules():
    catalog = [Candidate(0, 8, "ORG", CATALOG, "stanford")]
    weak = Candidate(0, 13, "DATASET", MEDIUM, None)
    strong = Candidate(0, 13, "DATASET", STRONG, None)
    partial = Candidate(4, 20, "MODEL", STRONG, None)
    assert choose(catalog, [weak]) == catalog
    assert choose(catalog, [strong]) == [strong]
    assert choose(catalog, [partial]) == catalog


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize("spelling", ["Qwen3.6-27B", "Qwen3.6-27B's", "qwen3.6-27b", "Qwen3.6-27B’s"])
def test_spellings_of_one_new_name_share_one_id(spelling):
    assert candidate_id(spelling, "MODEL") == "new:qwen3.6-27b"


def test_candidate_ids_use_the_project_prefix():
    assert candidate_id("Sakana AI", "ORG").startswith(CANDIDATE_PREFIX)
    assert normalise("A100s", "HARDWARE") == "A100"
    assert normalise("NCPs", "MODEL") == "NCPs"  # only hardware plurals are folded


def test_repeats_in_one_text_get_the_same_id_even_in_lower_case(extractor):
    got = found(extractor, "Qwen3.6-27B's context window is long; qwen3.6-27b also runs locally.")
    assert got == [("Qwen3.6-27B", "MODEL", "new:qwen3.6-27b"), ("qwen3.6-27b", "MODEL", "new:qwen3.6-27b")]


def test_unseen_hardware_plural_and_singular_share_an_id(extractor):
    ids = {i for _, _, i in found(extractor, "We rented MI355X chips; four MI355Xs were enough.")}
    assert ids == {"new:mi355x"}


def test_acronym_and_long_form_share_an_id(extractor):
    got = found(extractor, "We propose noise contrastive priors (NCPs). NCPs are cheap.")
    assert [t for _, t, _ in got] == ["MODEL"] * 3
    assert len({i for _, _, i in got}) == 1


def test_a_persons_given_name_later_is_the_same_person(extractor):
    got = found(extractor, "A chat with spaCy co-creator Ines Montani. Ines explains the roadmap.")
    assert ("Ines", "PERSON", "new:ines-montani") in got
    assert ("Ines Montani", "PERSON", "new:ines-montani") in got
