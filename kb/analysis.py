"""Text analysis shared by indexing and querying, so both backends see the same tokens.

Neither engine analyses text on its own: this module turns a title or a description into
folded, lower-case words (`words`) and their English stems (`stem`), and both backends index
those strings as they are (SQLite FTS5's unicode61 and Elasticsearch's `whitespace` analyzer
split them on spaces and change nothing else). That is how "GPUs" finds "GPU" on the bare
Elasticsearch test server, which has no stemming filters, and why both backends count the
same items for every word.

Stemming is Snowball English (Porter2), plus one rule for the plurals of names it cannot see
as plurals: acronyms and model numbers ("LLMs", "GPUs", "CNNs", "H100s" -> "llm", "gpu",
"cnn", "h100"). Words with digits are otherwise left as they are ("gpt", "4o", "h100").
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

__all__ = [
    "tokenize",
    "words",
    "analysed",
    "fold",
    "stem",
    "name_key",
    "STOPWORDS",
    "is_stopword",
]

# Han, kana and hangul characters are one token each (as Elasticsearch's standard tokenizer
# does); every other run of letters and digits is one token.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+", re.UNICODE)
_APOSTROPHES = "'’"

# Words that never decide whether an item matches: function words, and the words of a
# question or a request ("what is", "how do I", "which … should I"). Inside "quoted
# phrases" they still count.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then us
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves
    anyone anything anybody someone something tell explain know find show give get got want
    need please help let lets whats hows whos wheres whens thats theres im ive id youre
    ever really much many way ways""".split()
)


def fold(text: str) -> str:
    """Lower case without diacritics ("Café" -> "cafe"), as FTS5's unicode61 folds."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=100_000)
def _token_words(raw: str) -> tuple[str, ...]:
    """The word(s) one raw token folds to (folding can reveal separators: "½" -> "1⁄2")."""
    folded = fold(raw)
    if folded.isalnum() or len(folded) == 1:
        return (folded,)
    return tuple(_TOKEN.findall(folded))


def tokenize(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Words and their (start, end) offsets in `text`; a possessive "'s" is dropped
    ("Tesla's" -> "tesla"). The hot path of indexing and ranking: kept lean."""
    out_words: list[str] = []
    spans: list[tuple[int, int]] = []
    previous_end = -1
    for m in _TOKEN.finditer(text or ""):
        start, end = m.span()
        raw = m.group()
        if (raw == "s" or raw == "S") and start >= 2 and start - 1 == previous_end and text[start - 1] in _APOSTROPHES:
            continue
        previous_end = end
        for word in _token_words(raw):
            out_words.append(word)
            spans.append((start, end))
    return out_words, spans


_ASCII_WORD = re.compile(r"[a-z0-9]+")
_ASCII_POSSESSIVE = re.compile(r"(?<=[A-Za-z0-9])'[sS](?![A-Za-z0-9])")


def words(text: str) -> list[str]:
    """The words of `text` (as `tokenize`, without offsets; a fast path for ASCII text)."""
    if text.isascii():
        return _ASCII_WORD.findall(_ASCII_POSSESSIVE.sub("", text).lower())
    return tokenize(text)[0]


def analysed(text: str) -> str:
    """The indexed form of a text: its words joined by single spaces."""
    return " ".join(words(text))


_SNOWBALL = snowballstemmer.stemmer("english")
_PLURAL_EXCEPTIONS = frozenset({"plus", "thus", "bus", "gas", "yes", "us", "this", "has", "was", "is", "his"})
_VOWELS = frozenset("aeiouy")


def _acronym_plural(word: str) -> bool:
    """"llms", "cnns", "gpus", "h100s", "1990s": plurals Snowball keeps whole."""
    if len(word) < 3 or not word.endswith("s") or word.endswith("ss") or word in _PLURAL_EXCEPTIONS:
        return False
    body = word[:-1]
    if any(c.isdigit() for c in body):
        return body[-1].isalnum()
    if not body.isascii() or not body.isalpha():
        return False
    if not _VOWELS & set(body):
        return True  # no vowel at all: an acronym
    # consonants then one final "u": gpus, cpus, tpus, npus
    return body.endswith("u") and len(body) >= 3 and not _VOWELS & set(body[:-1])


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one analysed word (see the module docstring for the rules)."""
    if _acronym_plural(word):
        word = word[:-1]
    if any(c.isdigit() for c in word) or not word.isascii():
        return word
    return _SNOWBALL.stemWord(word)


def is_stopword(raw: str) -> bool:
    """A function or question word; an acronym typed in capitals ("IT", "US") is not one."""
    if len(raw) >= 2 and raw.isupper():
        return False
    folded = words(raw)
    return bool(folded) and all(w in STOPWORDS for w in folded)


def name_key(text: str) -> str:
    """One key for every spelling of a name: "Llama 3", "llama-3", "Llama3", "LLaMA 3's"
    all give "llama3"; plurals fold too ("LLMs" = "LLM")."""
    return "".join(stem(w) for w in words(text))
