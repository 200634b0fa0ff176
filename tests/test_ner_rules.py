"""The rule modules one by one: spelling, context, acronyms, families, lists, headlines."""
from __future__ import annotations

import pytest

from indexer.ner import context as ctx
from indexer.ner.acronyms import find_definitions, long_form
from indexer.ner.chunks import find_chunks, org_event_spans
from indexer.ner.families import FamilyRules, family_stems
from indexer.ner.lists import list_candidates
from indexer.ner.names import Unit
from indexer.ner.people import person_windows
from indexer.ner.shapes import hardware_shape, is_shape_name, suffix_type
from indexer.ner.spans import sentence_initial, title_case_line
from kb.catalog import load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("word", ["WikiChat", "HyperLogLog", "TabICLv2", "NAS-FPN", "vLLM", "MI355X", "Mamba-3", "H100"])
def test_name_like_spellings(word):
    assert is_shape_name(word)


@pytest.mark.parametrize("word", ["AI-generated", "DevOps", "YoY", "COVID-19", "GPU-Level", "bf16", "L2", "SaaS", "modelsWhen"])
def test_ordinary_spellings(word):
    assert not is_shape_name(word)


@pytest.mark.parametrize(
    "name, type_",
    [("PonderNet", "MODEL"), ("DistilBERT", "MODEL"), ("CrossViT", "MODEL"), ("Longformer", "MODEL"),
     ("StyleGAN3", None), ("SWE-bench", "DATASET"), ("LiveCodeBench", "DATASET"), ("ImageNet-21K", "DATASET"),
     ("LanceDB", "PRODUCT"), ("Node.js", "PRODUCT"), ("JuliaCon", "EVENT"), ("StabilityAI", "ORG"),
     ("Fuyu-8B", "MODEL"), ("WikiChat", None)],
)
def test_suffix_types(name, type_):
    assert suffix_type(name) == type_


def test_hardware_numbers():
    assert hardware_shape("A100s") and hardware_shape("GB200") and hardware_shape("MI300X")
    assert not hardware_shape("CIFAR10") and not hardware_shape("GPT4o")


def test_context_heads_and_definitions():
    text = "We used the Zorblax dataset. Quarkdb is a fast database. Fizzle, an AI startup, hired."
    assert ctx.head_after(text, text.index("Zorblax") + 7) == "DATASET"
    assert ctx.definition_after(text, text.index("Quarkdb") + 7) == "PRODUCT"
    assert ctx.definition_after(text, text.index("Fizzle") + 6) == "ORG"
    assert ctx.head_after(text, text.index("Fizzle") + 6) is None


def test_context_sources_roles_and_naming():
    text = "A new post from Blorp on caching. Zyx CEO spoke. A procedure called Quux helps."
    assert ctx.source_before(text, text.index("Blorp"))
    assert ctx.role_after(text, text.index("Zyx") + 3)
    assert ctx.naming_before(text, text.index("Quux")) == "MODEL"
    assert not ctx.source_before(text, text.index("Zyx"))


def test_schwartz_hearst_long_forms():
    assert long_form("CRFM", "the Center for Research on Foundation Models") == 4
    assert long_form("OctConv", "a novel Octave Convolution") == 8
    assert long_form("XYZ", "completely unrelated words") is None


def test_definitions_give_both_spans():
    text = "Stanford opened the Center for Research on Foundation Models (CRFM) this year."
    (d,) = find_definitions(text)
    assert (d.long_text(text), d.short_text(text)) == ("Center for Research on Foundation Models", "CRFM")
    assert find_definitions("results (see Table 2) and costs (USD)") == []


def test_family_stems_come_from_catalog_versions(catalog):
    stems = family_stems(catalog)
    assert stems["Llama"][0] == "MODEL" and stems["TPU"][0] == "HARDWARE" and "Opus" in stems
    assert "NVIDIA" not in stems  # an organisation is no model family


def test_family_members_and_event_years(catalog):
    rules = FamilyRules(catalog)
    text = "Gemma 4, Phi-5 and TPU v8 were shown at NeurIPS 2031 and ICLR31."
    assert [(text[c.start:c.end], c.type) for c in rules.families(text)] == [
        ("Gemma 4", "MODEL"), ("Phi-5", "MODEL"), ("TPU v8", "HARDWARE")]
    assert [(text[c.start:c.end], c.entity_id) for c in rules.event_years(text)] == [
        ("NeurIPS 2031", "neurips"), ("ICLR31", "iclr")]
    assert rules.families("GPT 2024 was a year.") == []


