"""What a single word or name looks like, and the type its spelling alone suggests.

Why: most names the catalog has never seen still *look* like names: camel case
("HyperLogLog"), letters with digits ("TabICLv2", "H100"), capitals around a hyphen
("NAS-FPN"). Their suffix often tells the type ("-Net" models, "-Bench" benchmarks,
"-DB" databases). These checks are plain string tests on candidate words found by one
regex over the text, never a loop over every token.
"""
from __future__ import annotations

import re
from functools import lru_cache

from indexer.ner.lexicon import COMMON_WORDS, GENERIC_ACRONYMS, NON_ENTITY_NAMES, PLACES

__all__ = [
    "is_camel", "has_letter_digit", "is_acronym", "is_name_word", "is_person_word",
    "is_lower_compound", "is_shape_name", "suffix_type", "hardware_shape", "size_tag",
    "version_tag", "is_generic_name",
]

_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]{2}")
_LETTER_DIGIT = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]*[A-Z0-9]s?$")
_PERSON_WORD = re.compile(r"^(?:[A-Z][a-z]+|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|(?:De|Di|Le|La|Du|Van|Von)[A-Z][a-z]+|O['’][A-Z][a-z]+)"
                          r"(?:-[A-Z][a-z]+)*$")
_HARDWARE = re.compile(r"^(?:[A-Z]{1,3}\d{2,4}[A-Z]{0,2}|[A-Z]{2,4}-\d{1,4}[A-Z]?)s?$")
_SIZE = re.compile(r"^(?:\d+(?:\.\d+)?[BMKT]|\d+x\d+(?:\.\d+)?B|[AE]\d+(?:\.\d+)?B)$", re.I)
_VERSION = re.compile(r"^(?:[vV]?\d+(?:\.\d+)*[a-z]?|[A-Z]\d+(?:\.\d+)?[a-z]?)$")
_DATA_SIZE = re.compile(r"-\d+(?:\.\d+)?[KkMT]$")
_YEARISH = re.compile(r"^(?:19|20)\d\d$")
_NON_ENTITY_FOLDED = frozenset(w.lower() for w in NON_ENTITY_NAMES) | frozenset(w.lower() + "s" for w in NON_ENTITY_NAMES)
_GARBLED = re.compile(r"[a-z]{12,}$|^.{26,}$")
_WORD_NUMBER = re.compile(r"^([A-Z][A-Za-z]+)-\d+(?:\.\d+)?[a-z]?$")

# spelling endings that give the type: checked on the whole name, case-sensitively
_SUFFIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:[a-z0-9]Net|-Net|[A-Za-z]BERT|-BERT|BERTa|[a-z]GPT|-GPT|ViT|[a-z]former|-former|"
                r"Former|[a-z]GAN|-GAN|GANs?|[a-z]LM|-LM|[a-z]CNN|-CNN|[a-z]RNN|[a-z]Diffusion|"
                r"[a-z]NeRF|[a-z]Zero|[a-z]Fold|[a-z]Mamba|[a-z]Llama|[a-z]LLaMA|[A-Z]oRA|-VL|"
                r"-Coder|-Instruct)s?$"), "MODEL"),
    (re.compile(r"(?:[Bb]ench|-Bench|Arena|[a-z]QA|[A-Z]QA|-QA|Eval|Set|Corpus)$"), "DATASET"),
    (re.compile(r"(?:[a-z]DB|-DB|\.js|\.jl|\.py|\.cpp|\.ai|\.io|[a-z]Flow|[a-z]SDK|[a-z]Kit|[a-z]UI|"
                r"[a-z]API|[a-z]SQL|[a-z]Studio|[a-z]Bot|[a-z]Serve|[a-z]Graph|"
                r"[a-z]Chain|[a-z]Index|[a-z]Base|[a-z]Cloud|[a-z]Ops|OS)$"), "PRODUCT"),
    (re.compile(r"(?:[a-z]Con|Conf|[a-z]Summit|[a-z]Fest|[a-z]Days?|Hack)$"), "EVENT"),
    (re.compile(r"(?:[a-z]AI|[a-z]Labs|[a-z]Robotics|[a-z]Mind|[a-z]Tech|Corp)$"), "ORG"),
)


def is_camel(word: str) -> bool:
    """Camel case: a capital after a lower-case letter ("WikiChat", "vLLM", "DagsHub")."""
    return bool(_CAMEL.search(word))


def has_letter_digit(word: str) -> bool:
    return bool(_LETTER_DIGIT.search(word))


def is_acronym(word: str) -> bool:
    """"SARSA", "DDPG", "NCPs": capitals (digits allowed), maybe a plural s."""
    return len(word) >= 2 and bool(_ACRONYM.match(word)) and word.rstrip("s") not in GENERIC_ACRONYMS \
        and word not in GENERIC_ACRONYMS


