"""What a newsletter repeats from issue to issue, learned from its own archive.

Every issue carries standing blocks: a "how to submit" link, a sponsor or support plea, the
same conference and job listings for weeks, a "suggest a crate" call. No word list can know
them for every newsletter, but the archive does: they come back.

- An item that comes back (same link, or same title and opening words) in `STANDING_COUNT`
  issues, or in `MIN_ISSUES` issues spread over `MIN_SPAN_WEEKS` weeks or more, is
  template: a weekly does not run the same story for months, but it does run its standing
  links. Ongoing listings (an event for its last few weeks, an open RFC) come back a few
  weeks in a row and stay items.
- A section listed unchanged (the same items) in two consecutive issues where it appears is
  a standing block: its items are template wherever they appear.

Learned per archive: the issues of one folder. One file alone teaches nothing, so single
uploads are parsed as they are.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kb.models import Issue, Item, replace
from kb.urls import normalize_url

__all__ = ["Template", "learn_template", "item_keys", "section_key_of", "MIN_ISSUES", "MIN_SPAN_WEEKS", "STANDING_COUNT"]

MIN_ISSUES = 3
MIN_SPAN_WEEKS = 8  # an ongoing listing (an event, an open RFC) runs for weeks; a standing link for months
STANDING_MIN_ITEMS = 2  # a section repeated unchanged is standing when it lists this many items
STANDING_COUNT = 6  # an item in this many issues is template whatever its span
OPENING_WORDS = 12

_WORD = re.compile(r"[^\W_]+")  # digits kept: a dated listing ("2024-01-09 | Dallas") is not a repeat


def _words(text: str, limit: int | None = None) -> str:
    words = _WORD.findall(text.casefold())
    return " ".join(words[:limit] if limit else words)


def item_keys(item: Item) -> tuple[str, ...]:
    """How an item is recognised when it comes back: its link; its title with its opening
    words (a title alone only for items without a link)."""
    keys: list[str] = []
    opening = _words(item.text, OPENING_WORDS)
    if not item.url or len(opening.split()) >= 6:  # a bare title may come back legitimately
        keys.append(f"t:{_words(item.title)}|{opening}")
    if item.url and len(opening.split()) < 6:  # a story with its own words is not a standing link
        keys.append(f"u:{normalize_url(item.url)}")
    return tuple(k for k in keys if k not in ("t:|", "u:"))


def section_key_of(item: Item) -> str:
    return _words(item.section or "")


@dataclass
class Template:
    """Keys of repeated items (from repetition or from standing sections), with why (--explain)."""

    issues: int = 0
    items: dict[str, int] = field(default_factory=dict)  # key -> issues it appears in

    def why(self, item: Item) -> str | None:
        """Why an item is template, or None when it is content."""
        for key in item_keys(item):
            if key in self.items:
                return f"repeated in {self.items[key]} of {self.issues} issues"
        return None

    def strip(self, issue: Issue) -> Issue:
        kept = tuple(item for item in issue.items if self.why(item) is None)
        if not kept or len(kept) == len(issue.items):  # an issue is never emptied by its template
            return issue
        return replace(issue, items=kept)


def _weeks(issues: Sequence[Issue]) -> list[float]:
    """When each issue appeared, in weeks: from dates when all have one, else from issue
    numbers (a weekly's number is its week), else from the order of the files."""
    if all(i.date is not None for i in issues):
        return [i.date.toordinal() / 7 for i in issues]  # type: ignore[union-attr]
    if all(i.number is not None for i in issues):
        return [float(i.number) for i in issues]  # type: ignore[arg-type]
    return [float(n) for n in range(len(issues))]


def learn_template(issues: Sequence[Issue]) -> Template:
    """The template of one archive's issues (nothing is learned from fewer than MIN_ISSUES)."""
    template = Template(issues=len(issues))
    if len(issues) < MIN_ISSUES:
        return template
    seen_in: Counter[str] = Counter()
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for when, issue in zip(_weeks(issues), issues):
        keys = {key for item in issue.items for key in item_keys(item)}
        seen_in.update(keys)
        for key in keys:
            first[key] = min(first.get(key, when), when)
            last[key] = max(last.get(key, when), when)
    template.items = {
        key: n for key, n in seen_in.items()
        if n >= STANDING_COUNT
        or n >= MIN_ISSUES and last[key] - first[key] >= MIN_SPAN_WEEKS
    }

    # A section listed unchanged in consecutive issues is a standing block (conferences the
    # editors speak at, featured tools): its items are template wherever they appear.
    previous: dict[str, frozenset[str]] = {}
    for issue in issues:
        current: dict[str, set[str]] = defaultdict(set)
        sizes: Counter[str] = Counter()
        for item in issue.items:
            if item.section:
                current[section_key_of(item)].update(item_keys(item))
                sizes[section_key_of(item)] += 1
        unchanged = {s for s, keys in current.items() if frozenset(keys) == previous.get(s)}
        if len(unchanged) == len(current):  # the same issue twice is a duplicate, not a template
            unchanged = set()
        for section, keys in current.items():
            if sizes[section] >= STANDING_MIN_ITEMS and section in unchanged:
                for key in keys:
                    template.items.setdefault(key, seen_in[key])
            previous[section] = frozenset(keys)
    return template
