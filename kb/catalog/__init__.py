"""The entity catalog: named things (and topics) the knowledge base links mentions to.

The catalog is data: one or more YAML files in this folder, each a list of entries::

    - {id: ai21-labs, name: AI21 Labs, type: ORG, aliases: [AI21], homepage: https://www.ai21.com}
    - {id: jurassic-1, name: Jurassic-1, type: MODEL, owner: ai21-labs}

Topics (type TOPIC) live only in ``topics.yaml`` and may name ``parents``.
Everything is validated on load; a :class:`CatalogError` names the file, the entry (index,
id and line) and the field at fault, and lists every problem found, not just the first.

Case rule for matching an alias (used by the extractor): an entry's ``case_sensitive``
wins when it is set; otherwise aliases of at most 4 characters or written in capitals
without digits ("AI21", "MIT", "BLOOM") match case-sensitively and longer ones case-insensitively.
Names that are also English words ("Apple", "Ray", "Falcon") set ``case_sensitive: true``.

Example::

    >>> catalog = load_catalog()
    >>> catalog.get("jurassic-1").owner
    'ai21-labs'
"""
from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from kb.models import ENTITY_TYPES, content_hash

__all__ = [
    "CATALOG_DIR",
    "CatalogEntry",
    "Catalog",
    "CatalogError",
    "load_catalog",
    "default_case_sensitive",
]

CATALOG_DIR = Path(__file__).resolve().parent

_ID_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
_FIELDS = ("id", "name", "type", "aliases", "owner", "homepage", "parents", "case_sensitive")
_REQUIRED = ("id", "name", "type")
_TOPIC = "TOPIC"

try:  # libyaml is ~10x faster; the pure-Python loader gives the same result
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def default_case_sensitive(alias: str) -> bool:
    """Short (<= 4 chars) or all-capitals acronyms ("MNIST", "BLOOM") match case-sensitively.

    Capitals with a version number ("GPT-3", "CIFAR-10") are distinctive enough to match in
    any case, like longer mixed-case names ("PyTorch" also matches "Pytorch").
    """
    if len(alias) <= 4:
        return True
    return alias.upper() == alias and any(c.isalpha() for c in alias) and not any(c.isdigit() for c in alias)


@dataclass(frozen=True)
class CatalogEntry:
    """One canonical entity or topic and the surface forms that refer to it."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    owner: str | None = None  # id of the owning ORG (jurassic-1 -> ai21-labs)
    homepage: str | None = None
    parents: tuple[str, ...] = ()  # topics only: broader topic ids
    case_sensitive: bool | None = None  # None: decided per alias by default_case_sensitive

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The name followed by the aliases, without duplicates."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))

    def is_case_sensitive(self, alias: str) -> bool:
        if self.case_sensitive is not None:
            return self.case_sensitive
        return default_case_sensitive(alias)


class CatalogError(Exception):
    """A catalog file is malformed; the message names file, entry and field.

    When several problems are found at once, ``errors`` holds one CatalogError each and the
    message lists them all.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        index: int | None = None,
        entry_id: str | None = None,
        field: str | None = None,
        line: int | None = None,
        errors: Sequence[CatalogError] = (),
    ):
        self.reason = message
        self.path = str(path) if path is not None else None
        self.index = index
        self.entry_id = entry_id
        self.field = field
        self.line = line
        self.errors: tuple[CatalogError, ...] = tuple(errors) or (self,)
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.path:
            where.append(self.path + (f":{self.line}" if self.line else ""))
        if self.index is not None:
            where.append(f"entry #{self.index}" + (f" (id {self.entry_id!r})" if self.entry_id else ""))
        if self.field:
            where.append(f"field {self.field!r}")
        return ": ".join([*where, self.reason])

    @classmethod
    def combine(cls, errors: Sequence[CatalogError]) -> CatalogError:
        if len(errors) == 1:
            return errors[0]
        lines = "\n".join(f"  - {e}" for e in errors)
        return cls(f"{len(errors)} problems in the catalog:\n{lines}", errors=errors)


