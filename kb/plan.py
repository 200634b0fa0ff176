"""What a query asks for, as both backends execute it: concepts, how many must match, exclusions.

A *concept* is one thing the reader wants: a word (matched by its stem, so "GPUs" = "GPU"), a
"quoted phrase" (exact words, stop words included), `a OR b`, an entity named in the query
("Llama3", "RLHF" — then items mentioning that entity match however they spell it) or a
pasted link. Stop words and question words ("what is", "how do I") are not concepts.

Coordination: an item must match `min_match` of the concepts — all of 1 or 2, then 60%
rounded up (2 of 3, 3 of 4, 3 of 5, 4 of 6). With `+required` concepts, those must match and
the others only rank. Items matching more concepts rank first (`kb.ranking`). Backends compile a `Plan` into their own syntax; nothing
here knows SQL or the Elasticsearch DSL.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Literal

from kb.analysis import is_stopword, name_key, stem, words
from kb.query import And, Not, Or, Phrase, QueryNode, SearchQuery, Term
from kb.urls import normalize_url

__all__ = [
    "Alternative",
    "Concept",
    "Plan",
    "plan_query",
    "min_match",
    "name_spans",
    "looks_like_url",
    "MAX_NAME_WORDS",
    "MAX_CONCEPTS",
    "top_parts",
]

MAX_NAME_WORDS = 6  # longest entity name looked up in a query, in words
MAX_CONCEPTS = 32  # words past this many are ignored: no reader query is longer

AltKind = Literal["stems", "words", "entity", "url"]


@dataclass(frozen=True)
class Alternative:
    """One way to match a concept.

    `stems`: the stems in this order, adjacent (one stem = a word in any form); `words`:
    the exact analysed words, adjacent (a quoted phrase); `entity`: items mentioning the
    entity or topic `value`; `url`: items whose link (or a link in their text) has key `value`.
    `exact` holds the words as typed, for ranking exact forms above other forms.
    """

    kind: AltKind
    tokens: tuple[str, ...] = ()
    value: str = ""
    exact: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    label: str  # as typed, for messages
    alternatives: tuple[Alternative, ...]
    required: bool = False
    words: tuple["Concept", ...] = ()  # an entity name's own words, each a concept (relaxing)

    @property
    def entity_ids(self) -> tuple[str, ...]:
        return tuple(a.value for a in self.alternatives if a.kind == "entity")


@dataclass(frozen=True)
class Plan:
    concepts: tuple[Concept, ...]
    excluded: tuple[Alternative, ...] = ()
    min_match: int = 0
    linked: tuple[tuple[str, str], ...] = ()  # (text as typed, entity id) read as entities

    @property
    def has_concepts(self) -> bool:
        return bool(self.concepts)

    @property
    def can_relax(self) -> bool:
        return self.min_match > 1 or any(c.words for c in self.concepts)

    def relaxed(self) -> "Plan":
        """Any one concept enough, and the words of a multi-word entity name count one by one
        (used when too few items match enough of the query)."""
        concepts = tuple(x for c in self.concepts for x in (c, *c.words))
        return Plan(concepts, self.excluded, 1 if concepts else 0, self.linked)


def min_match(concepts: int) -> int:
    """All of 1 or 2 concepts; then 60% rounded up: 2 of 3, 3 of 4, 3 of 5, 4 of 6, 5 of 8."""
    return concepts if concepts <= 2 else math.ceil(0.6 * concepts)


_URLISH = re.compile(r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+/\S*$", re.IGNORECASE)


def looks_like_url(text: str) -> bool:
    return bool(_URLISH.match(text.strip()))


def _word_alternative(text: str) -> Alternative | None:
    """A typed word: its stems, adjacent ("GPT-4o" is the stem phrase "gpt 4o")."""
    typed = tuple(words(text))
    if not typed:
        return None
    return Alternative("stems", tuple(stem(w) for w in typed), exact=typed)


def _phrase_alternative(text: str) -> Alternative | None:
    typed = tuple(words(text))
    return Alternative("words", typed, exact=typed) if typed else None


def _alternative(node: Term | Phrase) -> Alternative | None:
    return _phrase_alternative(node.text) if isinstance(node, Phrase) else _word_alternative(node.text)


def name_spans(terms: list[str]) -> Iterable[tuple[int, int, str]]:
    """(start, end, name key) of every run of up to MAX_NAME_WORDS consecutive words."""
    for start in range(len(terms)):
        for end in range(min(len(terms), start + MAX_NAME_WORDS), start, -1):
            key = name_key(" ".join(terms[start:end]))
            if key:
                yield start, end, key


def _link(terms: list[str], lookup: Callable[[str], str | None]) -> list[tuple[int, int, str]]:
    """Longest entity names first, left to right; a span never starts or ends on a stop word."""
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    spans = sorted(name_spans(terms), key=lambda s: (-(s[1] - s[0]), s[0]))
    for start, end, key in spans:
        if taken & set(range(start, end)) or is_stopword(terms[start]) or is_stopword(terms[end - 1]):
            continue
        entity_id = lookup(key)
        if entity_id:
            found.append((start, end, entity_id))
            taken.update(range(start, end))
    return sorted(found)


def _join_neighbours(concepts: list[Concept], plain: list[tuple[int, int]]) -> None:
    """Two typed words may be one written word ("easy ocr" -> EasyOCR, "tensor flow"):
    both concepts also match the joined word, so such an item matches both."""
    for (i, a), (j, b) in zip(plain, plain[1:]):
        if j != i + 1:
            continue
        left, right = concepts[a].alternatives[0].exact, concepts[b].alternatives[0].exact
        joined = left[0] + right[0]
        alt = Alternative("stems", (stem(joined),), exact=(joined,))
        concepts[a] = replace(concepts[a], alternatives=(*concepts[a].alternatives, alt))
        concepts[b] = replace(concepts[b], alternatives=(*concepts[b].alternatives, alt))


def top_parts(node: QueryNode | None) -> tuple[QueryNode, ...]:
    """The query's top-level parts (what `And` joins), in order."""
    if node is None:
        return ()
    return node.parts if isinstance(node, And) else (node,)


