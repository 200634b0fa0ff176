"""Capitalised name chunks and what their own words say about them.

Why: unseen names are runs of capitalised words ("Toyota Research Institute", "Garrett
Hoffman", "NeurIPS 2021 LXAI Workshop") or single odd-looking words ("HyperLogLog"). One
regex over the text finds every run; this module then reads the run itself: an
organisation or event suffix, a "University of" prefix, a trailing generic head
("... Dataset"), a role word that separates a company from a person ("LynxMD CEO Omer Dror").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from indexer.ner.lexicon import (
    COMMON_WORDS, EVENT_SUFFIXES, FUNCTION_WORDS, ORG_PREFIXES, ORG_SUFFIXES, PLACES,
    PERSON_ROLES_BEFORE, ROLE_WORDS, STRONG_ORG_SUFFIXES,
)
from indexer.ner.makers import hardware_makers
from indexer.ner.context import head_type
from indexer.ner.shapes import is_acronym, is_name_word, is_shape_name
from indexer.ner.lexicon import GENERIC_ACRONYMS, NON_ENTITY_NAMES

__all__ = ["Word", "Chunk", "find_chunks", "split_parts", "trim", "org_event_spans", "head_word_span",
           "is_role", "CHUNK_RE"]

_CONNECTORS = "of|for|on|and|&|de|del|der|von|van|la|du|di|da|the|with"
_WORD = (r"(?:[A-Z]\.(?=[ ][A-Z])"
         r"|[A-Z\u00C0-\u00DE\u0141][\w]*(?:(?:[-.&+]|['’](?![sS]\b))[\w]+)*\+*"
         r"|[a-z]+[A-Z][\w]*(?:[-.][\w]+)*"
         r"|\d+[A-Za-z][\w]*[A-Za-z][\w]*)")
_NUM = r"\d+(?:\.\d+)*[a-z]?(?![\w.-]*[\w])"
CHUNK_RE = re.compile(
    rf"(?<![\w@/#.+\-\u2019'])(?:{_WORD})(?:[ ](?:(?:{_CONNECTORS})[ ])*(?:{_WORD})|[ ]{_NUM})*")
_ODD = re.compile(r"[a-z][A-Z]|\d|[A-Z]{2}")
_MASK = re.compile(r"https?://\S+|www\.\S+|\]\([^)\s]*\)|`[^`\n]*`|\S+@\S+\.\w+")

# capitalised role words that sit between an employer and a person inside one run
def is_role(w: "Word") -> bool:
    """A capitalised job title or honorific ("CEO", "Staff Engineer", "Dr.")."""
    return w.text[:1].isupper() and w.lower in ROLE_WORDS


_PLACE_OK = frozenset({"University", "College", "Institute", "Academy"})
_ADJECTIVE_END = re.compile(r"(?:al|ive|ic|ed|ous|ful|able|ible|ent|ant|ary|ory|less|ise|ize|ist|ian)$")
EVENT_WORD = re.compile(r"[a-z](?:Con|Conf|Fest|Summit|Days?|Hack)$")
_SIGNAL_WORDS = ORG_SUFFIXES | ORG_PREFIXES | EVENT_SUFFIXES
_WEAK_EVENT = frozenset({"Day", "Days", "Challenge", "Competition", "Forum", "Prize", "Festival", "Fest"})
_YEAR = re.compile(r"^(?:19|20)\d\d$")


class Word(NamedTuple):
    """One word of a run, with its character offsets and its lower-case form."""

    text: str
    start: int
    end: int
    lower: str


class Chunk(NamedTuple):
    """A run of capitalised words (and inner connectors) on one line."""

    start: int
    end: int
    words: tuple[Word, ...]


def masked_ranges(text: str) -> list[tuple[int, int]]:
    """URLs, link targets, code spans and e-mail addresses: never names."""
    if "/" not in text and "`" not in text and "@" not in text and "www." not in text:
        return []
    return [m.span() for m in _MASK.finditer(text)]


def find_chunks(text: str) -> Iterator[Chunk]:
    """Every capitalised run outside URLs and code, split into words."""
    masks = masked_ranges(text)
    k = 0
    for m in CHUNK_RE.finditer(text):
        start = m.start()
        if masks:
            while k < len(masks) and masks[k][1] <= start:
                k += 1
            if k < len(masks) and masks[k][0] <= start < masks[k][1]:
                continue
        group = m.group()
        if " " not in group:
            if _ordinary(group):
                continue  # a capitalised ordinary word or a generic acronym: nothing to read
            words: tuple[Word, ...] = (Word(group, start, m.end(), group.lower()),)
        else:
            words = _split_words(group, start)
        yield Chunk(start, m.end(), words)


@lru_cache(maxsize=65536)
def _ordinary(word: str) -> bool:
    """A one-word run that names nothing: an ordinary word, a generic acronym, a place."""
    return (word.lower() in COMMON_WORDS and not _ODD.search(word)) or word in GENERIC_ACRONYMS \
        or word in NON_ENTITY_NAMES or word.lower() in PLACES


def _split_words(group: str, base: int) -> tuple[Word, ...]:
    """The words of a run (CHUNK_RE joins them with single spaces) with their offsets."""
    words = []
    for word in group.split(" "):
        words.append(Word(word, base, base + len(word), word.lower()))
        base += len(word) + 1
    return tuple(words)


_PART_BREAKS = frozenset({"and", "&", "the", "with", "on", "in", "to", "at"})


def split_parts(words: tuple[Word, ...]) -> list[tuple[Word, ...]]:
    """Split a run at "and", "&", "the", "with", "on"...: separate names, not one name."""
    parts, current = [], []
    for w in words:
        if w.text in _PART_BREAKS:
            if current:
                parts.append(tuple(current))
            current = []
        else:
            current.append(w)
    if current:
        parts.append(tuple(current))
    return parts


def trim(words: tuple[Word, ...]) -> tuple[tuple[Word, ...], bool]:
    """Drop leading ordinary words and role words; report whether a role word was dropped."""
    role = False
    i = 0
    while i < len(words):
        w = words[i]
        if is_role(w) or w.lower in PERSON_ROLES_BEFORE and w.text[0].isupper():
            role = True
        elif not (w.lower in COMMON_WORDS and not is_shape_name(w.text) and not is_acronym(w.text)) \
                and w.lower not in FUNCTION_WORDS:
            break
        i += 1
    j = len(words)
    while j > i and (words[j - 1].lower in FUNCTION_WORDS or is_role(words[j - 1])):
        j -= 1
    return words[i:j], role


def _namey(w: Word, *, place_ok: bool = False) -> bool:
    if w.lower in PLACES:
        return place_ok
    if w.text[0].isdigit() and not any(c.isupper() for c in w.text):
        return False  # "3hr", "10x"
    return is_name_word(w.text) or is_acronym(w.text) or is_shape_name(w.text)


def _left_name(words: tuple[Word, ...], k: int, *, place_ok: bool, known: set[int],
               plain_ok: bool = False) -> int | None:
    """Start index of the name that ends right before words[k] (None: no real name there).

    Leading ordinary words are dropped ("Introducing Toyota Research Institute"); with
    `plain_ok` a name of ordinary words only is kept ("the Agentic AI Foundation").
    """
    j = k
    while j > 0 and (words[j - 1].text[0].isupper() or words[j - 1].text[0].isdigit()
                     or words[j - 1].text in {"&", "of", "for", "on"}) \
            and not is_role(words[j - 1]):
        j -= 1
    while j < k and words[j].lower in FUNCTION_WORDS:
        j += 1
    first = j
    while j < k and words[j].lower in COMMON_WORDS and j not in known and not is_acronym(words[j].text):
        j += 1
    if j >= k:
        return first if plain_ok and first < k else None
    if not any(_namey(w, place_ok=place_ok) or (i + j) in known for i, w in enumerate(words[j:k])):
        return None
    return j


def _prefix_name(words: tuple[Word, ...], k: int, limit: int) -> tuple[int, int] | None:
    """"University of Toronto", "Allen Institute for AI": (first, last) word indexes."""
    if not (words[k].text in ORG_PREFIXES and k + 2 < limit and words[k + 1].text in {"of", "for", "on"}):
        return None
    j = k
    while j > 0 and _namey(words[j - 1], place_ok=True) and not is_role(words[j - 1]):
        j -= 1
    end = k + 2
    while end < limit and words[end].text not in {"and", "with"}:
        end += 1
    while end > k + 2 and words[end - 1].lower in FUNCTION_WORDS:
        end -= 1
    if not any(_namey(w, place_ok=True) or w.text.isupper() for i, w in enumerate(words[j:end]) if i + j != k):
        return None  # "Institute of Technology" alone names nothing
    return j, end - 1


def org_event_spans(chunk: Chunk, known_types: dict[int, str]) -> list[tuple[int, int, str, bool]]:
    """(start, end, type, strong) for "X Labs", "University of X", "X Summit 2025" names.

    `known_types` maps indexes of words inside catalog names to their type (they count as
    names; a known event plus "Conference" is not a new name). `strong` is False for the
    weak suffixes ("X AI", "X Research"), which many phrases end with.
    """
    words = chunk.words
    out: list[tuple[int, int, str, bool]] = []
    if not any(_is_signal(w.text) for w in words):
        return out  # no suffix or prefix word: the common case, answered at once
    known_words = set(known_types)
    prefixes = [p for p, w in enumerate(words[:-2]) if w.text in ORG_PREFIXES and words[p + 1].text in {"of", "for", "on"}]
    limit = len(words)
    k = limit - 1
    while k >= 0:
        w = words[k]
        found: tuple[int, int, str, bool] | None = None
        prefix = next((span for p in reversed(prefixes)
                       if p <= k and (span := _prefix_name(words, p, limit)) and span[1] >= k), None)
        if prefix:
            found = (prefix[0], prefix[1], "ORG", True)
        elif w.text in ORG_SUFFIXES and k > 0 and k not in known_words and not (
                k + 1 < limit and head_type(words[k + 1].text) == "MODEL"):  # "Foundation Models"
            strong = w.text in STRONG_ORG_SUFFIXES
            j = _left_name(words, k, place_ok=w.text in _PLACE_OK, known=known_words, plain_ok=strong)
            if strong and j is not None and all(words[i].lower in COMMON_WORDS for i in range(j, k)):
                strong = False  # "the Agentic AI Foundation": checked like a weak suffix
                found = (j, k, "ORG", False)
            before = words[k - 1]
            if found is None and j is not None and (w.text in STRONG_ORG_SUFFIXES or (
                    (k - 1) not in known_words and not _ADJECTIVE_END.search(before.lower)
                    and _namey(before) and before.lower not in COMMON_WORDS)):
                found = (j, k, "ORG", strong)
        elif w.text in EVENT_SUFFIXES or EVENT_WORD.search(w.text):
            j = _left_name(words, k, place_ok=True, known=known_words)
            if j is None and EVENT_WORD.search(w.text) and k not in known_words:
                j = k  # "JuliaCon 2025": the word is the event
            only_known = j is not None and j < k and all(
                known_types.get(i) == "EVENT" or _YEAR.match(words[i].text) for i in range(j, k))
            weak_ok = j is not None and all(
                i in known_words or words[i].text in {"&", "of", "for", "on", "and"} or words[i].text.isupper()
                or (_namey(words[i]) and words[i].lower not in COMMON_WORDS) for i in range(j, k)) and any(
                i in known_words or is_shape_name(words[i].text) or is_acronym(words[i].text) for i in range(j, k))
            if j is not None and not only_known and (w.text not in _WEAK_EVENT or weak_ok):
                last = k + 1 if k + 1 < limit and _YEAR.match(words[k + 1].text) else k
                if last == k and k + 2 < limit and words[k + 1].text in {"on", "of", "for"}:
                    last = limit - 1  # "International Conference on Machine Learning"
                found = (j, last, "EVENT", True)
        if found:
            out.append((words[found[0]].start, words[found[1]].end, found[2], found[3]))
            limit = found[0]
            k = found[0] - 1
        else:
            k -= 1
    return out[::-1]


@lru_cache(maxsize=65536)
def _is_signal(word: str) -> bool:
    """An organisation/event suffix or prefix word ("Labs", "University", "JuliaCon")."""
    return word in _SIGNAL_WORDS or bool(EVENT_WORD.search(word))


def head_word_span(words: tuple[Word, ...], known_words: set[int], *, title: bool = False) -> tuple[int, int, str] | None:
    """"Oxford Flowers Dataset" -> (span of "Oxford Flowers", DATASET): a capitalised head.

    The words before the head must all be name words (or inside catalog names, given as
    indexes in `known_words`), and not all of them catalog words: "Jurassic-1 Language
    Models" and "NVIDIA H100 GPU" add nothing to what the catalog found.
    """
    if len(words) < 2:
        return None
    type_ = head_type(words[-1].text) if words[-1].text[0].isupper() else None
    if type_ is None or type_ == "ORG":
        return None
    body = list(enumerate(words[:-1]))
    while body and (body[0][1].lower in COMMON_WORDS or _ADJECTIVE_END.search(body[0][1].lower)
                    or body[0][1].lower.endswith("ing")) and body[0][0] not in known_words \
            and not is_acronym(body[0][1].text) and not is_shape_name(body[0][1].text):
        body = body[1:]
    if type_ == "HARDWARE":
        while body and body[0][1].text in hardware_makers():
            body = body[1:]
    if not body or len(body) > 4 or all(i in known_words for i, _ in body):
        return None
    if not all(i in known_words or _namey(w) for i, w in body):
        return None
    if title and not any(i in known_words or is_shape_name(w.text) or is_acronym(w.text) for i, w in body):
        return None  # a Title Case headline: capitals prove nothing
    while body and body[0][1].text[0].isdigit() and not is_shape_name(body[0][1].text):
        body = body[1:]
    if not body:
        return None
    return body[0][1].start, body[-1][1].end, type_
