"""Candidate review: names found outside the catalog, and accepting them into it.

Both backends hand over the same raw rows (one per candidate mention); the counting is done
here once, so the CLI and the app show the same list whichever backend is configured.
"""
from __future__ import annotations

import difflib
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from kb.catalog import CATALOG_DIR, Catalog, CatalogEntry, CatalogError, load_catalog
from kb.models import CANDIDATE_PREFIX, slugify

__all__ = [
    "near_duplicates",
    "near_candidates",
    "merge_candidate",
    "CandidateRow",
    "IssueRef",
    "Candidate",
    "aggregate_candidates",
    "sentence_around",
    "commonest_spellings",
    "accept_candidate",
    "ACCEPTED_FILE",
]

ACCEPTED_FILE = CATALOG_DIR / "accepted.yaml"
NEAR_CUTOFF = 0.88  # difflib ratio for "nearly the same name" (one or two letters apart)
NEAR_MIN_CHARS = 6  # shorter names are too close to each other by chance


@dataclass(frozen=True)
class CandidateRow:
    entity_id: str
    type: str
    surface: str
    field: str
    start: int
    end: int
    item_id: str
    title: str
    text: str
    issue_id: str
    publication: str
    number: int | None
    date: date | None


@dataclass(frozen=True)
class IssueRef:
    issue_id: str
    publication: str
    number: int | None
    date: date | None


@dataclass(frozen=True)
class Candidate:
    entity_id: str
    name: str  # the most frequent spelling
    type: str  # the most frequent guessed type
    items: int
    mentions: int
    first: IssueRef
    last: IssueRef
    examples: tuple[str, ...]
    spellings: tuple[str, ...]


_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n+")


def commonest_spellings(counts: dict[str, Counter[str]]) -> dict[str, str]:
    """Each id's most frequent spelling; ties go to the alphabetically first."""
    return {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in counts.items()}


def sentence_around(text: str, start: int, end: int, *, width: int = 240) -> str:
    """The sentence holding text[start:end], trimmed to about `width` characters."""
    left = 0
    for m in _BOUNDARY.finditer(text, 0, start):
        left = m.end()
    right_match = _BOUNDARY.search(text, end)
    right = right_match.start() if right_match else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > width:
        mid = start - left
        lo = max(0, mid - width // 2)
        sentence = ("…" if lo else "") + sentence[lo : lo + width].strip() + "…"
    return sentence


def _issue_key(ref: IssueRef) -> tuple:
    return (ref.date or date.max, ref.number if ref.number is not None else 1 << 30, ref.issue_id)


def aggregate_candidates(
    rows: Iterable[CandidateRow], *, min_items: int = 1, examples: int = 3
) -> list[Candidate]:
    """One Candidate per id, most items first; examples are distinct sentences, newest first."""
    groups: dict[str, list[CandidateRow]] = {}
    for row in rows:
        groups.setdefault(row.entity_id, []).append(row)
    out: list[Candidate] = []
    for entity_id, group in groups.items():
        items = {r.item_id for r in group}
        if len(items) < min_items:
            continue
        refs = sorted({IssueRef(r.issue_id, r.publication, r.number, r.date) for r in group}, key=_issue_key)
        spellings = Counter(r.surface for r in group)
        types = Counter(r.type for r in group)
        sentences: list[str] = []
        for r in sorted(group, key=lambda r: _issue_key(IssueRef(r.issue_id, r.publication, r.number, r.date)), reverse=True):
            source = r.title if r.field == "title" else r.text
            sentence = sentence_around(source, r.start, r.end)
            if sentence not in sentences:
                sentences.append(sentence)
            if len(sentences) >= examples:
                break
        out.append(
            Candidate(
                entity_id=entity_id,
                name=spellings.most_common(1)[0][0],
                type=types.most_common(1)[0][0],
                items=len(items),
                mentions=len(group),
                first=refs[0],
                last=refs[-1],
                examples=tuple(sentences),
                spellings=tuple(s for s, _ in spellings.most_common()),
            )
        )
    out.sort(key=lambda c: (-c.items, c.name.casefold()))
    return out


def near_duplicates(candidate: Candidate, catalog: Catalog, *, cutoff: float = NEAR_CUTOFF) -> list[CatalogEntry]:
    """Catalog entries of the candidate's type that one of its spellings nearly matches
    ("Ryan Dawston" ~ Ryan Dawson, "Pytorch Lightening" ~ PyTorch Lightning): merge offers."""
    forms: dict[str, str] = {}
    for entry in catalog.by_type(candidate.type):
        for form in entry.surface_forms:
            forms.setdefault(form.casefold(), entry.id)
    found: list[str] = []
    for spelling in candidate.spellings:
        for match in difflib.get_close_matches(spelling.casefold(), list(forms), n=3, cutoff=cutoff):
            if len(match) >= NEAR_MIN_CHARS and forms[match] not in found:
                found.append(forms[match])
    return [e for e in (catalog.get(i) for i in found) if e is not None]


def near_candidates(candidate: Candidate, candidates: Sequence[Candidate], *, cutoff: float = NEAR_CUTOFF) -> list[Candidate]:
    """Other candidates of the same type nearly named like this one ("Ryan Dawston" and
    "Ryan Dawson"): one name misspelt, to be accepted together."""
    mine = [s.casefold() for s in candidate.spellings if len(s) >= NEAR_MIN_CHARS]
    out = []
    for other in candidates:
        if other.entity_id == candidate.entity_id or other.type != candidate.type:
            continue
        theirs = [s.casefold() for s in other.spellings if len(s) >= NEAR_MIN_CHARS]
        if any(difflib.SequenceMatcher(None, a, b).ratio() >= cutoff for a in mine for b in theirs):
            out.append(other)
    return out


def _write_checked(target: Path, entries: list, catalog_paths: Sequence[Path] | None) -> Catalog:
    """Write `entries` to `target` only if the whole catalog still validates with them."""
    text = (
        "# Entries accepted from candidate review (python -m indexer candidates --accept/--merge, or the app).\n"
        + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True)
    )
    paths = [p for p in (catalog_paths or sorted(CATALOG_DIR.glob("*.yaml"))) if Path(p) != target]
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / target.name
        trial.write_text(text, encoding="utf-8")
        try:
            catalog = load_catalog([*paths, trial])
        except CatalogError as exc:  # nothing written; name the real file, not the trial copy
            raise CatalogError(str(exc).replace(str(trial), str(target))) from None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return catalog


