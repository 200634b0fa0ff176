"""The one place where an issue's item becomes an index document, for every backend.

Searchable text is analysed here (`kb.analysis`), not by the engines: each backend indexes the
same words (`*_words`: folded, lower case) and stems (`*_stems`) and splits them on spaces.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import urlsplit

from kb.analysis import stem, words
from kb.models import Issue, Item, Mention
from kb.urls import url_keys

__all__ = [
    "to_document",
    "entity_words",
    "id_words",
    "id_stems",
    "link_words",
    "SEARCH_FIELDS",
    "PHRASE_FIELDS",
    "searchable_texts",
    "analysed_fields",
]

# The searchable fields; each has `<name>_words`, `<name>_stems` and `<name>_len` in the index.
# Every field is searched by stems; quoted phrases and did-you-mean use the words of the
# first three (a link's words are not worth proposing as spellings).
SEARCH_FIELDS: tuple[str, ...] = ("title", "text", "entities", "link")
PHRASE_FIELDS: tuple[str, ...] = ("title", "text", "entities")


def entity_words(mentions: Iterable[Mention]) -> str:
    """Searchable names of an item's entities: surfaces, then canonical id words.

    Indexing the id words ("ai21-labs" -> "ai21 labs") lets a search for the canonical name
    find items that only used an alias.
    """
    names: dict[str, None] = {}
    for m in mentions:
        names.setdefault(m.text, None)
        names.setdefault(id_words(m.entity_id), None)
    return " | ".join(names)


def id_words(entity_id: str) -> str:
    """The words of an entity id ("new:ai21-labs" -> "ai21 labs"), indexed with its mentions."""
    return entity_id.split(":", 1)[-1].replace("-", " ")


@lru_cache(maxsize=4096)
def id_stems(entity_id: str) -> tuple[str, ...]:
    """The stems every item mentioning the entity holds, in this order, in its entities field."""
    return tuple(map(stem, words(id_words(entity_id))))


@lru_cache(maxsize=20_000)
def link_words(url: str | None) -> str:
    """The words of an item's link: its site and path ("jaided ai easyocr tutorial"), which
    often name what the title does not."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host} {parts.path}".strip()


def searchable_texts(title: str, text: str, mentions: Iterable[Mention], url: str | None) -> dict[str, str]:
    """The text of each of SEARCH_FIELDS, before analysis."""
    return {"title": title, "text": text, "entities": entity_words(mentions), "link": link_words(url)}


def analysed_fields(title: str, text: str, mentions: Iterable[Mention], url: str | None) -> dict[str, Any]:
    """`<field>_words`, `<field>_stems` and `<field>_len` (words) for every search field."""
    out: dict[str, Any] = {}
    for name, value in searchable_texts(title, text, mentions, url).items():
        ws = words(value)
        out[f"{name}_words"] = " ".join(ws)
        out[f"{name}_stems"] = " ".join(map(stem, ws))
        out[f"{name}_len"] = len(ws)
    return out


def to_document(issue: Issue, item: Item) -> dict[str, Any]:
    entity_ids = list(item.entity_ids)
    types_by_id = {m.entity_id: m.type for m in item.mentions}
    return {
        "id": item.id,
        "issue_id": issue.id,
        "publication": issue.publication,
        "issue_number": issue.number,
        "issue_title": issue.title,
        "date": issue.date.isoformat() if issue.date else None,
        "date_estimated": issue.date_estimated,
        "section": item.section,
        "position": item.position,
        "title": item.title,
        "url": item.url,
        "url_key": url_keys(item.url, item.links),  # "already covered?" matches on this
        "text": item.text,
        **analysed_fields(item.title, item.text, item.mentions, item.url),
        "entity_ids": [e for e in entity_ids if types_by_id[e] != "TOPIC"],
        # every type the item mentions, even when one name was typed two ways (as SQLite counts)
        "entity_types": sorted({m.type for m in item.mentions if m.type != "TOPIC"}),
        "topic_ids": [e for e in entity_ids if types_by_id[e] == "TOPIC"],
        "mentions": [
            {
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "type": m.type,
                "entity_id": m.entity_id,
                "field": m.field,
            }
            for m in item.mentions
        ],
    }
