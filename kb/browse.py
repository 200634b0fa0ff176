"""Browsing helpers for the issue browser and entity pages: plain functions over stored data.

They order issues, find an issue's neighbours, group its items by section and count its
entities, so the pages stay top-to-bottom scripts without logic of their own.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from kb.backends.base import Hit, IssueSummary
from kb.models import Issue, Item

__all__ = [
    "Neighbours",
    "neighbours",
    "newest_first",
    "issue_name",
    "issue_headings",
    "Section",
    "sections_of",
    "EntityCount",
    "issue_entities",
    "item_hit",
    "page_count",
    "counted",
]


@dataclass(frozen=True)
class Neighbours:
    previous: IssueSummary | None
    next: IssueSummary | None


def neighbours(issues: Sequence[IssueSummary], issue_id: str) -> Neighbours:
    """The issues before and after `issue_id` in the same publication.

    By number when the issue has one (numbered issues only), else by date (dated issues only).
    """
    current = next((s for s in issues if s.id == issue_id), None)
    if current is None:
        return Neighbours(None, None)
    same = [s for s in issues if s.publication == current.publication and s.id != current.id]
    if current.number is not None:
        ranked = sorted((s for s in same if s.number is not None), key=lambda s: (s.number, s.id))
        before = [s for s in ranked if s.number < current.number]  # type: ignore[operator]
        after = [s for s in ranked if s.number > current.number]  # type: ignore[operator]
    elif current.date is not None:
        ranked = sorted((s for s in same if s.date is not None), key=lambda s: (s.date, s.id))
        here = (current.date, current.id)
        before = [s for s in ranked if (s.date, s.id) < here]
        after = [s for s in ranked if (s.date, s.id) > here]
    else:
        return Neighbours(None, None)
    return Neighbours(before[-1] if before else None, after[0] if after else None)


def newest_first(issues: Sequence[IssueSummary]) -> list[IssueSummary]:
    """Issues by date, newest first (then by number); undated issues last."""
    dated = sorted(
        (s for s in issues if s.date is not None),
        key=lambda s: (s.date, s.number if s.number is not None else -1, s.id),
        reverse=True,
    )
    undated = sorted(
        (s for s in issues if s.date is None),
        key=lambda s: (s.publication, -(s.number if s.number is not None else -1), s.id),
    )
    return [*dated, *undated]


def issue_name(publication: str, number: int | None, title: str = "") -> str:
    """"Deep Learning Weekly #214", or the title (else the publication) when unnumbered."""
    return f"{publication} #{number}" if number is not None else (title or publication)


def issue_headings(issues: Sequence[IssueSummary], leads: Mapping[str, str]) -> dict[str, str]:
    """What each issue is about, for a list of issues: its own title, unless that title only
    names the issue - the newsletter's name and a number with at most one more word ("MLE
    Newsletter Issue #54"), or a title two or more of its issues share once numbers are left
    out ("ML newsletter") - then its summary, else its first item's title (`leads`)."""
    def shape(title: str) -> str:
        return re.sub(r"\d+", "#", title.casefold()).strip()

    def names_only(title: str, publication: str) -> bool:
        rest = re.sub(r"[^\w\s]|\d|_", " ", title.casefold().replace(publication.casefold(), " "))
        return len(rest.split()) <= 1

    shared = Counter((s.publication, shape(s.title)) for s in issues)
    out = {}
    for s in issues:
        generic = names_only(s.title, s.publication) or shared[(s.publication, shape(s.title))] > 1
        out[s.id] = (s.summary or leads.get(s.id, "") or s.title) if generic else s.title
    return out


@dataclass(frozen=True)
class Section:
    """A run of consecutive items under one heading (None: no heading in the issue)."""

    name: str | None
    items: tuple[Item, ...]


def sections_of(issue: Issue) -> list[Section]:
    """The issue's items in reading order, grouped into runs that share a section."""
    groups: list[Section] = []
    for item in issue.items:
        if groups and groups[-1].name == item.section:
            groups[-1] = Section(item.section, (*groups[-1].items, item))
        else:
            groups.append(Section(item.section, (item,)))
    return groups


@dataclass(frozen=True)
class EntityCount:
    entity_id: str
    type: str
    items: int  # items of the issue mentioning it


def issue_entities(issue: Issue) -> list[EntityCount]:
    """Entities and topics of a whole issue by items mentioning them; ties in reading order."""
    counts: dict[str, int] = {}
    types: dict[str, str] = {}
    for item in issue.items:
        for mention in item.mentions:
            types.setdefault(mention.entity_id, mention.type)
        for entity_id in item.entity_ids:
            counts[entity_id] = counts.get(entity_id, 0) + 1
    order = {k: i for i, k in enumerate(counts)}
    return [
        EntityCount(k, types[k], n)
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    ]


def item_hit(issue: Issue, item: Item) -> Hit:
    """A stored item dressed as a search hit (no highlighting), for the shared renderers."""
    types: dict[str, str] = {}
    for mention in item.mentions:
        types.setdefault(mention.entity_id, mention.type)
    return Hit(
        item_id=item.id,
        issue_id=issue.id,
        publication=issue.publication,
        issue_number=issue.number,
        date=issue.date,
        date_estimated=issue.date_estimated,
        section=item.section,
        title=item.title,
        url=item.url,
        score=0.0,
        snippet=html.escape(item.text, quote=False),
        title_html=html.escape(item.title, quote=False),
        entities=tuple(types.items()),
    )


def page_count(total: int, size: int) -> int:
    """Pages needed for `total` results, `size` a page (at least one page)."""
    return max(1, -(-total // size))



def counted(n: int, noun: str) -> str:
    """"1 issue", "20 items": a count with its noun, plural when it is not one."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
