"""The one place where an issue's item becomes an index document, for every backend."""
from __future__ import annotations

from typing import Any

from kb.models import Issue, Item
from kb.urls import url_keys

__all__ = ["to_document", "entity_text"]


def entity_text(item: Item) -> str:
    """Searchable words for the entities an item mentions: surfaces plus canonical ids.

    Indexing the id words ("ai21-labs" -> "ai21 labs") lets a search for the canonical name
    find items that only used an alias.
    """
    words: dict[str, None] = {}
    for m in item.mentions:
        words.setdefault(m.text, None)
        words.setdefault(m.entity_id.replace("-", " "), None)
    return " | ".join(words)


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
        "entity_text": entity_text(item),
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
