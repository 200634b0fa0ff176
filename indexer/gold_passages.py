"""Gold passages that name their text instead of carrying it.

Our own gold files (`tests/ner_gold/`) must not copy newsletter text into the repository, so
a passage is stored as its source file, its item's position in the parsed archive and a
digest of its text; the text is rebuilt from the corpus (`../shared/corpus` by default) the
same way it was cut: the item's title, a line break, its text, at most PASSAGE_MAX_CHARS.
If the parsers have since changed the text, each entity is found again by its own words near
its old offset, so the annotations survive; a passage whose names cannot be found is an error
naming the passage.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["PASSAGE_MAX_CHARS", "DEFAULT_CORPUS", "passage_text", "text_digest", "resolve_rows"]

PASSAGE_MAX_CHARS = 1500
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def text_digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def passage_text(title: str, text: str) -> str:
    return (title + "\n" + text)[:PASSAGE_MAX_CHARS]


@lru_cache(maxsize=8)
def _archive(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """(title, text) of every item of every issue file in an archive folder, parsed together."""
    from indexer.parsers import parse_paths

    parsed, _ = parse_paths([folder])
    return {path.name: [(item.title, item.text) for issue in issues for item in issue.items]
            for path, issues in parsed.items()}


def _realign(new_text: str, entity: dict[str, Any]) -> tuple[int, int] | None:
    name = entity["text"]
    if new_text[entity["start"]:entity["end"]] == name:
        return entity["start"], entity["end"]
    candidates = []
    at = new_text.find(name)
    while at >= 0:
        candidates.append(at)
        at = new_text.find(name, at + 1)
    if not candidates:
        return None
    best = min(candidates, key=lambda c: abs(c - entity["start"]))
    return best, best + len(name)


def resolve_rows(rows: list[dict[str, Any]], where: str, corpus: Path = DEFAULT_CORPUS) -> list[dict[str, Any]]:
    """Rows with `source`/`item`/`text_sha1` and no `text` get their text from the corpus."""
    resolved = []
    for row in rows:
        if "text" in row or "source" not in row:
            resolved.append(row)
            continue
        source = Path(row["source"])
        folder = corpus / source.parent
        if not folder.is_dir():
            raise FileNotFoundError(f"{where}: passage {row['id']}: corpus folder {folder} not found")
        items = _archive(folder).get(source.name)
        if items is None or not 0 <= row["item"] < len(items):
            raise ValueError(f"{where}: passage {row['id']}: no item {row['item']} in {source}")
        text = passage_text(*items[row["item"]])
        entities = row["entities"]
        if text_digest(text) != row.get("text_sha1"):
            moved = []
            for entity in entities:
                span = _realign(text, entity)
                if span is None:
                    raise ValueError(f"{where}: passage {row['id']}: {entity['text']!r} is no longer in the "
                                     f"parsed text of {source} item {row['item']}")
                moved.append({**entity, "start": span[0], "end": span[1]})
            entities = moved
        resolved.append({**row, "text": text, "entities": entities})
    return resolved
