"""Explicit Elasticsearch mappings, core features only (the bare server has no extra modules).

Full text uses the `standard` analyzer, like the SQLite backend's unicode61 tokenizer: no
stemming on either side, so both backends find the same items.
"""
from __future__ import annotations

from typing import Any

__all__ = ["ITEMS_MAPPING", "ISSUES_MAPPING", "ADDED_ITEM_FIELDS", "index_settings"]

_TEXT = {"type": "text", "analyzer": "standard"}

ITEMS_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "keyword"},
        "issue_id": {"type": "keyword"},
        "publication": {"type": "keyword"},
        "issue_number": {"type": "integer"},
        "issue_title": {"type": "text", "analyzer": "standard", "index": False},
        "date": {"type": "date", "format": "strict_date"},
        "date_estimated": {"type": "boolean"},
        "section": {"type": "keyword"},
        "position": {"type": "integer"},
        "title": {**_TEXT, "term_vector": "with_positions_offsets"},
        "url": {"type": "keyword"},
        "url_key": {"type": "keyword"},  # normalize_url of url and links: "already covered?"
        "text": {**_TEXT, "term_vector": "with_positions_offsets"},
        "entity_text": _TEXT,
        "entity_ids": {"type": "keyword"},
        "entity_types": {"type": "keyword"},
        "topic_ids": {"type": "keyword"},
        "links": {"type": "keyword", "index": False},
        "mentions": {"type": "object", "enabled": False},
        # entity names as written in the item, for autocomplete
        "suggest": {"type": "completion", "analyzer": "simple", "max_input_length": 80},
    },
}

# Fields added after the first release: put into older live indices when a backend opens them
# (adding a field is allowed in place; their old documents get it at the next rebuild).
ADDED_ITEM_FIELDS: tuple[str, ...] = ("url_key",)

ISSUES_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "keyword"},
        "publication": {"type": "keyword"},
        "number": {"type": "integer"},
        "title": _TEXT,
        "summary": _TEXT,
        "intro": _TEXT,
        "date": {"type": "date", "format": "strict_date"},
        "date_estimated": {"type": "boolean"},
        "tags": {"type": "keyword"},
        "source": {"type": "keyword"},
        "fingerprint": {"type": "keyword"},
        "items": {"type": "integer"},
    },
}

def index_settings(shards: int, replicas: int) -> dict[str, Any]:
    return {"number_of_shards": shards, "number_of_replicas": replicas, "refresh_interval": "1s"}
