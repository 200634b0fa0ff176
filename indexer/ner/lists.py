"""Lists: "PyTorch, TensorFlow and Flax", "datasets such as Oxford Flowers and Caltech-101".

Why: newsletters enumerate things of one kind. A list introduced by a kind noun
("datasets such as", "tools like") types all its names; otherwise names listed next to
known entities of one type take that type ("Huggingface, ONNX, MLServer and Seldon Core").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from indexer.ner.lexicon import LIST_HEADS
from indexer.ner.names import Unit
from indexer.ner.shapes import is_acronym, is_person_word, is_shape_name
from indexer.ner.spans import MEDIUM, STRONG, Candidate

__all__ = ["TRIGGERS", "list_candidates"]

_BETWEEN = re.compile(r"^(?:\s*,\s*(?:(?:and|or|&|as well as)\s+)?|\s+(?:and|or|&|as well as)\s+|\s*/\s*)$")
TRIGGERS = LIST_HEADS  # plural heads that introduce a list: "tools such as A, B and C"
_INTRO = re.compile(
    r"\b(?P<noun>[A-Za-z]+)\)?,?\s*(?:[(:]\s*|—\s*|-\s+)?(?:such as|like|including|include|incl\.|e\.g\.,?|for example,?|namely|:|\()\s*$",
    re.IGNORECASE)
_INTRO_NEAR = re.compile(r"\b(?P<noun>[A-Za-z]+)\b[^.;:\n]{0,40}?\b(?:such as|like|including|e\.g\.,?)\s*\(?$",
                         re.IGNORECASE)


def _chains(text: str, units: Sequence[Unit]) -> list[list[Unit]]:
    chains: list[list[Unit]] = []
    current: list[Unit] = []
    last_end = -1
    for unit in units:
        if unit.start < last_end:
            continue
        if current and _BETWEEN.match(text[last_end:unit.start]):
            current.append(unit)
        else:
            if len(current) >= 2:
                chains.append(current)
            current = [unit]
        last_end = unit.end
    if len(current) >= 2:
        chains.append(current)
    return chains


def _trigger(text: str, start: int) -> str | None:
    before = text[max(0, start - 70):start].rsplit("\n", 1)[-1]
    m = _INTRO.search(before)
    if m and m.group("noun").lower() in TRIGGERS:
        return TRIGGERS[m.group("noun").lower()]
    m = _INTRO_NEAR.search(before)
    if m and m.group("noun").lower() in TRIGGERS:
        return TRIGGERS[m.group("noun").lower()]
    return None


def _fits(text: str, unit: Unit, type_: str, pair: bool) -> bool:
    """Can this list member be of `type_`? People are two or three name words; in a mere
    pair ("A and B") a single ordinary capitalised word is not enough."""
    words = text[unit.start:unit.end].split()
    if type_ == "PERSON":
        return 2 <= len(words) <= 3 and all(is_person_word(w) for w in words)
    if pair and len(words) == 1 and not (is_shape_name(words[0]) or is_acronym(words[0])):
        return False
    return any(c.isalpha() for c in words[0]) and len(text[unit.start:unit.end]) > 1


def list_candidates(text: str, units: Sequence[Unit]) -> list[Candidate]:
    """Typed candidates for the untyped or weakly typed members of lists."""
    out: list[Candidate] = []
    for chain in _chains(text, units):
        pair = len(chain) == 2 and "," not in text[chain[0].end:chain[1].start]
        trigger = _trigger(text, chain[0].start)
        if trigger:
            for unit in chain:
                if unit.strength <= MEDIUM and unit.type != trigger and _fits(text, unit, trigger, False):
                    out.append(Candidate(unit.start, unit.end, trigger, STRONG, None, "list-trigger"))
            continue
        typed = Counter(u.type for u in chain if u.type and u.strength >= MEDIUM)
        if len(typed) != 1:
            continue
        (type_, _), = typed.items()
        for unit in chain:
            if (unit.type is None or (unit.strength < MEDIUM and unit.type != type_)) and _fits(text, unit, type_, pair):
                out.append(Candidate(unit.start, unit.end, type_, MEDIUM, None, "list"))
    return out
