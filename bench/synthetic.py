"""A deterministic synthetic archive with the shapes of a real one, for the scale benchmark.

Why: the scale targets of issue 11 (100k items on SQLite, 1M on Elasticsearch) need archives
far larger than any we hold, with what makes search and facets cost what they cost in real
use: words drawn with their real frequencies, entity mentions with the corpus' names, types
and rates, sections, several newsletters, weekly issues over many years. The shapes are read
from a real archive by path (:func:`profile_from`); the texts are random draws of its words,
so no newsletter text is copied, and the same profile, size and seed give the same archive.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
import re

import numpy as np

from kb.models import Issue, Item, Mention

__all__ = ["ArchiveProfile", "profile_from", "sample_profile", "synthetic_issues"]

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-']+")


@dataclass(frozen=True)
class ArchiveProfile:
    """What a real archive looks like, as counts: no text, only word and name frequencies."""

    words: tuple[str, ...]
    word_counts: tuple[int, ...]
    names: tuple[tuple[str, str, str], ...]  # (surface, type, entity id)
    name_counts: tuple[int, ...]
    sections: tuple[str, ...]
    section_counts: tuple[int, ...]
    items_per_issue: tuple[int, ...]  # one value per real issue
    title_words: tuple[int, ...]  # one value per real item
    text_words: tuple[int, ...]
    mentions_per_item: tuple[int, ...]


def profile_from(issues: Sequence[Issue], *, top_words: int = 50_000) -> ArchiveProfile:
    """The profile of tagged issues: word, name and section frequencies and per-item sizes."""
    words: Counter[str] = Counter()
    names: Counter[tuple[str, str, str]] = Counter()
    sections: Counter[str] = Counter()
    items_per_issue, title_words, text_words, mentions_per_item = [], [], [], []
    for issue in issues:
        items_per_issue.append(len(issue.items))
        for item in issue.items:
            title, text = _WORD.findall(item.title), _WORD.findall(item.text)
            words.update(w.lower() for w in title + text)
            title_words.append(len(title))
            text_words.append(len(text))
            mentions_per_item.append(len(item.mentions))
            names.update((m.text, m.type, m.entity_id) for m in item.mentions)
            if item.section:
                sections[item.section] += 1
    if not words or not items_per_issue:
        raise ValueError("profile_from: the issues hold no items with words")
    common = words.most_common(top_words)
    named = names.most_common()
    kinds = sections.most_common() or [("News", 1)]
    return ArchiveProfile(
        tuple(w for w, _ in common), tuple(c for _, c in common),
        tuple(n for n, _ in named), tuple(c for _, c in named),
        tuple(s for s, _ in kinds), tuple(c for _, c in kinds),
        tuple(items_per_issue), tuple(max(1, n) for n in title_words), tuple(text_words), tuple(mentions_per_item))


def _cumulative(counts: Sequence[int]) -> np.ndarray:
    """Cumulative shares: `_draw` picks from them with one binary search per draw (fast at any size)."""
    weights = np.cumsum(np.asarray(counts, dtype=np.float64))
    return weights / weights[-1]


def _draw(rng: np.random.Generator, cumulative: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cumulative, rng.random(size), side="right"), len(cumulative) - 1)


class _Sampler:
    """The profile as arrays, converted once: draws per item are then a few numpy calls."""

    def __init__(self, profile: ArchiveProfile, seed: int):
        self.profile = profile
        self.rng = np.random.default_rng(seed)
        self.words, self.names, self.sections = (_cumulative(profile.word_counts), _cumulative(profile.name_counts or (1,)),
                                                 _cumulative(profile.section_counts))
        self.items_per_issue, self.title_words, self.text_words, self.mentions_per_item = (
            np.asarray(v) for v in (profile.items_per_issue, profile.title_words, profile.text_words,
                                    profile.mentions_per_item))

    def size(self, sizes: np.ndarray) -> int:
        return int(sizes[self.rng.integers(len(sizes))])

    def draw(self, cumulative: np.ndarray, size: int) -> np.ndarray:
        return _draw(self.rng, cumulative, size)


def synthetic_issues(profile: ArchiveProfile, items: int, *, newsletters: int = 10, start: date = date(2010, 1, 4),
                     seed: int = 7) -> Iterator[Issue]:
    """Weekly issues of `newsletters` newsletters, round-robin, until `items` items are made.
    Each newsletter numbers its issues from 1; dates go forward a week per round."""
    sampler = _Sampler(profile, seed)
    made, week = 0, 0
    while made < items:
        for letter in range(newsletters):
            if made >= items:
                break
            count = min(items - made, sampler.size(sampler.items_per_issue) or 1)
            publication = f"Synthetic Weekly {letter + 1:02d}"
            day = start + timedelta(weeks=week, days=letter % 7)
            issue_items = tuple(_item(sampler) for _ in range(count))
            yield Issue(publication=publication, source=f"synthetic-{letter + 1:02d}-{week + 1:05d}.md",
                        number=week + 1, title=f"{publication} #{week + 1}", date=day, items=issue_items).with_ids()
            made += count
        week += 1


def _item(sampler: _Sampler) -> Item:
    profile, words = sampler.profile, sampler.profile.words
    title = " ".join(words[i] for i in sampler.draw(sampler.words, sampler.size(sampler.title_words)))
    body = [words[i] for i in sampler.draw(sampler.words, sampler.size(sampler.text_words))]
    n_names = sampler.size(sampler.mentions_per_item) if profile.names else 0
    chosen = [profile.names[i] for i in sampler.draw(sampler.names, n_names)] if n_names else []
    slots = sorted(int(s) for s in sampler.rng.integers(0, len(body) + 1, size=len(chosen)))
    parts, mentions, offset, last = [], [], 0, 0
    for slot, (surface, type_, entity_id) in zip(slots, chosen):
        before = " ".join(body[last:slot])
        if before:
            parts.append(before)
            offset += len(before) + 1
        mentions.append(Mention(offset, offset + len(surface), surface, type_, entity_id))
        parts.append(surface)
        offset += len(surface) + 1
        last = slot
    if body[last:]:
        parts.append(" ".join(body[last:]))
    section = profile.sections[int(sampler.draw(sampler.sections, 1)[0])]
    return Item(title=title.capitalize(), text=" ".join(parts), section=section, mentions=tuple(mentions),
                url=f"https://example.org/{int(sampler.rng.integers(1 << 40)):x}")


def sample_profile(folder: Path) -> ArchiveProfile:
    """The profile of the issues in `folder`, parsed and tagged as ingest does."""
    from indexer.extract import Extractor
    from indexer.pipeline import parse_files, tag_issue
    from kb.catalog import load_catalog

    parsed, _, _ = parse_files([folder])
    extractor = Extractor(load_catalog())
    return profile_from([tag_issue(issue, extractor) for p in parsed for issue in p.issues])