class Catalog:
    """All entries by id, with type/topic views and name autocomplete."""

    def __init__(self, entries: Sequence[CatalogEntry], *, sources: Sequence[Path] = ()):
        self._entries: dict[str, CatalogEntry] = {e.id: e for e in entries}
        self.sources: tuple[Path, ...] = tuple(sources)
        self.version: str = content_hash(
            json.dumps([asdict(e) for e in self._entries.values()], sort_keys=True)
        )[:16]
        self._by_type: dict[str, tuple[CatalogEntry, ...]] = {
            t: tuple(e for e in self._entries.values() if e.type == t) for t in ENTITY_TYPES
        }
        self._owned: dict[str, list[CatalogEntry]] = {}
        for e in self._entries.values():
            if e.owner:
                self._owned.setdefault(e.owner, []).append(e)
        # autocomplete index: (casefolded key, rank, id); rank 0 = name, 1 = alias, 2 = inner word
        keys: set[tuple[str, int, str]] = set()
        for e in self._entries.values():
            for form in e.surface_forms:
                rank = 0 if form == e.name else 1
                folded = form.casefold()
                keys.add((folded, rank, e.id))
                for m in re.finditer(r"(?<=[\s\-/])\w", folded):
                    keys.add((folded[m.start():], 2, e.id))
        self._name_index = sorted(keys)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self._entries.values())

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def __repr__(self) -> str:
        return f"<Catalog {len(self)} entries, version {self.version}>"

    @property
    def entries(self) -> Mapping[str, CatalogEntry]:
        """All entries by id (read-only), in file order."""
        return MappingProxyType(self._entries)

    def get(self, entry_id: str) -> CatalogEntry | None:
        return self._entries.get(entry_id)

    def by_type(self, type_: str) -> tuple[CatalogEntry, ...]:
        if type_ not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {type_!r}; expected one of {ENTITY_TYPES}")
        return self._by_type[type_]

    @property
    def topics(self) -> tuple[CatalogEntry, ...]:
        return self._by_type[_TOPIC]

    def owned_by(self, org_id: str) -> tuple[CatalogEntry, ...]:
        """Entries whose owner is `org_id` (models, hardware, products, sub-labs...)."""
        return tuple(self._owned.get(org_id, ()))

    def ancestors(self, topic_id: str) -> tuple[str, ...]:
        """All broader topics of `topic_id`, nearest first (breadth-first, no duplicates)."""
        seen: dict[str, None] = {}
        frontier = list(self._entries[topic_id].parents) if topic_id in self._entries else []
        while frontier:
            nxt = []
            for pid in frontier:
                if pid not in seen:
                    seen[pid] = None
                    nxt.extend(self._entries[pid].parents)
            frontier = nxt
        return tuple(seen)

    def search_names(
        self, prefix: str, *, limit: int = 10, types: Sequence[str] | None = None
    ) -> list[CatalogEntry]:
        """Entries whose name, an alias or a later word of them starts with `prefix`.

        Case-insensitive. Exact names first, then name prefixes, alias prefixes and
        inner-word prefixes ("lecun" finds Yann LeCun); shorter names before longer ones.
        """
        key = prefix.strip().casefold()
        if not key:
            return []
        best: dict[str, tuple[int, int, str]] = {}
        i = bisect.bisect_left(self._name_index, (key, -1, ""))
        while i < len(self._name_index) and self._name_index[i][0].startswith(key):
            folded, rank, eid = self._name_index[i]
            i += 1
            entry = self._entries[eid]
            if types and entry.type not in types:
                continue
            exact = 0 if folded == key and rank < 2 else 1
            score = (exact, rank, entry.name.casefold())
            if eid not in best or score < best[eid]:
                best[eid] = score
        ranked = sorted(best, key=lambda eid: (best[eid][:2], len(self._entries[eid].name), best[eid][2]))
        return [self._entries[eid] for eid in ranked[:limit]]


