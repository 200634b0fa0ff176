"""Capitalised words that name nothing: titles, sentence starts, months, places, the newsletter."""
from __future__ import annotations

import pytest

from indexer.extract import Extractor
from kb.catalog import load_catalog


@pytest.fixture(scope="module")
def extractor():
    return Extractor(load_catalog(), batch_size=16)


@pytest.mark.parametrize(
    "text",
    [
        "The State of AI Report 2025 is out.",
        "Building Reliable Agents: Lessons From Production",
        "In March, Paris hosted a meetup on retrieval.",
        "Scaling Laws for Neural Language Models",
        "Why Data Quality Matters More Than Model Size",
        "Deep Learning Fundamentals - Part 3: Attention",
        "Yesterday, London and Berlin announced new AI rules.",
        "Open Source Is Eating AI",
        "Machine Learning Engineering Newsletter #250",
        "Responsible AI: Five Practical Steps For Teams",
        "Introducing Semantic Caching for LLM Apps",
        "Securing AI Systems: Defensive Strategies",
        "Commonly, the teacher is a high-capacity model.",
        "Foundation Models for Robotics are coming.",
        "Institute of Technology rankings were published on Monday.",
        "Software as a service (SaaS) is common; so is function as a service (FaaS).",
        "Read it on https://example.com/Some/Path/WithCamelCase and `SomeCodeName` too.",
        "Andrew Ng and Reproducibility in practice",
        "Deep, Skinny Neural Networks are not Universal Approximators",
        "It grew 20% YoY, and E2e tests pass on L2 and L3.",
        "Compression like MP3s and JPEGs, exported as PDFs.",
        "A survey of Text-to-Song and Image-to-image generation.",
        "Comparing Self-Rewarding LMs with Thinking LLMs.",
    ],
)
def test_no_entities(extractor, text):
    mentions = [(m.text, m.type) for m in extractor.extract_texts([text])[0] if m.type not in {"TOPIC"}]
    catalog_people = {("Andrew Ng", "PERSON")}
    assert [m for m in mentions if m not in catalog_people] == []


def test_title_case_headline_words_are_not_an_org_or_person(extractor):
    text = "Kompute Joins Linux Foundation\nThe project joins the Linux Foundation today."
    got = [(m.text, m.type) for m in extractor.extract_texts([text])[0] if m.type != "TOPIC"]
    assert ("Kompute Joins Linux Foundation", "ORG") not in got
    assert got.count(("Linux Foundation", "ORG")) == 2
