"""How a judged query names the item(s) it should find, without copying newsletter text.

A target is the item's issue id plus its link (`url`); items without a link are named by a
short hash of their normalised title (`title_hash`). Both survive re-parsing that renumbers
items, so judgments stay valid when parsers change.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable, Mapping

from kb.models import Issue, Item
from kb.urls import normalize_url

__all__ = ["title_hash", "target_of", "matches"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def title_hash(title: str) -> str:
    words = " ".join(_WORD.findall(title.casefold()))
    return hashlib.sha1(words.encode("utf-8")).hexdigest()[:12]


def target_of(issue: Issue, item: Item) -> dict[str, str]:
    """The way a judgment file refers to this item."""
    if item.url:
        return {"issue": issue.id, "url": item.url}
    return {"issue": issue.id, "title_hash": title_hash(item.title)}


def matches(target: Mapping[str, Any], issue_id: str, title: str, url: str | None) -> bool:
    if target["issue"] != issue_id:
        return False
    if "url" in target:
        return bool(url) and normalize_url(url) == normalize_url(target["url"])
    return title_hash(title) == target["title_hash"]


def resolve(targets: Iterable[Mapping[str, Any]], items: Iterable[tuple[str, str, str, str | None]]) -> set[str]:
    """Item ids (from (item_id, issue_id, title, url) rows) that any target names."""
    wanted = list(targets)
    return {
        item_id
        for item_id, issue_id, title, url in items
        if any(matches(t, issue_id, title, url) for t in wanted)
    }