def test_org_and_event_suffixes_in_capitalised_runs():
    text = "Introducing Toyota Research Institute and the University of Toronto at Ray Summit 2024"
    spans = [(text[s:e], t) for c in find_chunks(text) for s, e, t, _ in org_event_spans(c, {})]
    assert spans == [("Toyota Research Institute", "ORG"), ("University of Toronto", "ORG"),
                     ("Ray Summit 2024", "EVENT")]


def test_person_windows_need_a_known_name_or_a_person_context():
    text = "Karen Smith and Progressive Sampling"  # a common given name, not one from an evaluation file
    (chunk,) = list(find_chunks(text))
    windows = person_windows(text, chunk.words[:2])
    assert [(text[s:e], ctx_) for s, e, ctx_ in windows] == [("Karen Smith", False)]
    assert person_windows(text, chunk.words[3:]) == []


def test_lists_share_the_type_of_their_known_members():
    text = "tools like Huggingface, Zorp and Seldon Core."
    units = [Unit(11, 22, "ORG", 5), Unit(24, 28, None, 0), Unit(33, 44, "PRODUCT", 5)]
    assert [(text[c.start:c.end], c.type) for c in list_candidates(text, units)] == [("Zorp", "PRODUCT")]
    text = "We met Ada Lovelace and Zorp."
    units = [Unit(7, 19, "PERSON", 5), Unit(24, 28, None, 0)]
    assert list_candidates(text, units) == []  # one capitalised word is not a person


def test_headlines_and_sentence_starts():
    assert title_case_line("Open Source Is Eating AI", 5)
    assert not title_case_line("The Linux Foundation launched a new foundation", 5)
    text = "Hello world. Flyte is here.\n- [Zed](x) and (Foo)"
    assert sentence_initial(text, text.index("Flyte")) and sentence_initial(text, text.index("Zed"))
    assert not sentence_initial(text, text.index("world")) and not sentence_initial(text, text.index("Foo"))


def test_names_stop_at_line_breaks_and_leave_the_full_stop():
    from indexer.ner.spans import clean_span

    text = "It runs on Zorp-Lite.\nVexa Labs\nmade it. Acme Inc. too."
    zorp, vexa, acme = text.index("Zorp"), text.index("Vexa"), text.index("Acme")
    assert text[slice(*clean_span(text, zorp, vexa))] == "Zorp-Lite"  # no full stop, no break
    assert text[slice(*clean_span(text, vexa, vexa + 12))] == "Vexa Labs"  # not across the line break
    assert text[slice(*clean_span(text, vexa - 1, vexa + 9))] == "Vexa Labs"  # nor from the one before
    assert text[slice(*clean_span(text, acme, acme + 9))] == "Acme Inc."  # an abbreviation keeps its dot


def test_extracted_names_never_end_in_the_sentence_full_stop():
    from indexer.extract import Extractor
    from kb.catalog import load_catalog

    extractor = Extractor(load_catalog())
    text = "The app runs on Tensorflow-Lite.\nNext: Quibble Engine, a database."
    [mentions] = extractor.extract_texts([text])
    assert all(not text[m.start:m.end].endswith(".") and "\n" not in text[m.start:m.end] for m in mentions)
    assert "Tensorflow-Lite" in {text[m.start:m.end] for m in mentions}


def test_span_overlaps_found_through_the_index_are_exactly_those_of_a_full_scan():
    """SpanIndex.overlapping looks only at spans starting within the longest span's length: it
    must find what comparing every span finds (nested, touching and long spans included)."""
    import random

    from indexer.ner.spans import Candidate, SpanIndex

    rng = random.Random(5)
    for _ in range(200):
        spans = [Candidate(s, s + rng.choice([1, 2, 5, 40]), "ORG", 3) for s in rng.sample(range(300), 25)]
        index = SpanIndex(spans)
        for _ in range(30):
            start = rng.randrange(0, 320)
            end = start + rng.randrange(1, 60)
            expected = sorted((c.start, c.end) for c in spans if c.overlaps(start, end))
            assert sorted((c.start, c.end) for c in index.overlapping(start, end)) == expected
