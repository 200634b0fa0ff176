"""Type a name by the words around it: "the X dataset", "X is a framework", "CEO of X".

Why: a name the catalog does not know is typed by how the sentence talks about it, the
way a reader does. Each function looks at a few words on one side of a character span
of the text and returns a type (or None); nothing here scans the whole document.
"""
from __future__ import annotations

import re
from functools import lru_cache

from indexer.ner.lexicon import (
    HEAD_MODIFIERS, HEADS, MODEL_CUES, NAMING_VERBS, ORG_ROLES_AFTER, ORG_VERBS_AFTER, SOURCE_NOUNS,
)

__all__ = [
    "words_after", "first_after", "words_before", "head_after", "head_before", "definition_after",
    "source_before", "role_after", "org_verb_after", "naming_before", "cue_type", "head_type",
]

_WORD = re.compile(r"\w(?:[\w.+&-]|['’](?![sS]\b))*[\w+]|\w|['’][sS]\b|[,:;()\[\]\"“”]")
WINDOW = 90  # characters read on either side of a name
_ARTICLES = frozenset({"a", "an", "the", "this", "that", "our", "their", "its", "his", "her", "new"})
# one modifier allowed between a name and its head: "the Go programming language"
# head nouns that only count after "called"/"named": "a procedure called AutoAugment"
_NAMED_MODEL_HEADS = frozenset("procedure technique approach operation mechanism loss layer strategy".split())
_HEAD_OF: dict[str, str] = {w: t for t, ws in HEADS.items() for w in ws}


def _tokens(fragment: str) -> list[str]:
    return _WORD.findall(fragment)


@lru_cache(maxsize=8192)
def _after(text: str, end: int) -> tuple[str, ...]:
    # cached: several rules ask about the same position; str hashes are cached by Python
    return tuple(_tokens(text[end:end + WINDOW].split("\n", 1)[0])[:14])


@lru_cache(maxsize=8192)
def _before(text: str, start: int) -> tuple[str, ...]:
    return tuple(_tokens(text[max(0, start - WINDOW):start].rsplit("\n", 1)[-1])[::-1][:14])


def words_after(text: str, end: int, n: int = 6) -> list[str]:
    """Up to `n` words/punctuation marks after `end`, on the same line."""
    return list(_after(text, end)[:n])


def first_after(text: str, end: int) -> str | None:
    """The first word after `end` on the same line: ``words_after(text, end, 1)``, one search."""
    stop = text.find("\n", end, end + WINDOW)
    m = _WORD.search(text, end, stop if stop >= 0 else end + WINDOW)
    return m.group() if m else None


def words_before(text: str, start: int, n: int = 6) -> list[str]:
    """Up to `n` words/punctuation marks before `start` (nearest first), on the same line."""
    return list(_before(text, start)[:n])


def head_type(word: str) -> str | None:
    """The type a generic head noun gives ("dataset" DATASET, "chip" HARDWARE)."""
    return _HEAD_OF.get(word.lower())


def head_after(text: str, end: int) -> str | None:
    """"the Oxford Flowers dataset", "the Go programming language", "the MI355X accelerator"."""
    after = words_after(text, end, 2)
    if not after:
        return None
    if after[0].islower() or after[0].isupper():
        first = head_type(after[0]) if after[0].islower() or after[0] in {"GPU", "GPUs", "TPU", "CPU", "SDK", "API", "LLM", "NPU"} else None
        if first:
            return first
    if len(after) == 2 and after[0].lower() in HEAD_MODIFIERS and after[1].islower():
        return head_type(after[1])
    return None


def head_before(text: str, start: int) -> str | None:
    """"the startup Anthropic", "the benchmark MMLU": a head noun right before the name."""
    before = words_before(text, start, 2)
    if before and before[0].islower():
        type_ = head_type(before[0])
        if type_ and type_ != "EVENT" and len(before) == 2 and before[1].lower() in _ARTICLES | {"open-source", "new", "popular"}:
            return type_
    return None


def naming_before(text: str, start: int) -> str | None:
    """"a new model called X", "a startup named X": the head before the naming verb."""
    before = words_before(text, start, 7)
    if not before or before[0].lower() not in NAMING_VERBS:
        return None
    for word in before[1:]:
        lower = word.lower()
        if lower in _NAMED_MODEL_HEADS:
            return "MODEL"
        type_ = head_type(lower)
        if type_:
            return type_
        if word in {",", ".", ";", ":"}:
            break
    return "MODEL" if cue_type(text, start, start) == "MODEL" else None


def definition_after(text: str, end: int) -> str | None:
    """"X is a popular open source platform", "X, a novel LLM", "X, an AI company"."""
    after = words_after(text, end, 8)
    if len(after) < 3:
        return None
    if after[0] == "is" and after[1].lower() in {"a", "an", "the"}:
        rest = after[2:]
    elif after[0] == "," and after[1].lower() in {"a", "an"}:
        rest = after[2:]
    elif after[0] == ":" and after[1].lower() in {"a", "an"}:
        rest = after[2:]
    else:
        return None
    for word in rest[:5]:
        if word in {",", ".", ";", ":", "(", ")"} or word.lower() in {"of", "for", "that", "which", "with", "to"}:
            return None
        type_ = head_type(word) if word.islower() or word in {"LLM", "SDK", "API", "GPU"} else None
        if type_:
            return type_
    return None


def source_before(text: str, start: int) -> bool:
    """"an article from DagsHub", "a new post from Distill": a publisher or company."""
    before = words_before(text, start, 3)
    return len(before) >= 2 and before[0].lower() in {"from", "by"} and (
        before[1].lower() in SOURCE_NOUNS or (len(before) == 3 and before[2].lower() in SOURCE_NOUNS
                                              and before[1].lower() in {"new", "recent", "latest", "great"}))


def role_after(text: str, end: int) -> bool:
    """"LynxMD CEO ...", "X's founder": the name is the employer, an organisation."""
    after = words_after(text, end, 3)
    if not after:
        return False
    if after[0] in {"'s", "’s"}:
        after = after[1:]
    return bool(after) and after[0].lower() in ORG_ROLES_AFTER


def org_verb_after(text: str, end: int) -> bool:
    """"X has released ...", "X announced ...": something only organisations do."""
    after = words_after(text, end, 3)
    while after and after[0].lower() in {"has", "have", "just", "recently", "today", "officially"}:
        after = after[1:]
    return bool(after) and after[0].lower() in ORG_VERBS_AFTER


def cue_type(text: str, start: int, end: int) -> str | None:
    """The type most suggested by head nouns and research words near the span (same line)."""
    votes: dict[str, float] = {}
    for words in (_before(text, start), _after(text, end)):  # 14 words each side, cached
        for dist, word in enumerate(words):
            lower = word.lower()
            weight = 1.0 / (1 + dist)
            type_ = _HEAD_OF.get(lower)
            if type_ and type_ != "EVENT":
                votes[type_] = votes.get(type_, 0.0) + weight
            elif lower in MODEL_CUES:
                votes["MODEL"] = votes.get("MODEL", 0.0) + 0.5 * weight
    if not votes:
        return None
    return max(votes, key=votes.__getitem__)
