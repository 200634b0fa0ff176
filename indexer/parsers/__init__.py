"""Format parsers behind one contract: read a file, pick the best-scoring parser, get Issues.

    >>> from indexer.parsers import parse_path
    >>> issues = parse_path("../shared/corpus/seed/deep-learning-weekly-214.txt")  # doctest: +SKIP

Anything wrong with a file surfaces as `ParseError(path, reason)`, so a batch can record it
and move on.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from kb.models import Issue

from .base import ParseError, Parser, Source
from .feed import FeedParser
from .html import HtmlParser
from .layout_file import LayoutError, layout_for, load_layout
from .markdown import MarkdownParser
from .rules import Rules
from .template import learn_template
from .text import TextParser

__all__ = [
    "ParseError",
    "Source",
    "Parser",
    "PARSERS",
    "SUPPORTED_EXTENSIONS",
    "detect_parser",
    "read_source",
    "rules_for",
    "parse_source",
    "parse_path",
    "discover_files",
    "parse_paths",
    "strip_templates",
]

PARSERS: tuple[Parser, ...] = (TextParser(), MarkdownParser(), HtmlParser(), FeedParser())
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(ext for p in PARSERS for ext in p.extensions)

_SKIP_NAMES = re.compile(r"^(manifest|license|licence|readme|copying|notice)(\..*)?$", re.I)
_SIDECARS = {"dates.yaml", "dates.yml", "kb.yaml", "kb.yml"}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def detect_parser(source: Source) -> Parser:
    """The parser with the highest score for this source; ties go to registry order."""
    scored = [(parser.score(source), -n, parser) for n, parser in enumerate(PARSERS)]
    score, _, parser = max(scored, key=lambda entry: entry[:2])
    if score <= 0:
        raise ParseError(source.path, f"no parser for {source.path.suffix or 'files without an extension'}")
    return parser


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise ParseError(path, "binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ParseError(path, f"undecodable text (neither UTF-8 nor cp1252): {exc.reason}") from exc


@functools.lru_cache(maxsize=64)
def _rules(layout: Path, mtime: float) -> Rules:
    return load_layout(layout)


def rules_for(path: Path, layout: str | Path | None = None) -> Rules:
    """The layout rules for a file: `layout` if given, else its folder's or a bundled one."""
    found = Path(layout) if layout else layout_for(path.parent)
    if found is None:
        return Rules()
    try:
        return _rules(found, found.stat().st_mtime if found.exists() else 0.0)
    except LayoutError as exc:
        raise ParseError(exc.path, exc.reason) from exc


def read_source(path: str | Path, publication_hint: str | None = None, layout: str | Path | None = None) -> Source:
    """Read and decode a file: UTF-8 (BOM or not), UTF-16 with BOM, else cp1252."""
    path = Path(path)
    rules = rules_for(path, layout)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"unreadable: {exc.strerror or exc}") from exc
    text = _decode(path, data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError(path, "empty file")
    return Source(path=path, text=text, publication_hint=publication_hint, rules=rules)


def parse_source(source: Source) -> list[Issue]:
    return detect_parser(source).parse(source)


def parse_path(path: str | Path, publication_hint: str | None = None, layout: str | Path | None = None) -> list[Issue]:
    return parse_source(read_source(path, publication_hint, layout))


def _natural_key(path: Path) -> list[object]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", str(path))]


def _wanted(path: Path, root: Path) -> bool:
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    name = path.name
    return (
        not hidden
        and (path.is_file() or (path.is_symlink() and not path.exists()))  # a broken link is named, not skipped
        and path.suffix.lower() in SUPPORTED_EXTENSIONS
        and name.lower() not in _SIDECARS
        and not _SKIP_NAMES.match(name)
    )


def discover_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files to ingest: folders expanded recursively, in natural order (2.md before 10.md).

    Hidden files, MANIFEST/LICENSE/README, sidecar YAML and unsupported extensions are
    skipped inside folders (a link to a missing file is kept, so it fails with its path); a
    file named explicitly is always kept (a missing one fails later, with its path).
    """
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.update(p for p in path.rglob("*") if _wanted(p, path))
        else:
            found.add(path)  # named explicitly: a missing file is reported when it is read
    return sorted(found, key=_natural_key)


def strip_templates(parsed: dict[Path, list[Issue]]) -> dict[Path, list[Issue]]:
    """Remove what each archive repeats from issue to issue (see `template`).

    An archive is the issues of one folder (a feed file's entries included): one newsletter
    spells its own name differently over the years, but keeps its issues together.
    """
    groups: dict[Path, list[Issue]] = defaultdict(list)
    for path, issues in parsed.items():
        groups[path.parent].extend(issues)
    templates = {folder: learn_template(issues) for folder, issues in groups.items()}
    return {path: [templates[path.parent].strip(issue) for issue in issues] for path, issues in parsed.items()}


def parse_paths(
    paths: Iterable[str | Path], layout: str | Path | None = None, strip: bool = True
) -> tuple[dict[Path, list[Issue]], list[ParseError]]:
    """Parse files as one archive (its template stripped unless `strip` is false); failures
    are returned with their paths, never raised."""
    parsed: dict[Path, list[Issue]] = {}
    failures: list[ParseError] = []
    for path in discover_files(paths):
        try:
            parsed[path] = parse_path(path, layout=layout)
        except ParseError as exc:
            failures.append(exc)
    return (strip_templates(parsed) if strip else parsed), failures