def plan_query(query: SearchQuery) -> Plan:
    """The concepts of `query.text` (see the module docstring)."""
    parts = top_parts(query.node)
    text = query.text.strip()
    if len(parts) == 1 and isinstance(parts[0], Term) and looks_like_url(text):
        url = Alternative("url", value=normalize_url(text.lstrip("+")))
        return Plan((Concept(text, (url,)),), min_match=1)
    names = dict(query.known_names) if not query.literal else {}
    excluded = tuple(
        alt for p in parts if isinstance(p, Not) and (alt := _alternative(p.part)) is not None
    )[:MAX_CONCEPTS]
    positive = [p for p in parts if not isinstance(p, Not)]
    plain_terms = [p for p in positive if isinstance(p, Term)]
    only_stopwords = all(is_stopword(p.text) for p in plain_terms) and len(plain_terms) == len(positive)

    concepts: list[Concept] = []
    linked: list[tuple[str, str]] = []
    run: list[Term] = []

    def flush_run() -> None:
        texts = [t.text for t in run]
        spans = _link(texts, names.get) if names else []
        position = 0
        plain: list[tuple[int, int]] = []  # (index in run, index in concepts) of single words
        for start, end, entity_id in [*spans, (len(run), len(run), "")]:
            for index in range(position, start):
                term = run[index]
                if only_stopwords or term.required or not is_stopword(term.text):
                    alt = _word_alternative(term.text)
                    if alt:
                        if len(alt.tokens) == 1:
                            plain.append((index, len(concepts)))
                        concepts.append(Concept(term.text, (alt,), term.required))
            if entity_id:
                label = " ".join(texts[start:end])
                alt = _word_alternative(label)
                alts = (Alternative("entity", value=entity_id), *((alt,) if alt else ()))
                parts = tuple(
                    Concept(t, (a,))
                    for t in texts[start:end]
                    if end - start > 1 and not is_stopword(t) and (a := _word_alternative(t))
                )
                concepts.append(Concept(label, alts, words=parts))
                linked.append((label, entity_id))
            position = end
        _join_neighbours(concepts, plain)
        run.clear()

    for part in positive:
        if isinstance(part, Term) and not part.required:
            run.append(part)
            continue
        flush_run()
        if isinstance(part, Or):
            alts = tuple(a for p in part.parts if isinstance(p, (Term, Phrase)) and (a := _alternative(p)))
            if alts:
                concepts.append(Concept(" OR ".join(p.text for p in part.parts if isinstance(p, (Term, Phrase))), alts))
        elif isinstance(part, (Term, Phrase)):
            alt = _alternative(part)
            if alt:
                concepts.append(Concept(part.text, (alt,), part.required))
    flush_run()
    del concepts[MAX_CONCEPTS:]
    optional = [c for c in concepts if not c.required]
    # with +required words the others only rank (as Lucene's `+a b`); otherwise coordination
    needed = 0 if len(optional) < len(concepts) else min_match(len(optional))
    return Plan(tuple(concepts), excluded, needed, tuple(linked))
