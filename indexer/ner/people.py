"""People: two or three name words with a given name, a surname or a person context.

Why: person names are the most open class; no catalog lists every researcher or CEO.
"Garrett Hoffman", "Omer Dror" or "Raquel Urtasun" are found from a known given name or
surname, or from the words around them ("CEO X Y", "X Y explains", "X Y, co-founder of").
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.ner.chunks import Word
from indexer.ner.context import words_after, words_before
from indexer.ner.lexicon import (
    GIVEN_NAMES, STRONG_ROLES, PERSON_ROLES_BEFORE, PERSON_VERBS_AFTER, SURNAMES,
)
from indexer.ner.shapes import is_person_word

__all__ = ["person_windows", "person_context"]
_INITIAL = re.compile(r"^[A-Z]\.$")
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "del", "la", "le", "bin", "al"})


def _is_part(word: str, position: int) -> bool:
    return is_person_word(word) or (position > 0 and bool(_INITIAL.match(word)))


_NOT_NAME_END = re.compile(r"(?:ing|tion|sion|ive|ment|ness|ity|ics|ogy|ers|ors|ism|ist|ful|ous|able|ible|ed)$")
_ROLES = frozenset(w.rstrip(".") for w in PERSON_ROLES_BEFORE)
_WEAK_ROLES = frozenset({"by", "with", "featuring", "feat", "ft", "guest", "host", "speaker", "keynote"})


def person_context(text: str, start: int, end: int) -> bool:
    """A person cue: a role before ("CEO", "by", "Dr."), a speech verb or a role after."""
    before = words_before(text, start, 2)
    if before and before[0].lower().rstrip(".") in _ROLES:
        if before[0].lower().rstrip(".") not in _WEAK_ROLES:
            return True
        return not any(_NOT_NAME_END.search(w) for w in text[start:end].split())
    after = words_after(text, end, 4)
    if after and after[0].lower() in PERSON_VERBS_AFTER:
        return True
    if len(after) >= 2 and after[0] in {"'s", "’s"} and after[1].lower() in {
            "talk", "keynote", "lecture", "blog", "post", "essay", "course", "thoughts", "book", "thread"}:
        return True
    return len(after) >= 2 and after[0] == "," and (
        after[1].lower() in STRONG_ROLES
        or (len(after) >= 3 and after[1].lower() in {"the", "a", "an"} and after[2].lower() in STRONG_ROLES))


def person_windows(text: str, words: Sequence[Word], *, role_before: bool = False) -> list[tuple[int, int, bool]]:
    """(start, end, has_context) for each person name among consecutive capitalised `words`.

    A run of 2-3 name words is a person when its first word is a known given name, its
    last word a known surname, or the text around it is a person context.
    """
    out: list[tuple[int, int, bool]] = []
    i, n = 0, len(words)
    while i < n:
        if not _is_part(words[i].text, 0) or words[i].text.lower() in _PARTICLES:
            i += 1
            continue
        j = i + 1
        while j < n and (_is_part(words[j].text, j - i) or (words[j].text in _PARTICLES and j + 1 < n)):
            j += 1
        run = words[i:j]
        if words[j - 1].text in _PARTICLES:
            run = run[:-1]
        if len(run) > 3:  # a title in capitals with a name inside: keep given-name windows
            k = next((k for k, w in enumerate(run[:-1]) if w.text.lower() in GIVEN_NAMES), None)
            if k is not None:
                run = run[k:k + 3] if k + 3 <= len(run) and run[k + 2].text.lower() in SURNAMES else run[k:k + 2]
            elif role_before and run[-2].text not in _PARTICLES:
                run = run[-2:]
            else:
                run = []
        if 2 <= len(run) <= 3:
            start, end = run[0].start, run[-1].end
            known = run[0].text.lower() in GIVEN_NAMES or run[-1].text.lower() in SURNAMES
            context = role_before or person_context(text, start, end)
            if known or context:
                out.append((start, end, context))
        i = j
    return out
