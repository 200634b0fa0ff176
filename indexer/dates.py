"""Issue dates when the files do not carry them.

Precedence: the file's own metadata, then a sidecar next to the files (`dates.yaml`,
`dates.yml` or `kb.yaml`; failing that a `MANIFEST.tsv` with `file`, `issue_number`, `date`
columns), then an estimate from the nearest dated issue of the same weekly publication.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import yaml

from kb.models import Issue

from .parsers.base import ParseError
from .parsers.common import load_yaml, shown

__all__ = [
    "SIDECAR_NAMES",
    "MANIFEST_NAME",
    "DateEntry",
    "Sidecar",
    "SidecarError",
    "load_sidecar",
    "apply_dates",
    "estimate_date",
]

SIDECAR_NAMES: tuple[str, ...] = ("dates.yaml", "dates.yml", "kb.yaml")
MANIFEST_NAME = "MANIFEST.tsv"
ISSUE_INTERVAL = timedelta(days=7)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SidecarError(ParseError):
    """A sidecar or manifest value that is not a date; names the file and the key."""


@dataclass(frozen=True)
class DateEntry:
    date: date | None
    estimated: bool = False


@dataclass(frozen=True)
class Sidecar:
    """Dates keyed by file name or issue number (as text), plus an optional publication."""

    path: Path | None = None
    publication: str | None = None
    dates: Mapping[str, DateEntry] = field(default_factory=dict)

    def lookup(self, issue: Issue) -> DateEntry | None:
        """The entry for an issue: by its file name first, then by its number."""
        keys = [Path(issue.source.split("#", 1)[0]).name]
        if issue.number is not None:
            keys.append(str(issue.number))
        for key in keys:
            entry = self.dates.get(key)
            if entry is not None and entry.date is not None:
                return entry
        return None


def _key(raw: object) -> str:
    key = str(raw).strip()
    return str(int(key)) if key.isdigit() else key


def _entry(path: Path, key: str, value: object) -> DateEntry:
    def bad(reason: str) -> SidecarError:
        return SidecarError(path, f"entry {key!r}: {reason}, got {shown(value)}")

    if value is None or value == "":
        return DateEntry(None)
    if isinstance(value, str):
        if not _ISO_DATE.match(value.strip()):
            raise bad("expected a date as YYYY-MM-DD")
        try:
            return DateEntry(date.fromisoformat(value.strip()))
        except ValueError:
            raise bad("not a valid calendar date") from None
    if isinstance(value, dict):
        unknown = set(value) - {"date", "estimated"}
        if unknown:
            raise bad(f"unknown field(s) {', '.join(map(str, sorted(unknown, key=str)))}")
        estimated = value.get("estimated", False)
        if not isinstance(estimated, bool):
            raise bad("'estimated' must be true or false")
        inner = _entry(path, key, value.get("date"))
        if inner.date is None:
            raise bad("a mapping needs a 'date'")
        return DateEntry(inner.date, estimated)
    raise bad("expected YYYY-MM-DD or {date: YYYY-MM-DD, estimated: true}")


def _read_yaml(path: Path) -> Sidecar:
    try:
        data = load_yaml(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SidecarError(path, f"unreadable sidecar: {exc}") from exc
    if not isinstance(data, dict):
        raise SidecarError(path, "expected a mapping (publication/dates, or issue -> date)")
    publication = data.get("publication")
    if publication is not None and not isinstance(publication, str):
        raise SidecarError(path, f"'publication' must be text, got {publication!r}")
    if "dates" in data:
        raw = data["dates"] or {}
        if not isinstance(raw, dict):
            raise SidecarError(path, "'dates' must map issue numbers or file names to dates")
    else:  # a flat mapping of key -> date
        raw = {k: v for k, v in data.items() if k != "publication"}
    dates = {_key(k): _entry(path, _key(k), v) for k, v in raw.items()}
    return Sidecar(path=path, publication=publication, dates=dates)


def _read_manifest(path: Path) -> Sidecar:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SidecarError(path, f"unreadable manifest: {exc}") from exc
    if not rows or not {"file", "issue_number", "date"} <= set(rows[0]):
        return Sidecar(path=path)  # a manifest, but not one with dates
    dates: dict[str, DateEntry] = {}
    for row in rows:
        name = (row.get("file") or "").strip()
        if not name:
            continue
        entry = _entry(path, name, (row.get("date") or "").strip())
        dates[name] = entry
        number = (row.get("issue_number") or "").strip()
        if number.isdigit():
            dates.setdefault(_key(number), entry)
    return Sidecar(path=path, dates=dates)


def load_sidecar(folder: str | Path) -> Sidecar:
    """The dates sidecar of a folder (or of a file's folder); empty when there is none."""
    folder = Path(folder)
    if folder.is_file():
        folder = folder.parent
    for name in SIDECAR_NAMES:
        if (folder / name).is_file():
            return _read_yaml(folder / name)
    if (folder / MANIFEST_NAME).is_file():
        return _read_manifest(folder / MANIFEST_NAME)
    return Sidecar()


def estimate_date(number: int, anchors: Mapping[int, date]) -> date | None:
    """Weekly cadence from the nearest dated issue (the earlier one on a tie)."""
    if not anchors:
        return None
    nearest = min(anchors, key=lambda n: (abs(n - number), n))
    return anchors[nearest] + ISSUE_INTERVAL * (number - nearest)


def apply_dates(
    issues: Sequence[Issue],
    sidecar: Sidecar | None = None,
    known: Mapping[int, date] | None = None,
) -> list[Issue]:
    """Fill missing dates: file metadata > sidecar > estimate (marked `date_estimated`).

    `known` maps issue numbers to real dates of already-indexed issues of the batch's
    publication; dated issues of the batch are anchors too, per publication.
    """
    known = dict(known or {})
    filled: list[Issue] = []
    for issue in issues:
        if issue.date is None and sidecar is not None and (entry := sidecar.lookup(issue)):
            issue = replace(issue, date=entry.date, date_estimated=entry.estimated)
        filled.append(issue)

    anchors: dict[str, dict[int, date]] = {}
    for issue in filled:
        if issue.date is not None and not issue.date_estimated and issue.number is not None:
            anchors.setdefault(issue.publication, dict(known))[issue.number] = issue.date

    result: list[Issue] = []
    for issue in filled:
        if issue.date is None and issue.number is not None:
            estimate = estimate_date(issue.number, anchors.get(issue.publication, known))
            if estimate is not None:
                issue = replace(issue, date=estimate, date_estimated=True)
        result.append(issue)
    return result
