"""Acronym definitions: "Center for Research on Foundation Models (CRFM)".

Why: a definition names a thing twice, and the long form usually tells its type. Both
spans become mentions with one id, and later bare uses of the acronym in the same text are
that entity too. The long form is found with the Schwartz-Hearst algorithm (each letter of
the acronym, right to left, in the words before the parenthesis; the first letter starts
a word).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Definition", "find_definitions", "long_form"]

_DEF = re.compile(
    r"[(\[](?:(?<=[\w\"”’')] [(\[])|(?<=[\w\"”’')][(\[]))(?:aka |a\.k\.a\.? |or |i\.e\.,? )?"
    r"(?P<short>[A-Za-z][A-Za-z0-9.&-]{0,11}?)(?P<plural>s?)[)\]]")
_WORDS_BEFORE = re.compile(r"[^\s(]+")
_STRIP = "\"“”'‘’(["


@dataclass(frozen=True)
class Definition:
    long_start: int
    long_end: int
    short_start: int
    short_end: int

    def long_text(self, text: str) -> str:
        return text[self.long_start:self.long_end]

    def short_text(self, text: str) -> str:
        return text[self.short_start:self.short_end]


def long_form(short: str, candidate: str) -> int | None:
    """Index in `candidate` where the long form of `short` starts, or None (Schwartz-Hearst)."""
    s, c = len(short) - 1, len(candidate) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while c >= 0 and (candidate[c].lower() != ch or (s == 0 and c > 0 and candidate[c - 1].isalnum())):
            c -= 1
        if c < 0:
            return None
        c -= 1
        s -= 1
    return candidate.rfind(" ", 0, c + 1) + 1


def find_definitions(text: str) -> list[Definition]:
    """Every "Long Form (LF)" pair in `text` whose acronym has two or more capitals."""
    out: list[Definition] = []
    if "(" not in text and "[" not in text:
        return out
    for m in _DEF.finditer(text):
        short = m.group("short")
        if sum(ch.isupper() for ch in short) < 2 or short.isdigit() or len(short) < 2:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        stop = text.rfind(". ", 0, m.start())
        sentence_start = max(line_start, stop + 2 if stop >= 0 else 0)
        words = list(_WORDS_BEFORE.finditer(text, sentence_start, m.start()))
        n_letters = sum(ch.isalnum() for ch in short)
        words = words[-min(n_letters + 5, 2 * n_letters):]
        if not words:
            continue
        base = words[0].start()
        candidate = text[base:m.start()].rstrip()
        at = long_form(short, candidate)
        if at is None:
            continue
        start = base + at
        end = base + len(candidate)
        while start < end and text[start] in _STRIP:
            start += 1
        while end > start and text[end - 1] in _STRIP + ",":
            end -= 1
        long_text = text[start:end]
        if len(long_text.split()) < 2 and "-" not in long_text and not any(c.isupper() for c in long_text[1:]):
            continue  # one plain word is not a long form
        if len(long_text) <= len(short) + 1:
            continue
        out.append(Definition(start, end, m.start("short"), m.end("short") + len(m.group("plural"))))
    return out
