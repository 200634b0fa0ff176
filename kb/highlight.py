"""Highlighted titles and snippets, made the same way for every backend.

A word is marked when it matches a concept of the plan in any form ("GPU" for "GPUs"), or
lies inside a mention of an entity the query named. The snippet is the stretch of the text
with the most distinct concepts, then the most matches.
"""
from __future__ import annotations

from kb.backends.snippets import HL_CLOSE, HL_OPEN, lead
from kb.models import Mention
from kb.plan import Plan
from kb.ranking import Analysed, analyse

__all__ = ["highlight", "SNIPPET_WORDS"]

SNIPPET_WORDS = 36


def _matchers(plan: Plan) -> tuple[list[tuple[int, tuple[str, ...], str]], dict[str, int]]:
    """(concept index, tokens, kind) for word alternatives; entity id -> concept index."""
    seqs: list[tuple[int, tuple[str, ...], str]] = []
    entities: dict[str, int] = {}
    for i, concept in enumerate(plan.concepts):
        for alt in concept.alternatives:
            if alt.kind in ("stems", "words") and alt.tokens:
                seqs.append((i, alt.tokens, alt.kind))
            elif alt.kind == "entity":
                entities.setdefault(alt.value, i)
    return seqs, entities


def _marks(plan: Plan, field_: Analysed, mentions: list[Mention]) -> dict[int, int]:
    """Token index -> concept index for every matched token of one field."""
    seqs, entities = _matchers(plan)
    marked: dict[int, int] = {}
    for concept, toks, kind in seqs:
        seq = field_.words if kind == "words" else field_.stems
        n = len(toks)
        for p in range(len(seq) - n + 1):
            if seq[p] == toks[0] and seq[p : p + n] == toks:
                for q in range(p, p + n):
                    marked.setdefault(q, concept)
    for m in mentions:
        concept = entities.get(m.entity_id)
        if concept is None:
            continue
        for p, (a, b) in enumerate(field_.spans):
            if a >= m.start and b <= m.end:
                marked.setdefault(p, concept)
    return marked


def _render(text: str, field_: Analysed, marked: dict[int, int], first: int, last: int) -> str:
    """Text from token `first` to `last` (inclusive) with sentinels around marked tokens."""
    spans = field_.spans
    start = 0 if first == 0 else spans[first][0]
    end = len(text) if last >= len(spans) - 1 else spans[last][1]
    out: list[str] = []
    cursor = start
    for p in sorted(q for q in marked if first <= q <= last):
        a, b = spans[p]
        out.append(text[cursor:a])
        out.append(f"{HL_OPEN}{text[a:b]}{HL_CLOSE}")
        cursor = b
    out.append(text[cursor:end])
    body = "".join(out).strip()
    return ("… " if first > 0 else "") + body + (" …" if last < len(spans) - 1 else "")


def _best_window(marked: dict[int, int], size: int, length: int) -> int:
    if not marked or length <= size:
        return 0
    best, best_start = (-1, -1), 0
    positions = sorted(marked)
    for p in positions:
        start = max(0, min(p - 3, length - size))
        inside = [q for q in positions if start <= q < start + size]
        key = (len({marked[q] for q in inside}), len(inside))
        if key > best:
            best, best_start = key, start
    return best_start


def highlight(plan: Plan | None, title: str, text: str, mentions: tuple[Mention, ...]) -> tuple[str, str]:
    """(title, snippet) with HL_OPEN/HL_CLOSE around matches (escape with `marked_html`)."""
    if plan is None or not plan.concepts:
        return title, lead(text)
    title_field, text_field = analyse(title), analyse(text)
    title_marks = _marks(plan, title_field, [m for m in mentions if m.field == "title"])
    text_marks = _marks(plan, text_field, [m for m in mentions if m.field == "text"])
    marked_title = _render(title, title_field, title_marks, 0, len(title_field.spans)) if title_marks else title
    if not text_marks or not text_field.spans:
        return marked_title, lead(text)
    first = _best_window(text_marks, SNIPPET_WORDS, len(text_field.spans))
    last = min(first + SNIPPET_WORDS - 1, len(text_field.spans) - 1)
    return marked_title, _render(text, text_field, text_marks, first, last)
