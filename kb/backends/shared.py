"""What every backend computes the same way once it has its counts and records.

Why a module of its own: a backend should only translate queries and storage. Turning counts
into trend points, ranking distinctive names, rebuilding an `Issue` from stored records and
de-duplicating suggestions are the same on any store, so they are written once here and a
third backend gets them for free.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from kb.backends.base import Interval, Significant, Suggestion, TrendPoint
from kb.backends.snippets import as_date
from kb.models import Issue, Item, Mention

__all__ = ["PeriodTotal", "issue_from_records", "rank_significant", "trend_points", "unique_suggestions"]


@dataclass(frozen=True)
class PeriodTotal:
    """One period of a trend: its label and first day, every item in it, the number of its
    first issue (per-issue trends) and whether any of its issues has an estimated date."""

    period: str
    start: date | None
    total: int
    number: int | None = None
    estimated: bool = False


def trend_points(
    keys: Sequence[str], periods: Iterable[PeriodTotal], counts: Mapping[tuple[str, str], int], interval: Interval
) -> list[TrendPoint]:
    """A point per key and period (zero where the key has no items), periods in time order:
    issues by first date, then number; other periods by their label, which sorts by time."""
    if interval == "issue":
        ordered = sorted(periods, key=lambda p: (p.start.isoformat() if p.start else "", p.number or 0, p.period))
    else:
        ordered = sorted(periods, key=lambda p: p.period)
    return [
        TrendPoint(
            key=key,
            period=p.period,
            period_start=p.start,
            items=counts.get((p.period, key), 0),
            total=p.total,
            issue_number=p.number if interval == "issue" else None,
            date_estimated=p.estimated,
        )
        for key in keys
        for p in ordered
    ]


def rank_significant(found: Iterable[Significant], size: int) -> list[Significant]:
    """The `size` most distinctive, best first; a score of zero is not distinctive at all."""
    kept = [s for s in found if s.score > 0]
    kept.sort(key=lambda s: (-s.score, s.key))
    return kept[:size]


def unique_suggestions(found: Iterable[tuple[str, str, str]], limit: int) -> list[Suggestion]:
    """(entity id, type, text as written), best first, to one suggestion per entity."""
    best: dict[str, Suggestion] = {}
    for entity_id, type_, text in found:
        best.setdefault(entity_id, Suggestion(entity_id, type_, text))
    return list(best.values())[:limit]


def issue_from_records(issue: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> Issue:
    """An `Issue` from a stored issue record and its item records (in order), as both backends
    store them: tags and links as lists, each item's `mentions` as `Mention`s."""
    return Issue(
        publication=issue["publication"],
        source=issue.get("source") or "",
        number=issue.get("number"),
        title=issue.get("title") or "",
        summary=issue.get("summary") or "",
        intro=issue.get("intro") or "",
        date=as_date(issue.get("date")),
        date_estimated=bool(issue.get("date_estimated")),
        tags=tuple(issue.get("tags") or ()),
        items=tuple(
            Item(
                title=d["title"],
                text=d.get("text") or "",
                url=d.get("url"),
                section=d.get("section"),
                position=d["position"],
                id=d["id"],
                issue_id=issue["id"],
                mentions=tuple(d.get("mentions") or ()),
                links=tuple(d.get("links") or ()),
            )
            for d in items
        ),
        id=issue["id"],
        fingerprint=issue.get("fingerprint") or "",
    )


def mention_of(record: Mapping[str, Any], text_key: str = "text") -> Mention:
    """A `Mention` from a stored mention record (SQLite names its text `surface`)."""
    return Mention(record["start"], record["end"], record[text_key], record["type"], record["entity_id"], record["field"])
