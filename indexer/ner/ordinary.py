"""How ordinary a word is in general English: its Zipf frequency from `wordfreq`.

Why: a capitalised word the rules do not know is a name far more often when English does
not use it ("Albumentations", "Datadog", "Fixup") than when it does ("Researchers",
"Natural", "Limits"); and a lower-case word English never uses ("einops", "lxml") is often a
tool. The catalog and our own lists cannot know every ordinary word; `wordfreq` (Apache-2.0
code, CC-BY-SA 4.0 data by Robyn Speer et al., built from Wikipedia, subtitles, news, books,
web text and more) does. Zipf scale: 0 (unseen) to about 7.7 ("the"); 3 is once per million words.
"""
from __future__ import annotations

import math
from functools import lru_cache

__all__ = ["zipf", "zipf_bucket"]


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en", wordlist="best")


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """The Zipf frequency of `word` (any case) in English; 0.0 when English does not use it.
    A plain word is one dictionary lookup (what `zipf_frequency` computes, without its
    tokenizer: most of the extractor's time went there); others ("gpt-4") take the long way."""
    if word.isalpha():
        frequency = _frequencies().get(word.lower())
        return round(math.log10(frequency) + 9, 2) if frequency else 0.0
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def zipf_bucket(word: str) -> str:
    """A coarse class for features: '0' (unseen), then whole Zipf steps up to '5+'."""
    z = zipf(word.lower())
    return "0" if z == 0 else "5+" if z >= 5 else str(int(z))