@lru_cache(maxsize=65536)
def is_person_word(word: str) -> bool:
    """A word that can be part of a person's name ("Kai-Fu", "McInnes", "O'Neil")."""
    return bool(_PERSON_WORD.match(word)) and len(word) <= 16 and word.lower() not in COMMON_WORDS \
        and word.lower() not in PLACES


@lru_cache(maxsize=65536)
def is_name_word(word: str) -> bool:
    """A capitalised word that is not an ordinary word: a candidate part of a name."""
    if not word or word in NON_ENTITY_NAMES:
        return False
    if word.lower() in COMMON_WORDS or word.lower() in PLACES:
        return False
    return word[0].isupper() or word[0].isdigit() or is_camel(word)


def is_lower_compound(word: str) -> bool:
    """"AI-generated", "PyTorch-based": a hyphen followed by an ordinary lower-case word."""
    parts = word.split("-")
    return len(parts) > 1 and any(
        p.isalpha() and p.islower() and len(p) > 2 and not _SIZE.match(p) for p in parts[1:])


@lru_cache(maxsize=65536)
def is_shape_name(word: str) -> bool:
    """Looks like a name by spelling alone (camel case, letters+digits, acronym compounds)."""
    if word.lower() in _NON_ENTITY_FOLDED or word in GENERIC_ACRONYMS \
            or word.rstrip("s") in GENERIC_ACRONYMS or is_lower_compound(word):
        return False
    if hardware_shape(word):
        return True
    if word.endswith("aaS") or "-to-" in word.lower():
        return False  # "SaaS", "FaaS", "MLaaS"; "Text-to-SQL" is a task
    stem = _WORD_NUMBER.match(word)
    if stem:  # "Mamba-3", "Caltech-101", "RT-2"
        return stem.group(1).lower() not in COMMON_WORDS
    letters = sum(c.isalpha() for c in word)
    if letters < 2 or not word[0].isalpha():
        return False
    if word[0].islower() and (not is_camel(word) or not re.match(r"[a-z]{1,2}[A-Z]", word)):
        return False  # "bf16", "v2", "e2e"; "modelsWhen" is two words glued together
    if _GARBLED.search(word):
        return False
    if is_camel(word):
        return True
    if has_letter_digit(word):
        core = word.split("-")[0]
        return letters >= 3 or bool(_HARDWARE.match(word)) or len(core) >= 3
    parts = word.split("-")
    if len(parts) > 1:
        return any(len(p) >= 2 and p.isupper() and p not in GENERIC_ACRONYMS for p in parts)
    return False


def hardware_shape(word: str) -> bool:
    """"H100", "MI355X", "A100s", "GB200", "WSE-3": chip model numbers."""
    return bool(_HARDWARE.match(word)) and not _YEARISH.match(word[1:])


def size_tag(word: str) -> bool:
    """Parameter counts written after a model name: "7B", "8x7B", "A3B"."""
    return bool(_SIZE.match(word))


def version_tag(word: str) -> bool:
    """A version after a family name: "4", "3.1", "v4", "R1", "V3", "4o"."""
    return bool(_VERSION.match(word))


def suffix_type(name: str) -> str | None:
    """The type the name's ending suggests ("PonderNet" MODEL, "SWE-bench" DATASET), if any."""
    bare = name[:-2] if name.endswith(("'s", "’s")) else name
    if _DATA_SIZE.search(bare):
        return "DATASET"  # "ImageNet-1K", "MINT-1T"
    last = bare.split()[-1] if " " in bare else bare
    if re.search(r"-\d+(?:\.\d+)?B$|\d+x\d+B$", last):
        return "MODEL"  # "Fuyu-8B"
    for pattern, type_ in _SUFFIXES:
        if pattern.search(last):
            return type_
    return None


_PLURAL_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*[A-Z0-9]s$")  # "PDFs", "MP3s", "LLMs"
_TASK_COMPOUND = re.compile(r"^[A-Z]?[a-z]+-to-[A-Za-z][a-z]+$")  # "Text-to-Song", "Image-to-image"
_GENERIC_PLURAL_HEADS = frozenset({"lms", "llms", "slms", "vlms", "mllms", "models", "agents"})


def is_generic_name(name: str, type_: str) -> bool:
    """A name-like span that names a kind of thing, not one thing: a plural acronym ("PDFs",
    "MP3s"; chips excepted: "H100s"), a task ("Text-to-Song"), a plural generic head after a
    modifier ("Self-Rewarding LMs", "Thinking LLMs")."""
    if type_ != "HARDWARE" and _PLURAL_ACRONYM.match(name):
        return True
    if _TASK_COMPOUND.match(name):
        return True
    words = name.split()
    return len(words) >= 2 and words[-1].lower() in _GENERIC_PLURAL_HEADS
