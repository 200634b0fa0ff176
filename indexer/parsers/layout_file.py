"""Per-newsletter layout files: the escape hatch when inference gets a layout wrong.

A `layout.yaml` beside the issues (or a file passed with `--layout`, or one bundled in
`layouts/` naming the archive's folder) says what an item is, what a section is and what to
ignore:

    newsletter: MLE Newsletter        # optional, for the reader of the file
    folders: [mle-newsletter]         # bundled files only: the archive folders it applies to
    items:
      heading_levels: [2]             # headings of these levels are always items (stories)
      lists: true                     # list items may be items (default true)
      paragraphs: true                # link-led and untitled paragraphs may be items (default true)
    sections:
      heading_levels: [3]             # headings of these levels always name sections
      labels: true                    # bold-only / colon-ended lines name sub-sections (default true)
    ignore:                           # regular expressions (case-insensitive); a block whose
      - "^sponsored by"               # text matches is dropped, a heading with everything under it

Every field is optional. A mistake is a `LayoutError` naming the file and the field.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from .common import load_yaml, shown
from .rules import Rules

__all__ = ["LayoutError", "LAYOUT_NAMES", "BUNDLED", "load_layout", "layout_for"]

LAYOUT_NAMES = ("layout.yaml", "layout.yml")
BUNDLED = Path(__file__).resolve().parents[2] / "layouts"
_TOP = {"newsletter", "folders", "items", "sections", "ignore"}
_ITEMS = {"heading_levels", "lists", "paragraphs"}
_SECTIONS = {"heading_levels", "labels"}


class LayoutError(ValueError):
    def __init__(self, path: Path, field: str, problem: str):
        super().__init__(f"{path}: layout field '{field}': {problem}")
        self.path = str(path)
        self.reason = f"layout field '{field}': {problem}"


def _mapping(path: Path, name: str, value: object, allowed: set[str]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise LayoutError(path, name, f"expected a mapping, got {type(value).__name__}")
    unknown = sorted(set(map(str, value)) - allowed)
    if unknown:
        raise LayoutError(path, f"{name}.{unknown[0]}" if name else unknown[0],
                          f"unknown field (known: {', '.join(sorted(allowed))})")
    return value


def _levels(path: Path, field: str, value: object) -> tuple[int, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 6 for v in values):
        raise LayoutError(path, field, f"expected heading levels 1-6, got {shown(value)}")
    return tuple(values)


def _flag(path: Path, field: str, value: object, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise LayoutError(path, field, f"expected true or false, got {shown(value)}")
    return value


def _patterns(path: Path, value: object) -> tuple[re.Pattern[str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LayoutError(path, "ignore", "expected a list of regular expressions")
    compiled = []
    for n, pattern in enumerate(value):
        try:
            compiled.append(re.compile(pattern, re.I))
        except re.error as exc:
            raise LayoutError(path, f"ignore[{n}]", f"invalid regular expression {pattern!r}: {exc}") from exc
    return tuple(compiled)


def load_layout(path: str | Path) -> Rules:
    """Validated rules from one layout file."""
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LayoutError(path, "(file)", f"unreadable: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise LayoutError(path, "(file)", f"invalid YAML: {exc}") from exc
    top = _mapping(path, "", data if data is not None else {}, _TOP)
    items = _mapping(path, "items", top.get("items"), _ITEMS)
    sections = _mapping(path, "sections", top.get("sections"), _SECTIONS)
    folders = top.get("folders")
    if folders is not None and (not isinstance(folders, list) or not all(isinstance(f, str) for f in folders)):
        raise LayoutError(path, "folders", "expected a list of folder names")
    return Rules(
        ignore=_patterns(path, top.get("ignore")),
        item_levels=_levels(path, "items.heading_levels", items.get("heading_levels")),
        section_levels=_levels(path, "sections.heading_levels", sections.get("heading_levels")),
        list_items=_flag(path, "items.lists", items.get("lists"), True),
        paragraphs=_flag(path, "items.paragraphs", items.get("paragraphs"), True),
        labels=_flag(path, "sections.labels", sections.get("labels"), True),
        origin=str(path),
    )


@lru_cache(maxsize=None)
def _bundled() -> dict[str, Path]:
    """Folder name -> bundled layout file."""
    found: dict[str, Path] = {}
    for path in sorted(BUNDLED.glob("*.y*ml")) if BUNDLED.is_dir() else ():
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for folder in (data.get("folders") or []) if isinstance(data, dict) else []:
            found[str(folder)] = path
    return found


def layout_for(folder: Path) -> Path | None:
    """The layout file for issues in `folder`: its own layout.yaml, else a bundled one."""
    for name in LAYOUT_NAMES:
        if (folder / name).is_file():
            return folder / name
    return _bundled().get(folder.resolve().name)
