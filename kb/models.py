"""Domain objects shared by the indexer, the backends and the app.

They are plain frozen dataclasses so that every pipeline stage is a function from data to
data, and so both backends index exactly the same thing.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

__all__ = [
    "ENTITY_TYPES",
    "CANDIDATE_PREFIX",
    "is_candidate",
    "Mention",
    "Item",
    "Issue",
    "slugify",
    "content_hash",
    "issue_id_for",
    "item_id_for",
    "replace",
]

ENTITY_TYPES: tuple[str, ...] = (
    "ORG",
    "PERSON",
    "MODEL",
    "HARDWARE",
    "PRODUCT",
    "DATASET",
    "EVENT",
    "TOPIC",
)

MentionField = Literal["title", "text"]

# Entity ids of names found by rules but not (yet) in the catalog: "new:qwen3.6-27b".
CANDIDATE_PREFIX = "new:"


def is_candidate(entity_id: str) -> bool:
    return entity_id.startswith(CANDIDATE_PREFIX)


def slugify(value: str) -> str:
    """Lower-case ASCII slug: the stable part of every id."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^a-zA-Z0-9.+]+", "-", value.lower()).strip("-")
    return value or "x"


def content_hash(*parts: str) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def issue_id_for(publication: str, number: int | None, source_name: str) -> str:
    """Deterministic issue id: the same issue re-ingested (even from another path) keeps it."""
    if number is not None:
        return f"{slugify(publication)}-{number}"
    return f"{slugify(publication)}-{content_hash(source_name)[:10]}"


def item_id_for(issue_id: str, position: int) -> str:
    return f"{issue_id}-{position:03d}"


@dataclass(frozen=True)
class Mention:
    """One entity or topic found in an item's title or text (offsets into that field)."""

    start: int
    end: int
    text: str
    type: str
    entity_id: str
    field: MentionField = "text"


@dataclass(frozen=True)
class Item:
    """One covered story: a title, its link and its description, inside a section."""

    title: str
    text: str = ""
    url: str | None = None
    section: str | None = None
    position: int = 0
    id: str = ""
    issue_id: str = ""
    mentions: tuple[Mention, ...] = ()
    links: tuple[str, ...] = ()

    @property
    def entity_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.entity_id for m in self.mentions))


@dataclass(frozen=True)
class Issue:
    """One newsletter issue: metadata, intro and its items in reading order."""

    publication: str
    source: str
    number: int | None = None
    title: str = ""
    summary: str = ""
    intro: str = ""
    date: date | None = None
    date_estimated: bool = False
    tags: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    id: str = ""
    fingerprint: str = ""

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.section for i in self.items if i.section))

    def with_ids(self) -> "Issue":
        """Fill issue id, item ids/positions and the fingerprint (content and mentions)."""
        issue_id = self.id or issue_id_for(self.publication, self.number, self.source)
        items = tuple(
            replace(item, position=pos, id=item_id_for(issue_id, pos), issue_id=issue_id)
            for pos, item in enumerate(self.items, start=1)
        )
        fingerprint = content_hash(
            self.publication,
            str(self.number),
            self.title,
            self.summary,
            self.intro,
            self.date.isoformat() if self.date else "",
            str(self.date_estimated),
            ",".join(self.tags),
            *(f"{i.section}|{i.title}|{i.url}|{i.text}|{i.mentions}" for i in items),
        )
        return replace(self, id=issue_id, items=items, fingerprint=fingerprint)
