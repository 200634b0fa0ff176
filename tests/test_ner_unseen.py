"""Names the catalog has never seen, found and typed by rules (blank pipeline).

Each sentence is written for these tests in newsletter style; the expected list is every
entity (TOPICs aside) with its type, in order, so both a miss and a false positive fail.
"""
from __future__ import annotations

import pytest

from indexer.extract import Extractor, build_nlp
from kb.catalog import load_catalog


@pytest.fixture(scope="module")
def extractor():
    return Extractor(load_catalog(), batch_size=16)


def entities(extractor, text):
    return [(m.text, m.type) for m in extractor.extract_texts([text])[0] if m.type != "TOPIC"]


CASES = {
    "models": [
        ("Alibaba released Qwen3.6-27B, a dense model that beats Qwen3-32B on coding.",
         [("Alibaba", "ORG"), ("Qwen3.6-27B", "MODEL"), ("Qwen3-32B", "MODEL")]),
        ("Mamba-3 improves state-space models with a new recurrence.", [("Mamba-3", "MODEL")]),
        ("DeepSeek-R2 is rumoured to ship next month.", [("DeepSeek-R2", "MODEL")]),
        ("We fine-tuned Llama-3.3-70B-Instruct with LoRA adapters.",
         [("Llama-3.3-70B-Instruct", "MODEL"), ("LoRA", "MODEL")]),
        ("PixelFormer: A Transformer for Dense Prediction", [("PixelFormer", "MODEL")]),
        ("Google DeepMind unveiled Gemini 3 Pro and Veo 4.",
         [("Google DeepMind", "ORG"), ("Gemini 3 Pro", "MODEL"), ("Veo 4", "MODEL")]),
        ("Anthropic's Claude Opus 4.6 tops the leaderboard.", [("Anthropic", "ORG"), ("Claude Opus 4.6", "MODEL")]),
        ("Stable Diffusion 3.5 Large is now available with open weights.", [("Stable Diffusion 3.5 Large", "MODEL")]),
        ("PS-ViT and CrossViT were evaluated on ImageNet-1K.",
         [("PS-ViT", "MODEL"), ("CrossViT", "MODEL"), ("ImageNet-1K", "DATASET")]),
        ("Kimi K2 Thinking and MiniMax-M2 lead open-weight rankings.",
         [("Kimi K2 Thinking", "MODEL"), ("MiniMax-M2", "MODEL")]),
        ("Liquid AI, an MIT spin-off, launched LFM2 for phones.", [("Liquid AI", "ORG"), ("MIT", "ORG"), ("LFM2", "MODEL")]),
        ("In this paper we introduce a new model called HyperMixer for long documents.", [("HyperMixer", "MODEL")]),
    ],
    "hardware": [
        ("AMD's MI355X competes with NVIDIA's B300 on inference.",
         [("AMD", "ORG"), ("MI355X", "HARDWARE"), ("NVIDIA", "ORG"), ("B300", "HARDWARE")]),
        ("The cluster has 2,048 H200s and a few GB300 racks.", [("H200s", "HARDWARE"), ("GB300", "HARDWARE")]),
        ("Google announced TPU v7 pods for inference.", [("Google", "ORG"), ("TPU v7", "HARDWARE")]),
        ("Tesla's Dojo 2 chip is delayed again.", [("Tesla", "ORG"), ("Dojo 2", "HARDWARE")]),
        ("Cerebras unveiled the WSE-4 wafer-scale processor.", [("Cerebras", "ORG"), ("WSE-4", "HARDWARE")]),
        ("Apple's M5 chip brings a faster neural engine.", [("Apple", "ORG"), ("M5", "HARDWARE")]),
        ("Inside Meta's MTIA v2 accelerator.", [("Meta", "ORG"), ("MTIA v2", "HARDWARE")]),
    ],
    "organisations": [
        ("Why Tensors Matter\nBy Zorbit.\n\nA look at shapes.", [("Zorbit", "ORG")]),
        ("Serving Models\nBy Kerry Vantell (Quillbase).\n\nNotes.", [("Kerry Vantell", "PERSON"), ("Quillbase", "ORG")]),
        ("On Priors\nBy Zorbit (John Quint).\n\nNotes.", [("Zorbit", "ORG"), ("John Quint", "PERSON")]),
        ("Graphcore Research and the Stanford AI Lab released it.",
         [("Graphcore Research", "ORG"), ("Stanford AI Lab", "ORG")]),
        ("Sakana AI raised $100M from Lux Capital.", [("Sakana AI", "ORG"), ("Lux Capital", "ORG")]),
        ("Researchers at Tel Aviv University and the Weizmann Institute of Science released the data.",
         [("Tel Aviv University", "ORG"), ("Weizmann Institute of Science", "ORG")]),
        ("Hugging Face acquired Pollen Robotics last year.", [("Hugging Face", "ORG"), ("Pollen Robotics", "ORG")]),
        ("Sebastian Raschka, a researcher at Lightning AI, wrote a new guide.",
         [("Sebastian Raschka", "PERSON"), ("Lightning AI", "ORG")]),
        ("Databricks acquired MosaicML, a startup that trains models.", [("Databricks", "ORG"), ("MosaicML", "ORG")]),
        ("The Linux Foundation launched the Agentic AI Foundation.",
         [("Linux Foundation", "ORG"), ("Agentic AI Foundation", "ORG")]),
        ("A great new article from DataTalksHub on feature stores.", [("DataTalksHub", "ORG")]),
        ("Jina AI released an embedding model under Apache 2.0.", [("Jina AI", "ORG")]),
    ],
    "people": [
        ("In this interview, Omar Sanseviero explains how open models are shared.", [("Omar Sanseviero", "PERSON")]),
        ("Soumith Chintala and Yangqing Jia created popular frameworks.",
         [("Soumith Chintala", "PERSON"), ("Yangqing Jia", "PERSON")]),
        ("A talk by Dr. Priya Natarajan on cosmology and machine learning.", [("Priya Natarajan", "PERSON")]),
        ("OpenAI CEO Sam Altman and Nvidia's Jensen Huang spoke at GTC 2025.",
         [("OpenAI", "ORG"), ("Sam Altman", "PERSON"), ("Nvidia", "ORG"), ("Jensen Huang", "PERSON"),
          ("GTC 2025", "EVENT")]),
        ("Tri Dao and Albert Gu proposed Mamba in 2023.",
         [("Tri Dao", "PERSON"), ("Albert Gu", "PERSON"), ("Mamba", "MODEL")]),
        ("Acme Robotics CTO Wendell Okafor walks through the stack. Later, Okafor compares runtimes.",
         [("Acme Robotics", "ORG"), ("Wendell Okafor", "PERSON"), ("Okafor", "PERSON")]),
    ],
    "datasets": [
        ("We evaluate on the LongBench-v2 benchmark and on GSM8K.", [("LongBench-v2", "DATASET"), ("GSM8K", "DATASET")]),
        ("Results on MMLU-Pro improved by four points.", [("MMLU-Pro", "DATASET")]),
        ("Released under a permissive license, the OpenWebMath corpus has 14.7B tokens.", [("OpenWebMath", "DATASET")]),
        ("HumanEval and LiveCodeBench show the gap between open and closed models.",
         [("HumanEval", "DATASET"), ("LiveCodeBench", "DATASET")]),
        ("It transfers to other datasets, such as Oxford Pets, Food-101 and Stanford Dogs.",
         [("Oxford Pets", "DATASET"), ("Food-101", "DATASET"), ("Stanford Dogs", "DATASET")]),
    ],
    "events": [
        ("See you at PyTorch Conference 2025 in San Francisco!", [("PyTorch Conference 2025", "EVENT")]),
        ("The Ray Summit keynotes are now online.", [("Ray Summit", "EVENT")]),
        ("Papers accepted at ICML 2026 and NeurIPS 2025 workshops.", [("ICML 2026", "EVENT"), ("NeurIPS 2025", "EVENT")]),
        ("Slides from ICLR19 and from ICLR2019 are online.", [("ICLR19", "EVENT"), ("ICLR2019", "EVENT")]),
        ("The ARC Prize 2025 winners were announced.", [("ARC Prize 2025", "EVENT")]),
        ("DataFest 2024 and JuliaCon 2025 tickets are on sale.", [("DataFest 2024", "EVENT"), ("JuliaCon 2025", "EVENT")]),
    ],
    "products": [
        ("We moved to TensorFlow 2.0 and Pytorch 1.1, then Python 3.12.",
         [("TensorFlow 2.0", "PRODUCT"), ("Pytorch 1.1", "PRODUCT"), ("Python 3.12", "PRODUCT")]),
        ("PyTorch 2.0 GB of checkpoints.", [("PyTorch", "PRODUCT")]),  # a size, not a release
        ("We compared PyTorch, TensorFlow and Tinygrad on small GPUs.",
         [("PyTorch", "PRODUCT"), ("TensorFlow", "PRODUCT"), ("Tinygrad", "PRODUCT")]),
        ("Marimo is a reactive notebook for Python.", [("Marimo", "PRODUCT"), ("Python", "PRODUCT")]),
        ("The team open-sourced Docling, a library for parsing PDFs.", [("Docling", "PRODUCT")]),
        ("LanceDB and ChromaDB both support hybrid search.", [("LanceDB", "PRODUCT"), ("ChromaDB", "PRODUCT")]),
        ("- [Outlines](https://github.com/x/outlines) - Structured generation for language models.",
         [("Outlines", "PRODUCT")]),
        ("The Go programming language now has a faster garbage collector.", [("Go", "PRODUCT")]),
        ("Mistral is a framework for training large models.", [("Mistral", "PRODUCT")]),
        ("Mistral is a framework for training large models, released by Hugging Face.",
         [("Mistral", "PRODUCT"), ("Hugging Face", "ORG")]),
    ],
    "acronyms": [
        ("We propose Sparse Mixture Adapters (SMA), which route tokens to experts; SMA is cheap.",
         [("Sparse Mixture Adapters", "MODEL"), ("SMA", "MODEL"), ("SMA", "MODEL")]),
        ("The Allen Institute for AI (Ai2) released OLMo 3 this week.",
         [("Allen Institute for AI", "ORG"), ("Ai2", "ORG"), ("OLMo 3", "MODEL")]),
        ("The Center for AI Safety (CAIS) published a statement; CAIS also runs a course.",
         [("Center for AI Safety", "ORG"), ("CAIS", "ORG"), ("CAIS", "ORG")]),
    ],
}


@pytest.mark.parametrize(
    "text, expected",
    [pytest.param(text, expected, id=f"{kind}-{i}") for kind, cases in CASES.items() for i, (text, expected) in enumerate(cases)],
)
def test_unseen_names(extractor, text, expected):
    assert entities(extractor, text) == expected


def test_a_product_named_after_its_company_is_a_product(extractor):
    assert entities(extractor, "Apple Intelligence summarises mail.") == [("Apple Intelligence", "PRODUCT")]
    assert entities(extractor, "Apple Scribe summarises mail.") == [("Apple Scribe", "PRODUCT")]  # listed nowhere


def test_rules_can_be_switched_off(extractor):
    catalog = load_catalog()
    plain = Extractor(catalog, nlp=build_nlp(catalog, rules=False))
    text = "Alibaba released Qwen3.6-27B."
    assert [m.text for m in plain.extract_texts([text])[0]] == ["Alibaba"]
    assert [(m.text, m.entity_id) for m in extractor.extract_texts([text])[0]] == [
        ("Alibaba", "alibaba"), ("Qwen3.6-27B", "new:qwen3.6-27b")]
