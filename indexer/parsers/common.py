"""Small helpers every format parser needs: issue numbers, publication names, clean text."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import yaml

from kb.models import Issue, Item

from .base import ParseError, Parser, Source

__all__ = [
    "FOOTER",
    "ACRONYMS",
    "collapse",
    "join_paragraphs",
    "number_from_text",
    "number_from_filename",
    "date_from_filename",
    "date_from_text",
    "split_issue_heading",
    "publication_from_folder",
    "fallback_publication",
    "titled_publication",
    "parse_date",
    "require_items",
    "make_item",
    "guarded",
    "load_yaml",
]

ACRONYMS = {"ai", "ml", "mle", "dl", "nlp", "llm", "llms", "mlops", "cv", "rl", "gpu", "ds"}

# "Issue #12", "Issue 12", "Issue No. 12", "No. 12", "Nº 12", "#12"
_NUMBER_RE = re.compile(
    r"(?:\bissue\s*(?:no\.?|n[º°o]\.?|number)?\s*#?\s*|\bno\.\s*|\bn[º°]\s*|#\s?)(\d{1,5})\b",
    re.IGNORECASE,
)
_ISSUE_HEADING_RE = re.compile(r"^(?P<pub>.*?)[\s:|,\-–—]*\bissue\b", re.IGNORECASE)
_HASH_HEADING_RE = re.compile(r"^(?P<pub>[^#:|]{2,60}?)\s*#\s*\d{1,5}\b")  # "Model Drift #41: ..."
# Mail footers and share buttons: never part of an item's text.
FOOTER = re.compile(
    r"\b(unsubscribe|view (it |this (email |post )?)?in (your |a )?browser|update your preferences"
    r"|forward(ed)? this (e-?mail|newsletter)|share this (post|issue|newsletter)|all rights reserved"
    r"|subscribe (now|for free|to)|you (are )?receiv(ed|ing) this)\b|^©|^(share|subscribe|sponsored)$",
    re.I,
)
_FILENAME_NUMBER_RE = re.compile(r"(?:^|[^0-9])(\d{1,5})$")
_FILE_DATE_RE = re.compile(r"(?<!\d)(?P<y>\d{4})[-_.](?P<m>\d{1,2})[-_.](?P<d>\d{1,2})(?!\d)")
_WEEK_LABEL_RE = re.compile(r"\d{4}[-_]?W\d{1,2}$", re.I)
_YEAR_SEQ_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}[-_.]\d{1,2}$")  # '2018-9': the 9th of that year
_MONTHS = {m: n for n, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MONTH_NAME = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_ISO_IN_TEXT_RE = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
_DAY_MONTH_RE = re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _MONTH_NAME + r"\.?,?\s+(?P<y>\d{4})\b", re.I)
_MONTH_DAY_RE = re.compile(r"\b" + _MONTH_NAME + r"\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b", re.I)
_DATE_LIKE_RE = re.compile(r"\d{4}[-_.]\d{1,2}[-_.]\d{1,2}$")


def collapse(text: str) -> str:
    """Whitespace inside a paragraph means nothing: one space, no ends."""
    return " ".join(text.split())


def join_paragraphs(paragraphs: list[str]) -> str:
    """Item and intro text: non-empty paragraphs separated by one blank line."""
    return "\n\n".join(p for p in (p.strip() for p in paragraphs) if p)


def number_from_text(text: str) -> int | None:
    match = _NUMBER_RE.search(text)
    return int(match.group(1)) if match else None


def split_issue_heading(line: str) -> tuple[str | None, int | None]:
    """'Deep Learning Weekly: Issue #214' -> ('Deep Learning Weekly', 214)."""
    number = number_from_text(line)
    match = _ISSUE_HEADING_RE.match(line.strip())
    publication = match.group("pub").strip(" :|,-–—") if match else None
    return (publication or None), number


def titled_publication(line: str) -> str | None:
    """'Model Drift #41: Agents' -> 'Model Drift': a guess, weaker than a publication hint."""
    match = _HASH_HEADING_RE.match(line.strip())
    return match.group("pub").strip(" :|,-–—") or None if match else None


def number_from_filename(path: str | Path) -> int | None:
    """'week_012.html' -> 12, 'Issue12.md' -> 12, '2019-09-22-32.md' -> 32; a name that is
    only a date, or ends in a week label ('2021-W39'), gives None."""
    stem = Path(path).stem
    rest = _FILE_DATE_RE.sub("", stem, count=1) if _FILE_DATE_RE.search(stem) else stem
    if not rest.strip("-_. ") or _DATE_LIKE_RE.search(rest) or _WEEK_LABEL_RE.search(rest) \
            or _YEAR_SEQ_RE.search(rest):
        return None
    match = _FILENAME_NUMBER_RE.search(rest)
    return int(match.group(1)) if match else None


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if 1990 <= year <= 2100 else None
    except ValueError:
        return None


def date_from_filename(path: str | Path) -> date | None:
    """'2019-09-22-32.md', '2023_05_13-weekly.md' or a folder named so: the date in the name."""
    for name in (Path(path).stem, Path(path).parent.name):
        match = _FILE_DATE_RE.search(name)
        if match:
            found = _valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
            if found:
                return found
    return None


def date_from_text(text: str) -> date | None:
    """A date written in a title line: '12 May 2021', 'May 12, 2021', '2021-05-12'."""
    if match := _ISO_IN_TEXT_RE.search(text):
        return _valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
    if match := _DAY_MONTH_RE.search(text):
        month = _MONTHS.get(match["mon"][:3].lower())
        return _valid_date(int(match["y"]), month, int(match["d"])) if month else None
    if match := _MONTH_DAY_RE.search(text):
        month = _MONTHS.get(match["mon"][:3].lower())
        return _valid_date(int(match["y"]), month, int(match["d"])) if month else None
    return None


def publication_from_folder(path: Path) -> str:
    """'mle-newsletter' -> 'MLE Newsletter': the last resort for a publication name."""
    words = re.split(r"[-_\s]+", path.resolve().parent.name)
    named = [w.upper() if w.lower() in ACRONYMS else w.capitalize() for w in words if w]
    return " ".join(named) or "Unknown"


def fallback_publication(source: Source, *titles: str) -> str:
    """The hint, else a name guessed from a '#N' title line, else the folder's name."""
    guessed = next((p for p in map(titled_publication, titles) if p), None)
    return source.publication_hint or guessed or publication_from_folder(source.path)


