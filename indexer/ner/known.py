"""Known names: a broad list of the field's names by type, beyond the catalog.

Why: most names the extractor misses on issues it has never seen are names any reader of the
field knows ("Datadog", "Cassandra", "nginx", "SwiGLU", "Advent of Code") but that no catalog
entry, rule or context cue anticipated. The catalog stays small and curated (every entry has
an entity page); this list only tells the learned name finder that a span is a known name and
of which type(s) (features `known=` / `known.folded=`), and offers known names written in
lower case or across words the capitalised runs miss ("scikit-learn", "Delta Lake") as its
candidates. The finder still decides by context: "Spark" the engine or a spark of an idea.

The names live in `indexer/ner/data/known-names/<TYPE>.txt`, one per line, written from
general knowledge of the field (see each file's header), never from an evaluation file.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["KNOWN_DIR", "KnownNames", "known_names"]

KNOWN_DIR = Path(__file__).parent / "data" / "known-names"
_WORD_ENDS = re.compile(r"(?![\w+#]|[.\-'’]\w)")  # nothing of the word goes on after a name
# a word, with the inner punctuation names keep ("scikit-learn", "Node.js", "C++", "C#")
_TOKEN = re.compile(r"(?<![\w\-.@/])\w(?:[\w.+#\-'’]*[\w+#])?")


class KnownNames:
    """Lookups by exact spelling and case-folded, each giving the types a name is listed under."""

    def __init__(self, names: Iterable[tuple[str, str]]):
        exact: dict[str, set[str]] = {}
        folded: dict[str, set[str]] = {}
        for name, type_ in names:
            exact.setdefault(name, set()).add(type_)
            folded.setdefault(name.casefold(), set()).add(type_)
        self.exact = {k: "+".join(sorted(v)) for k, v in exact.items()}
        self.folded = {k: "+".join(sorted(v)) for k, v in folded.items()}
        by_first: dict[str, list[str]] = {}
        for name in exact:
            first = _TOKEN.match(name)
            if first:
                by_first.setdefault(first.group(), []).append(name)
        # names by their first word, longest first: the longest listed name at a place wins
        self._by_first = {w: sorted(ns, key=len, reverse=True) for w, ns in by_first.items()}
        self._first_words = frozenset(self._by_first)

    def __len__(self) -> int:
        return len(self.exact)

    def types(self, span: str) -> tuple[str | None, str | None]:
        """(types under the exact spelling, types case-folded), either None when not listed."""
        return self.exact.get(span), self.folded.get(span.casefold())

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where listed names occur in `text` as whole words, spelt as listed (the longest at
        each start; overlaps are left to the finder)."""
        hits = self._first_words.intersection(_TOKEN.findall(text))
        out = []
        for word in hits:
            at = text.find(word)
            while at >= 0:
                first = _TOKEN.match(text, at)
                if first and first.group() == word:
                    for name in self._by_first[word]:
                        if text.startswith(name, at) and _WORD_ENDS.match(text, at + len(name)):
                            out.append((at, at + len(name)))
                            break
                at = text.find(word, at + 1)
        return sorted(out)


def _read(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=4)
def known_names(folder: Path = KNOWN_DIR) -> KnownNames:
    """Every list of `folder`, typed by its file name (`ORG.txt` lists ORG names)."""
    pairs = []
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        pairs += [(name, path.stem) for name in _read(path)]
    return KnownNames(pairs)
