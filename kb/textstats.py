"""Term statistics shared by both backends' "more like this" (same words, same limits)."""
from __future__ import annotations

import re
from collections import Counter

__all__ = ["candidate_terms", "STOPWORDS", "MLT_MAX_TERMS", "MLT_MIN_DOC_FREQ", "MLT_MIN_WORD_LENGTH"]

MLT_MAX_TERMS = 25
MLT_MIN_DOC_FREQ = 2
MLT_MIN_WORD_LENGTH = 3

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves new use using used via
    one two three how this week""".split()
)

_WORD = re.compile(r"\w+", re.UNICODE)


def candidate_terms(text: str) -> Counter[str]:
    """Lower-cased words worth matching on, with their counts in the text."""
    return Counter(
        w
        for w in (m.group(0).lower() for m in _WORD.finditer(text))
        if len(w) >= MLT_MIN_WORD_LENGTH and w not in STOPWORDS and not w.isdigit()
    )
