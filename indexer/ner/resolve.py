"""Choose among overlapping candidates, spread names to their repeats, and give ids.

Why one place: precedence is the contract of the extractor. Catalog entries win over
rules; a rule wins over a catalog name only when it has strong evidence for a longer name
that contains it ("CVPR 2019" over "CVPR", "Stanford Cars" in a dataset list over
"Stanford"); otherwise the longest span wins. Names found by rules get ``new:<slug>`` ids
built from one normalised spelling, so "Qwen3.6-27B's" and "qwen3.6-27b" are one entity.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kb.models import CANDIDATE_PREFIX, slugify
from indexer.ner.lexicon import COMMON_WORDS
from indexer.ner.spans import CATALOG, MEDIUM, STRONG, Candidate, SpanIndex

__all__ = ["TOPIC", "normalise", "candidate_id", "choose", "spread", "assign_ids", "is_whole_word"]

TOPIC = "TOPIC"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_HW_PLURAL = re.compile(r"(?<=[0-9A-Z])s$")


def normalise(name: str, type_: str) -> str:
    """One spelling per name: no possessive, single spaces, no hardware plural ("A100s")."""
    name = _POSSESSIVE.sub("", " ".join(name.split()))
    if type_ == "HARDWARE":
        name = _HW_PLURAL.sub("", name)
    return name


def candidate_id(name: str, type_: str) -> str:
    """The id of a name the catalog does not know: ``new:`` + slug of its normal spelling."""
    return CANDIDATE_PREFIX + slugify(normalise(name, type_))


def _rank(c: Candidate, catalog: SpanIndex) -> float:
    if c.strength >= CATALOG:
        return MEDIUM + 0.5 if c.type == TOPIC else CATALOG
    if c.strength >= MEDIUM:
        inside = catalog.overlapping(c.start, c.end)
        if inside and all(c.contains(k) and c.length > k.length for k in inside) and (
                c.strength >= STRONG or all(k.type == TOPIC for k in inside)):
            return CATALOG + 0.5  # a longer name around catalog names ("Pollen Robotics")
    return c.strength


def choose(catalog: Sequence[Candidate], rules: Iterable[Candidate]) -> list[Candidate]:
    """Non-overlapping winners: higher rank, then longer, then earlier."""
    pool = list(catalog) + [r for r in rules if r.length > 1]
    known = SpanIndex(list(catalog))
    ranked = sorted(pool, key=lambda c: (-_rank(c, known), -c.length, c.start))
    chosen: list[Candidate] = []
    taken = bytearray(max((c.end for c in pool), default=0))  # 1 where a chosen span is
    for c in ranked:
        if taken.find(1, c.start, c.end) >= 0:
            continue
        chosen.append(c)
        taken[c.start:c.end] = b"\x01" * c.length
    return sorted(chosen, key=lambda c: c.start)


def spread(text: str, chosen: list[Candidate], aliases: dict[str, tuple[str, str | None]]) -> list[Candidate]:
    """Every later use of a name found by a rule gets the same type and id.

    `aliases` adds bare forms that stand for a found entity (an acronym, a person's
    surname or given name): surface -> (type, entity id).
    """
    forms: dict[str, tuple[str, str | None]] = {}
    for c in chosen:
        if c.strength < CATALOG:
            surface = normalise(text[c.start:c.end], c.type)
            if len(surface) > 1 and surface.lower() not in COMMON_WORDS:
                forms.setdefault(surface, (c.type, c.entity_id or candidate_id(surface, c.type)))
    for surface, value in aliases.items():
        forms.setdefault(surface, value)
    if not forms:
        return chosen
    taken = bytearray(len(text) + 1)  # 1 where a name is already (one C-level scan per check)
    for c in chosen:
        taken[c.start:c.end] = b"\x01" * c.length
    extra = []
    lowered = None
    for surface in sorted(forms, key=len, reverse=True):
        type_, entity_id = forms[surface]
        # names with digits are distinctive in any case: "qwen3.6-27b" is "Qwen3.6-27B"
        folded = any(ch.isdigit() for ch in surface) and any(ch.isalpha() for ch in surface)
        if folded and lowered is None:
            lowered = text.lower()
        haystack, needle = (lowered, surface.lower()) if folded else (text, surface)
        at = haystack.find(needle)
        while at >= 0:
            end = at + len(needle)
            if is_whole_word(text, at, end) and taken.find(1, at, end) < 0:
                extra.append(Candidate(at, end, type_, MEDIUM, entity_id, "repeat"))
                taken[at:end] = b"\x01" * (end - at)
            at = haystack.find(needle, end)
    return sorted(chosen + extra, key=lambda c: c.start)


def is_whole_word(text: str, start: int, end: int) -> bool:
    """A whole word: no letter, digit or hyphen glued on either side ("GPT-4" is not in "GPT-4o")."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_"):
        return False
    if end < len(text):
        nxt = text[end]
        if nxt.isalnum() or nxt in "-_" or (nxt == "." and end + 1 < len(text) and text[end + 1].isalnum()):
            return False
    return True


def assign_ids(text: str, chosen: Iterable[Candidate]) -> list[Candidate]:
    """Fill the ids of rule candidates from their normalised text."""
    out = []
    for c in chosen:
        if c.entity_id is None:
            c = Candidate(c.start, c.end, c.type, c.strength, candidate_id(text[c.start:c.end], c.type), c.rule)
        out.append(c)
    return out
