"""The rules' word lists, read from `indexer/ner/data/*.txt`: one file per kind of word.

Why data files: the vocabularies are knowledge, not logic; each file says where its words
come from, and a reviewer can see at a glance that no list holds an evaluation file's names.
A file is words separated by white space; `#` starts a comment; `[name]` starts a section.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["DATA", "words", "section", "sections"]

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def sections(name: str) -> dict[str, frozenset[str]]:
    """Every section of a data file ('' holds words before the first section header)."""
    found: dict[str, set[str]] = {"": set()}
    current = ""
    for raw in (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            found.setdefault(current, set())
            continue
        found[current].update(line.split())
    return {key: frozenset(value) for key, value in found.items()}


def section(name: str, part: str) -> frozenset[str]:
    try:
        return sections(name)[part]
    except KeyError:
        raise KeyError(f"{DATA / (name + '.txt')}: no section [{part}]") from None


def words(name: str) -> frozenset[str]:
    """All words of a data file, every section together."""
    return frozenset().union(*sections(name).values())