def parse_date(value: object) -> date | None:
    """ISO 8601 or RFC 822 text (or a date) to a date; None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


class _TextDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """SafeLoader that leaves timestamps as text: PyYAML raises a bare ValueError on
    impossible dates such as 2024-02-30, which would hide the file and field at fault."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> object:
    """YAML with dates as strings, for validation that names the field (raises YAMLError).

    Aliases (`*name`) are refused before anything is built: nested ones expand a few hundred
    bytes into billions of values ("billion laughs"), and front matter or a sidecar never
    needs them."""
    for event in yaml.parse(text, Loader=_TextDatesLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError(f"aliases (*{event.anchor}) are not accepted: write the value out")
    return yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader subclass


def shown(value: object, limit: int = 80) -> str:
    """A value as an error message may quote it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def require_items(source: Source, issue: Issue, detected: object = None) -> Issue:
    """An issue without items is a parse failure, not an empty record."""
    if not issue.items:
        hint = ""
        decisions = getattr(detected, "decisions", None)
        if decisions is not None:
            hint = (f" ({len(decisions)} blocks read, none a link unit; see "
                    f"`python -m indexer parse {source.path} --explain`, or describe the layout in a layout file)")
        raise ParseError(source.path, "no items found" + hint)
    return issue


def make_item(title: str, paragraphs: list[str], url: str | None, section: str | None,
              links: tuple[str, ...] = ()) -> Item:
    return Item(
        title=collapse(title),
        text=join_paragraphs(paragraphs),
        url=url or None,
        section=section,
        links=links or ((url,) if url else ()),
    )


ParseMethod = Callable[[Parser, Source], list[Issue]]


def guarded(parse: ParseMethod) -> ParseMethod:
    """Make a parser bug surface as ParseError too, so one odd file never stops a batch."""

    @functools.wraps(parse)
    def wrapper(self: Parser, source: Source) -> list[Issue]:
        try:
            return parse(self, source)
        except ParseError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported with the file's path, traceback chained
            raise ParseError(source.path, f"{self.name} parser failed: {exc!r}") from exc

    return wrapper
