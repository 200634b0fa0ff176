"""Explicit Elasticsearch mappings, core features only (the bare server has no extra modules).

Searched text arrives analysed by `kb.analysis` (folded words, stems); the `whitespace`
analyzer only splits it, so both backends index the same tokens. `SCHEMA` is recorded in the
index's `_meta`; an index made by an older version is rebuilt from its stored documents.
"""
from __future__ import annotations

from typing import Any

from kb.documents import SEARCH_FIELDS

__all__ = ["ITEMS_MAPPING", "ISSUES_MAPPING", "index_settings", "SCHEMA", "SEP", "REFRESH_INTERVAL"]

# 3: analysed words and stems, field lengths; 4: mention_counts and spellings (counted by
# aggregations instead of reading every matching `mentions` source)
SCHEMA = 4
# Joins the parts of a `mention_counts` / `spellings` value; never part of an id or a name.
SEP = "\u001f"
REFRESH_INTERVAL = "1s"

_TEXT = {"type": "text", "analyzer": "standard"}
_ANALYSED = {"type": "text", "analyzer": "whitespace"}

ITEMS_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "_meta": {"schema": SCHEMA},
    "properties": {
        **{f"{f}_{form}": _ANALYSED for f in SEARCH_FIELDS for form in ("words", "stems")},
        **{f"{f}_len": {"type": "integer"} for f in SEARCH_FIELDS},
        "id": {"type": "keyword"},
        "issue_id": {"type": "keyword"},
        "publication": {"type": "keyword"},
        "issue_number": {"type": "integer"},
        "issue_title": {"type": "text", "analyzer": "standard", "index": False},
        "date": {"type": "date", "format": "strict_date"},
        "date_estimated": {"type": "boolean"},
        "section": {"type": "keyword"},
        "position": {"type": "integer"},
        "title": {**_TEXT, "index": False},
        "url": {"type": "keyword"},
        "url_key": {"type": "keyword"},  # normalize_url of url and links: "already covered?"
        "text": {**_TEXT, "index": False},
        "entity_ids": {"type": "keyword"},
        "entity_types": {"type": "keyword"},
        "topic_ids": {"type": "keyword"},
        "links": {"type": "keyword", "index": False},
        "mentions": {"type": "object", "enabled": False},
        # "<entity id>SEP<n>": the item mentions it n times (entity stats sum n × items)
        "mention_counts": {"type": "keyword"},
        # "<candidate id>SEP<as written>SEP<n>": names outside the catalog, spelling by spelling
        "spellings": {"type": "keyword"},
        # entity names as written in the item, for autocomplete
        "suggest": {"type": "completion", "analyzer": "simple", "max_input_length": 80},
    },
}

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
    return {"number_of_shards": shards, "number_of_replicas": replicas, "refresh_interval": REFRESH_INTERVAL}
