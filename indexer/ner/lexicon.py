"""Word lists the entity rules consult, by kind: cue words, generic heads, stop words, names.

The words live in `indexer/ner/data/*.txt` (one file per kind, each saying where its words
come from); this module only names them for the rules. Every set holds lower-case words
unless its data file says the case is kept; lookups lower-case the word first.
"""
from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from indexer.ner.vocab import section, sections, words

__all__ = [
    "FUNCTION_WORDS", "COMMON_WORDS", "MONTHS", "PLACES", "GIVEN_NAMES", "SURNAMES",
    "HEADS", "ORG_SUFFIXES", "STRONG_ORG_SUFFIXES", "ORG_PREFIXES", "EVENT_SUFFIXES",
    "ROLE_WORDS", "STRONG_ROLES", "PERSON_ROLES_BEFORE", "PERSON_VERBS_AFTER", "ORG_ROLES_AFTER",
    "ORG_VERBS_AFTER", "SOURCE_NOUNS", "NAMING_VERBS", "MODEL_CUES", "GENERIC_ACRONYMS",
    "NON_ENTITY_NAMES", "MODEL_VARIANT_WORDS", "HEAD_MODIFIERS", "LIST_HEADS", "HARDWARE_AFTER",
    "COMPOUND_AFTER", "COMPOUND_BEFORE", "is_common",
]

FUNCTION_WORDS: frozenset[str] = frozenset(STOP_WORDS) | words("function-words")
MONTHS = words("months")
PLACES = words("places")
GIVEN_NAMES = words("given-names")
SURNAMES = words("surnames")
HEADS: dict[str, frozenset[str]] = {t: ws for t, ws in sections("heads").items() if t}
LIST_HEADS: dict[str, str] = {w: t for t, ws in sections("list-heads").items() if t for w in ws}
HEAD_MODIFIERS = words("head-modifiers")
ORG_SUFFIXES = section("org-words", "suffixes")  # case kept
STRONG_ORG_SUFFIXES = section("org-words", "strong-suffixes")  # case kept
ORG_PREFIXES = section("org-words", "prefixes")  # case kept
ORG_ROLES_AFTER = section("org-context", "roles-after")
ORG_VERBS_AFTER = section("org-context", "verbs-after")
SOURCE_NOUNS = section("org-context", "source-nouns")
EVENT_SUFFIXES = words("event-suffixes")  # case kept
ROLE_WORDS = section("roles", "titles")
STRONG_ROLES = section("roles", "strong")
PERSON_ROLES_BEFORE = section("roles", "before")
PERSON_VERBS_AFTER = words("person-verbs")
MODEL_CUES = section("model-words", "cues")
MODEL_VARIANT_WORDS = section("model-words", "variants")  # case kept
NAMING_VERBS = section("model-words", "naming-verbs")
GENERIC_ACRONYMS = words("generic-acronyms")  # case kept
NON_ENTITY_NAMES = words("non-entity-names")  # case kept
HARDWARE_AFTER = words("hardware-after")
COMPOUND_AFTER = section("compound-affixes", "after")
COMPOUND_BEFORE = section("compound-affixes", "before")
COMMON_WORDS: frozenset[str] = FUNCTION_WORDS | MONTHS | words("common-words")


def is_common(word: str) -> bool:
    """True when `word` (any case) is an ordinary English/field word, not a name."""
    return word.lower() in COMMON_WORDS