def _existing(target: Path) -> list:
    return list((yaml.safe_load(target.read_text(encoding="utf-8")) if target.exists() else None) or [])


def merge_candidate(
    *,
    into: str,
    spellings: Sequence[str],
    target: Path = ACCEPTED_FILE,
    catalog_paths: Sequence[Path] | None = None,
) -> tuple[CatalogEntry, Catalog]:
    """Make a candidate's spellings aliases of an existing entry (an `extends` record in
    `target`); after a re-tag its mentions count for that entry. Nothing is written when the
    catalog would not validate (an unknown id, an alias another entry uses)."""
    aliases = [a for a in dict.fromkeys(s.strip() for s in spellings) if a]
    if not aliases:
        raise CatalogError("nothing to merge: no spelling given")
    catalog = _write_checked(target, [*_existing(target), {"extends": into, "aliases": aliases}], catalog_paths)
    merged = catalog.get(into)
    assert merged is not None
    return merged, catalog


def accept_candidate(
    *,
    name: str,
    type: str,
    aliases: Sequence[str] = (),
    owner: str | None = None,
    entity_id: str | None = None,
    target: Path = ACCEPTED_FILE,
    catalog_paths: Sequence[Path] | None = None,
) -> tuple[CatalogEntry, Catalog]:
    """Append an entry to `target` after checking the whole catalog still validates.

    Nothing is written when validation fails: the CatalogError names the field.
    """
    new_id = entity_id or slugify(name)
    if new_id.startswith(CANDIDATE_PREFIX):
        new_id = new_id[len(CANDIDATE_PREFIX):]
    entry: dict[str, object] = {"id": new_id, "name": name, "type": type.upper()}
    clean_aliases = [a for a in dict.fromkeys(a.strip() for a in aliases) if a and a != name]
    if clean_aliases:
        entry["aliases"] = clean_aliases
    if owner:
        entry["owner"] = owner
    catalog = _write_checked(target, [*_existing(target), entry], catalog_paths)
    accepted = catalog.get(new_id)
    assert accepted is not None
    return accepted, catalog