# --------------------------------------------------------------------------- loading


def _default_paths() -> list[Path]:
    return sorted(CATALOG_DIR.glob("*.yaml"))


def _expand(paths: Sequence[Path | str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return out


def _is_topics_file(path: Path) -> bool:
    return path.stem.startswith("topics")


def _entry_lines(text: str) -> list[int]:
    """1-based start line of each top-level entry (computed only when reporting errors)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


class _FileChecker:
    """Turns one file's raw entries into CatalogEntry objects, collecting errors."""

    def __init__(self, path: Path, text: str):
        self.extensions: list[_Extension] = []
        self.path = path
        self.text = text
        self.errors: list[CatalogError] = []
        self._lines: list[int] | None = None

    def line(self, index: int | None) -> int | None:
        if index is None:
            return None
        if self._lines is None:
            self._lines = _entry_lines(self.text)
        return self._lines[index] if index < len(self._lines) else None

    def error(self, message: str, *, index: int | None = None, entry_id: str | None = None,
              field: str | None = None) -> None:
        self.errors.append(
            CatalogError(message, path=self.path, index=index, entry_id=entry_id, field=field,
                         line=self.line(index))
        )

    def entries(self) -> list[tuple[int, CatalogEntry]]:
        """The valid entries with their index in the file; problems go to `errors`."""
        try:
            data = yaml.load(self.text, Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.errors.append(CatalogError(
                f"invalid YAML: {getattr(exc, 'problem', None) or exc}", path=self.path,
                line=mark.line + 1 if mark else None))
            return []
        if data is None:
            return []
        if not isinstance(data, list):
            self.error(f"the file must be a YAML list of entries, not {type(data).__name__}")
            return []
        out = []
        for index, raw in enumerate(data):
            entry = self.entry(index, raw)
            if entry is not None:
                out.append((index, entry))
        return out

    def _strings(self, raw: dict, key: str, index: int, eid: str | None) -> tuple[str, ...] | None:
        value = raw.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error("must be a list of strings", index=index, entry_id=eid, field=key)
            return None
        bad = [v for v in value if not v.strip() or v != v.strip()]
        if bad:
            self.error(f"empty or space-padded value {bad[0]!r}", index=index, entry_id=eid, field=key)
            return None
        return tuple(value)

    def extension(self, index: int, raw: dict) -> "_Extension | None":
        """`{extends: <id>, aliases: [...]}`: more spellings for an entry of another file
        (how a merge from candidate review is recorded)."""
        target = raw.get("extends")
        unknown = [k for k in raw if k not in ("extends", "aliases")]
        if unknown:
            self.error("an extension has only 'extends' and 'aliases'", index=index, field=str(unknown[0]))
            return None
        if not isinstance(target, str) or not target.strip():
            self.error("required (the id of the entry to extend)", index=index, field="extends")
            return None
        aliases = self._strings(raw, "aliases", index, target)
        if not aliases:
            if aliases is not None:
                self.error("required (the spellings to add)", index=index, entry_id=target, field="aliases")
            return None
        return _Extension(target, aliases, index)

    def entry(self, index: int, raw: Any) -> CatalogEntry | None:
        if not isinstance(raw, dict):
            self.error(f"an entry must be a mapping, not {type(raw).__name__}", index=index)
            return None
        if "extends" in raw:
            found = self.extension(index, raw)
            if found is not None:
                self.extensions.append(found)
            return None
        eid = raw.get("id") if isinstance(raw.get("id"), str) else None
        ok = True
        for key in raw:
            if key not in _FIELDS:
                self.error(f"unknown field; allowed: {', '.join(_FIELDS)}", index=index,
                           entry_id=eid, field=str(key))
                ok = False
        for key in _REQUIRED:
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                self.error("required (a non-empty string)", index=index, entry_id=eid, field=key)
                ok = False
        if not ok:
            return None
        if not _ID_RE.match(eid):  # type: ignore[arg-type]
            self.error("ids are lowercase slugs (a-z, 0-9, '-' or '.' between parts)",
                       index=index, entry_id=eid, field="id")
            ok = False
        type_ = raw["type"]
        topics_file = _is_topics_file(self.path)
        if type_ not in ENTITY_TYPES:
            self.error(f"unknown type {type_!r}; expected one of {', '.join(ENTITY_TYPES)}",
                       index=index, entry_id=eid, field="type")
            ok = False
        elif (type_ == _TOPIC) != topics_file:
            where = "only in topics.yaml" if type_ == _TOPIC else "not in a topics file"
            self.error(f"type {type_!r} belongs {where}", index=index, entry_id=eid, field="type")
            ok = False
        aliases = self._strings(raw, "aliases", index, eid)
        parents = self._strings(raw, "parents", index, eid)
        ok = ok and aliases is not None and parents is not None
        if parents and type_ != _TOPIC:
            self.error("only topics have parents", index=index, entry_id=eid, field="parents")
            ok = False
        owner = raw.get("owner")
        if owner is not None and (not isinstance(owner, str) or type_ == _TOPIC):
            self.error("must be the id of an ORG entry (topics have no owner)", index=index,
                       entry_id=eid, field="owner")
            ok = False
        homepage = raw.get("homepage")
        if homepage is not None and (
            not isinstance(homepage, str) or not homepage.startswith(("http://", "https://"))
        ):
            self.error("must be an http(s) URL", index=index, entry_id=eid, field="homepage")
            ok = False
        case_sensitive = raw.get("case_sensitive")
        if case_sensitive is not None and not isinstance(case_sensitive, bool):
            self.error("must be true or false", index=index, entry_id=eid, field="case_sensitive")
            ok = False
        if ok and type_ == _TOPIC:
            broader = [a for a in aliases or () if _broader_than(a, raw["name"])]
            if broader:
                self.error(f"alias {broader[0]!r} is broader than the topic's name {raw['name']!r} (it drops a word "
                           "of it, so it also names other things: remove it, or make the topic the broader one)",
                           index=index, entry_id=eid, field="aliases")
                ok = False
        if not ok:
            return None
        name = raw["name"].strip()
        return CatalogEntry(
            id=eid,  # type: ignore[arg-type]
            name=name,
            type=type_,
            aliases=tuple(a for a in dict.fromkeys(aliases or ()) if a != name),
            owner=owner,
            homepage=homepage,
            parents=tuple(dict.fromkeys(parents or ())),
            case_sensitive=case_sensitive,
        )


def _topic_words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]


def _broader_than(alias: str, name: str) -> bool:
    """'language models' for 'large language models': the name minus a word names more."""
    if alias.isupper():  # acronyms stand for the whole name
        return False
    a, n = _topic_words(alias), _topic_words(name)
    return 0 < len(a) < len(n) and all(w in n for w in a)


@dataclass(frozen=True)
class _Extension:
    target: str
    aliases: tuple[str, ...]
    index: int


def _extend(located: list[tuple[CatalogEntry, "_FileChecker", int]], checkers: list["_FileChecker"]) -> list[CatalogError]:
    """Apply every file's extensions to the entries they name (in place); unknown ids are errors."""
    errors: list[CatalogError] = []
    position = {entry.id: n for n, (entry, _, _) in enumerate(located)}
    for checker in checkers:
        for ext in checker.extensions:
            n = position.get(ext.target)
            if n is None:
                errors.append(CatalogError(f"unknown id {ext.target!r}", path=checker.path, index=ext.index,
                                           field="extends", line=checker.line(ext.index)))
                continue
            entry, origin, index = located[n]
            added = tuple(a for a in ext.aliases if a not in entry.surface_forms)
            located[n] = (replace(entry, aliases=entry.aliases + added), origin, index)
    return errors


def _cross_check(located: list[tuple[CatalogEntry, _FileChecker, int]]) -> list[CatalogError]:
    """Checks that need every file: unique ids, alias collisions, owner/parent references."""
    errors: list[CatalogError] = []

    def err(msg: str, entry: CatalogEntry, checker: _FileChecker, index: int, field: str) -> None:
        errors.append(CatalogError(msg, path=checker.path, index=index, entry_id=entry.id,
                                   field=field, line=checker.line(index)))

    def where(checker: _FileChecker, index: int) -> str:
        return f"{checker.path} entry #{index}"

    first: dict[str, tuple[CatalogEntry, _FileChecker, int]] = {}
    for entry, checker, index in located:
        if entry.id in first:
            _, c0, i0 = first[entry.id]
            err(f"duplicate id, first defined at {where(c0, i0)}", entry, checker, index, "id")
        else:
            first[entry.id] = (entry, checker, index)

    # alias collisions: same text (case-folded unless both sides are case-sensitive)
    by_fold: dict[str, list[tuple[str, bool, CatalogEntry, _FileChecker, int]]] = {}
    for entry, checker, index in located:
        for form in entry.surface_forms:
            by_fold.setdefault(form.casefold(), []).append(
                (form, entry.is_case_sensitive(form), entry, checker, index))
    for group in by_fold.values():
        for i, (form_a, cs_a, ea, ca, ia) in enumerate(group):
            for form_b, cs_b, eb, cb, ib in group[:i]:
                if ea.id == eb.id or (cs_a and cs_b and form_a != form_b):
                    continue
                field = "name" if form_a == ea.name else "aliases"
                err(f"alias {form_a!r} is also used by {eb.id!r} ({where(cb, ib)}, "
                    f"as {form_b!r})", ea, ca, ia, field)

    for entry, checker, index in located:
        if entry.owner is not None:
            owner = first.get(entry.owner)
            if owner is None:
                err(f"unknown id {entry.owner!r}", entry, checker, index, "owner")
            elif owner[0].type != "ORG":
                err(f"{entry.owner!r} is a {owner[0].type}, owners must be ORG entries",
                    entry, checker, index, "owner")
            elif entry.owner == entry.id:
                err("an entry cannot own itself", entry, checker, index, "owner")
        for pid in entry.parents:
            parent = first.get(pid)
            if parent is None:
                err(f"unknown id {pid!r}", entry, checker, index, "parents")
            elif parent[0].type != _TOPIC:
                err(f"{pid!r} is not a topic", entry, checker, index, "parents")

    # no cycles in the topic hierarchy: report the entry whose parent closes the loop
    done: set[str] = set()

    def visit(eid: str, trail: list[str]) -> None:
        if eid in trail:
            entry, checker, index = first[trail[-1]]
            cycle = " -> ".join([*trail[trail.index(eid):], eid])
            err(f"cycle in topic parents: {cycle}", entry, checker, index, "parents")
            return
        if eid in done:
            return
        for pid in first[eid][0].parents:
            if pid in first:
                visit(pid, [*trail, eid])
        done.add(eid)

    for eid, (entry, _, _) in first.items():
        if entry.type == _TOPIC:
            visit(eid, [])
    return errors


def load_catalog(paths: Sequence[Path | str] | None = None) -> Catalog:
    """Load and validate catalog YAML files (default: every *.yaml in kb/catalog/).

    A directory in `paths` stands for the *.yaml files in it. Raises CatalogError listing
    every problem found.
    """
    files = _default_paths() if paths is None else _expand(paths)
    errors: list[CatalogError] = []
    located: list[tuple[CatalogEntry, _FileChecker, int]] = []
    checkers: list[_FileChecker] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            errors.append(CatalogError(f"cannot read: {exc.strerror or exc}", path=path))
            continue
        checker = _FileChecker(path, text)
        located.extend((entry, checker, index) for index, entry in checker.entries())
        errors.extend(checker.errors)
        checkers.append(checker)
    errors.extend(_extend(located, checkers))
    errors.extend(_cross_check(located))
    if errors:
        raise CatalogError.combine(errors)
    return Catalog([e for e, _, _ in located], sources=files)

