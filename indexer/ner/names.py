"""Unseen names in capitalised runs, typed by their own words and by their context.

Why: this is where a name the catalog has never seen becomes a candidate. Each run from
:func:`indexer.ner.chunks.find_chunks` is read in order: organisation/event suffixes, role
words that separate an employer from a person, person names, then what is left ("the
core") is typed by context ("the X dataset", "X is a framework", "an article from X"), by
its spelling ("-Net", "-Bench", "H100") or by the words near it. Names nothing speaks for
are kept as untyped *units* for the list rule ("A, B and C" share a type).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from indexer.ner import context as ctx
from indexer.ner.chunks import (
    EVENT_WORD, Chunk, is_role, Word, find_chunks, head_word_span, org_event_spans, split_parts, trim,
)
from indexer.ner.makers import hardware_makers
from indexer.ner.lexicon import (
    HARDWARE_AFTER, STRONG_ROLES, COMMON_WORDS, GIVEN_NAMES, HEADS, NAMING_VERBS, ORG_ROLES_AFTER, ORG_VERBS_AFTER, PLACES,
    SURNAMES,
)
from indexer.ner.people import person_windows
from indexer.ner.shapes import (
    has_letter_digit, hardware_shape, is_acronym, is_lower_compound, is_name_word, is_shape_name,
    suffix_type,
)
from indexer.ner.spans import MEDIUM, STRONG, WEAK, Candidate, SpanIndex, sentence_initial, title_case_line

__all__ = ["Unit", "find_names", "explicit_type"]

# role words inside a run that always mean "a person follows"
_TITLE_PREFIX = re.compile(r"^\s*(?:#+\s*)?(?:\[[^\]\n]{1,30}\]\s*|\([^)\n]{1,30}\)\s*)?$")

class Unit(NamedTuple):
    """A name-like stretch of text for the list rule, typed or not (a tuple: cheap to build)."""

    start: int
    end: int
    type: str | None
    strength: int


def explicit_type(text: str, start: int, end: int, *, initial: bool) -> tuple[str, int, str] | None:
    """(type, strength, rule) from the words around a name, strongest evidence first."""
    type_ = ctx.head_after(text, end)
    if type_:
        return type_, STRONG, "head-after"
    type_ = ctx.definition_after(text, end)
    if type_:
        return type_, STRONG, "definition"
    if ctx.role_after(text, end):
        return "ORG", STRONG, "role-after"
    if not initial:
        if ctx.source_before(text, start):
            return "ORG", STRONG, "source"
        type_ = ctx.naming_before(text, start)
        if type_:
            return type_, STRONG, "called"
        type_ = ctx.head_before(text, start)
        if type_:
            return type_, STRONG, "head-before"
    if ctx.org_verb_after(text, end):
        return "ORG", MEDIUM, "org-verb"
    return None


def _title_type(text: str, start: int, end: int, recurs: bool, shape: bool) -> str | None:
    """"Reptile: A Scalable Meta-Learning Algorithm": the name a paper/tool title introduces."""
    line_start = text.rfind("\n", 0, start) + 1
    if not _TITLE_PREFIX.match(text[line_start:start]):
        return None
    rest = text[end:].split("\n", 1)[0]
    m = re.match(r"\s?:\s+(.*)", rest)
    if not m:
        return None
    for word in re.findall(r"[A-Za-z][\w-]*", m.group(1))[:12]:
        type_ = ctx.head_type(word)
        if type_ and type_ not in {"ORG", "EVENT"}:
            return type_
    return "MODEL" if (shape or recurs) else None


def _hardware_context(text: str, start: int, end: int, word: str) -> bool:
    after = ctx.words_after(text, end, 2)
    before = ctx.words_before(text, start, 2)
    if after and after[0].lower() in HARDWARE_AFTER:
        return True
    makers = hardware_makers()
    if before and (before[0] in makers or (before[0] in {"'s", "’s"} and len(before) > 1 and before[1] in makers)):
        return True
    if word[-1:] == "s" and word[-2:-1].isdigit():
        return True  # "A100s"
    return False


def _shape_type(text: str, w: Word, initial: bool) -> tuple[str, int, str] | None:
    """A single odd-looking word: context, then hardware numbers, spelling, nearby words."""
    found = explicit_type(text, w.start, w.end, initial=initial) if _may_have_context(text, w.start, w.end) else None
    if found:
        return found
    if hardware_shape(w.text):
        if _hardware_context(text, w.start, w.end, w.text):
            return "HARDWARE", STRONG, "hardware"
        if not suffix_type(w.text):
            return None  # "B300" alone: a chip, a course code or a form number
    type_ = suffix_type(w.text)
    if type_:
        return type_, MEDIUM, "suffix"
    cue = ctx.cue_type(text, w.start, w.end)
    if has_letter_digit(w.text) and not hardware_shape(w.text):
        return (cue if cue in {"DATASET", "PRODUCT"} else "MODEL"), WEAK, "shape-digits"
    if cue:
        return cue, WEAK, "shape-cue"
    return None


# first words after / before a name that some context rule reads; anything else types nothing
_AFTER_TRIGGERS = frozenset({"is", ",", ":", "'s", "’s", "has", "have", "just", "recently", "today",
                             "officially", "programming"}) | ORG_ROLES_AFTER | ORG_VERBS_AFTER | \
    frozenset(w for ws in HEADS.values() for w in ws) | frozenset(ctx.HEAD_MODIFIERS)
_BEFORE_TRIGGERS = frozenset({"from", "by", "dr", "prof", "mr", "ms", "mrs"}) | NAMING_VERBS | \
    frozenset(w for ws in HEADS.values() for w in ws)


def _may_have_context(text: str, start: int, end: int) -> bool:
    """Cheap test before the context rules: is a trigger word right next to the name?"""
    after = ctx.first_after(text, end)
    if after and after.lower() in _AFTER_TRIGGERS:
        return True
    before = ctx.words_before(text, start, 1)
    return bool(before) and before[0].lower() in _BEFORE_TRIGGERS


def _person_ok(words: tuple[Word, ...]) -> bool:
    return any(w.lower in GIVEN_NAMES or w.lower in SURNAMES for w in words)


class _Reader:
    """Reads one text; collects candidates and units."""

    def __init__(self, text: str, known: SpanIndex):
        self.text = text
        self.known = known
        self.candidates: list[Candidate] = []
        self.units: list[Unit] = []

    def add(self, start: int, end: int, type_: str, strength: int, rule: str) -> None:
        self.candidates.append(Candidate(start, end, type_, strength, None, rule))

    def known_exact(self, start: int, end: int) -> Candidate | None:
        return self.known.exact(start, end)

    def chunk(self, chunk: Chunk) -> None:
        if len(chunk.words) == 1 and not EVENT_WORD.search(chunk.words[0].text):
            w = chunk.words[0]
            if not is_role(w) and not self.known.covers_any(w.start, w.end):
                self.core(chunk.words)  # (catalog names are list units already)
            return
        known_types = self._known_types(chunk)
        if known_types is None:
            return  # catalog names only ("Hugging Face", "Google Maps and BigQuery")
        taken = self._org_event_names(chunk, known_types)
        for part in split_parts(chunk.words):
            if not taken:
                self.segment(part)
                continue
            segment: list[Word] = []
            for w in part:
                if any(s <= w.start < e for s, e in taken):
                    if segment:
                        self.segment(tuple(segment))
                    segment = []
                else:
                    segment.append(w)
            if segment:
                self.segment(tuple(segment))

    def _known_types(self, chunk: Chunk) -> dict[int, str] | None:
        """Type of each word inside a catalog entity; None when the run is nothing else."""
        if not self.known.covers_entity(chunk.start, chunk.end):
            return {}  # no catalog name in the run: the common case, answered at once
        if all(self.known.covers_entity(w.start, w.end) or w.text in {"&", "and", "of", "for", "on", "the"}
               for w in chunk.words):
            return None
        return {i: spans[0].type for i, w in enumerate(chunk.words)
                if self.known.covers_entity(w.start, w.end)
                and (spans := [k for k in self.known.overlapping(w.start, w.end) if k.type != "TOPIC"])}

    def _org_event_names(self, chunk: Chunk, known_types: dict[int, str]) -> list[tuple[int, int]]:
        """Add "X Labs" / "X Summit 2025" names found in the run; return their spans."""
        taken: list[tuple[int, int]] = []
        for start, end, type_, strong in org_event_spans(chunk, known_types):
            if not strong and (ctx.head_after(self.text, end) or title_case_line(self.text, start) or (
                    sentence_initial(self.text, start) and re.match(r"\w+(?:ing|ed)\b", self.text[start:end]))):
                continue  # "a Chess AI engine", "Open Source Is Eating AI", "Securing AI Systems"
            strength = STRONG if strong else MEDIUM
            if self.known_exact(start, end) is None:
                self.add(start, end, type_, strength, "suffix")
            taken.append((start, end))
            self.units.append(Unit(start, end, type_, strength))
        return taken

    def segment(self, words: tuple[Word, ...]) -> None:
        roles = [i for i, w in enumerate(words) if is_role(w)]
        if roles:
            # "Immuta Chief Legal Officer Andrew Burt": employer before the first role word,
            # person after the last one
            left, right = words[:roles[0]], words[roles[-1] + 1:]
            role = " ".join(words[i].text for i in roles)
            people = person_windows(self.text, right, role_before=True) if right else []
            people = [p for p in people if any(r.lower() in STRONG_ROLES for r in role.split()) or _person_ok(
                tuple(w for w in right if p[0] <= w.start < p[1]))]
            for start, end, _ in people:
                self.add(start, end, "PERSON", STRONG, "person-role")
                self.units.append(Unit(start, end, "PERSON", STRONG))
            if people and left:
                core, _ = trim(left)
                if core and len(core) <= 3 and not self.known.covers_any(core[0].start, core[-1].end):
                    if all(is_name_word(w.text) or is_acronym(w.text) or is_shape_name(w.text) for w in core):
                        self.add(core[0].start, core[-1].end, "ORG", STRONG, "employer")
                        self.units.append(Unit(core[0].start, core[-1].end, "ORG", STRONG))
                return
            if people:
                return
        last = words[-1]
        if "programming" in self.text[last.end:last.end + ctx.WINDOW] and last.text[0].isupper() \
                and ctx.words_after(self.text, last.end, 2) == ["programming", "language"]:
            self.add(last.start, last.end, "PRODUCT", STRONG, "language")  # "the Go programming language"
            return
        core, role_before = trim(words)
        if not core:
            return
        for start, end, has_context in person_windows(self.text, core, role_before=role_before):
            if self.known.covers_any(start, end) and not role_before:
                continue  # "Tensorflow Eager": a catalog name inside is no person
            strength = STRONG if has_context else MEDIUM
            self.add(start, end, "PERSON", strength, "person")
            self.units.append(Unit(start, end, "PERSON", strength))
            rest = tuple(w for w in core if w.end <= start)
            if rest:
                self.core(trim(rest)[0])
            rest = tuple(w for w in core if w.start >= end)
            if rest:
                self.segment(rest)
            return
        self.core(core)

    def core(self, words: tuple[Word, ...]) -> None:
        if not words:
            return
        text = self.text
        start, end = words[0].start, words[-1].end
        exact = self.known_exact(start, end)
        if exact is not None:
            self.units.append(Unit(start, end, exact.type, exact.strength))
            return
        head = head_word_span(words, {i for i, w in enumerate(words) if self.known.covers_entity(w.start, w.end)},
                              title=title_case_line(text, start)) if len(words) > 1 else None
        if head:
            self.add(head[0], head[1], head[2], STRONG, "head-word")
            self.units.append(Unit(head[0], head[1], head[2], STRONG))
            return
        initial = sentence_initial(text, start)
        single = len(words) == 1
        word = words[0].text
        shape = single and is_shape_name(word)
        overlaps_known = self.known.covers_entity(start, end)
        if shape:
            found = _shape_type(text, words[0], initial)
        elif single and (word.lower() in COMMON_WORDS or word.lower() in PLACES):
            return
        elif not _may_have_context(text, start, end):
            found = None  # nothing around the name could type it (the common case): skip the rules
        elif any(is_lower_compound(w.text) for w in words) or (
                initial and single and word.lower().endswith("ly")):
            found = None  # "AI-powered algorithms", "Commonly, ..."
        elif not single and all(w.lower in COMMON_WORDS or w.text[0].islower() for w in words):
            found = None  # "Foundation World models"
        else:
            found = explicit_type(text, start, end, initial=initial)
        if found is None and single and not shape and ctx.words_before(text, start, 1)[:1] in (
                ["Dr"], ["Dr."], ["Prof"], ["Prof."], ["Mr"], ["Mr."], ["Ms"], ["Ms."], ["Mrs"], ["Mrs."]) \
                and word[0].isupper() and word.lower() not in COMMON_WORDS:
            found = ("PERSON_SINGLE", STRONG, "titled")
        if found is None and (shape or is_acronym(word) or is_name_word(word)) and single:
            recurs = text.count(word, end) > 0
            title = _title_type(text, start, end, recurs, shape or is_acronym(word))
            if title:
                found = (title, MEDIUM, "title")
        if found and not (overlaps_known and found[1] < STRONG):
            type_, strength, rule = found
            if type_ == "HARDWARE" and not single:
                while words and words[0].text in hardware_makers():
                    words = words[1:]
                if not words:
                    return
                start = words[0].start
            if type_ == "PERSON_SINGLE":
                type_ = "PERSON"
            elif type_ == "PERSON" or (type_ == "ORG" and word.lower() in GIVEN_NAMES and not shape):
                return
            self.add(start, end, type_, strength, rule)
            self.units.append(Unit(start, end, type_, strength))
            return
        # nothing speaks for the whole core: its odd-looking words may stand alone
        if not single:
            for w in words:
                if is_shape_name(w.text) and not self.known.covers_any(w.start, w.end):
                    found = _shape_type(text, w, sentence_initial(text, w.start))
                    if found:
                        self.add(w.start, w.end, found[0], found[1], found[2])
        if initial and single and not (shape or is_acronym(word)):
            return
        if overlaps_known and not any(is_name_word(w.text) for w in words
                                      if not self.known.covers_any(w.start, w.end)):
            return
        if any(is_name_word(w.text) or is_acronym(w.text) or is_shape_name(w.text) for w in words):
            self.units.append(Unit(start, end, None, 0))


def find_names(text: str, known: SpanIndex) -> tuple[list[Candidate], list[Unit]]:
    """Candidates for unseen names in `text`, and every name-like unit (for lists)."""
    reader = _Reader(text, known)
    for chunk in find_chunks(text):
        reader.chunk(chunk)
    return reader.candidates, sorted(reader.units, key=lambda u: (u.start, -u.end))
