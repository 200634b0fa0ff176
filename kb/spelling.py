"""Did-you-mean rules shared by both backends, so they correct the same words the same way.

The limits mirror Elasticsearch's term suggester defaults (words of 4+ characters, the first
character kept, at most 2 edits, a swap of two letters counting as one), and the choice is
fewest edits first, then the word found in most items.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Mapping

__all__ = [
    "MIN_WORD_LENGTH",
    "MAX_EDITS",
    "PREFIX_LENGTH",
    "query_words",
    "fold",
    "edit_distance",
    "best_correction",
    "rewrite",
]

MIN_WORD_LENGTH = 4
MAX_EDITS = 2
PREFIX_LENGTH = 1

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def query_words(text: str) -> list[str]:
    """Lower-cased distinct words of a query worth checking (no numbers, no `OR`)."""
    words: dict[str, None] = {}
    for m in _WORD.finditer(text or ""):
        word = m.group(0)
        if word != "OR" and len(word) >= MIN_WORD_LENGTH and not word.isdigit():
            words.setdefault(word.lower(), None)
    return list(words)


def fold(word: str) -> str:
    """The word without diacritics, as SQLite's unicode61 tokenizer stores it."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, changes and swaps."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def best_correction(word: str, candidates: Mapping[str, int]) -> str | None:
    """The closest indexed term (term -> items containing it), most frequent on ties."""
    scored = [
        (distance, -freq, term)
        for term, freq in candidates.items()
        if term != word
        and term[:PREFIX_LENGTH] == word[:PREFIX_LENGTH]
        and abs(len(term) - len(word)) <= MAX_EDITS
        and freq > 0
        and (distance := edit_distance(word, term)) <= MAX_EDITS
    ]
    return min(scored)[2] if scored else None


def rewrite(text: str, corrections: Mapping[str, str]) -> str | None:
    """The query with corrected words swapped in (operators and quotes kept); None if none."""
    if not corrections:
        return None
    return _WORD.sub(lambda m: corrections.get(m.group(0).lower(), m.group(0)), text).strip()
