"""Mention-level scoring of entity predictions against a gold file.

The gold format and the scoring definitions are those of ``shared/gold/GUIDELINES.md``:
one passage a JSON line, ``{"id", "text", "entities": [{"start", "end", "text", "type"}]}``,
character offsets with ``end`` exclusive. Three ways to count a predicted mention as right:

* **strict**: same span and same type;
* **partial**: overlapping span and same type;
* **untyped**: same span, whatever the type.

Every gold and every predicted mention is matched at most once (one-to-one). Partial matching
is greedy: exact pairs first, then the pairs that share the most characters, then leftmost.
So a duplicated prediction is a false positive, and one long prediction that covers two gold
mentions matches only one of them.

Per type, strict and partial only pair mentions of that type. Untyped pairs spans whatever
their types; a pair counts towards the recall of the gold mention's type and the precision of
the predicted mention's type, so "untyped recall of MODEL" reads "MODEL spans we found, with
any type".

TOPIC predictions are dropped before scoring: topics are not entities in the guidelines.

Example::

    >>> gold = [GoldPassage("p1", "Tesla built Dojo.", ((0, 5, "ORG"), (12, 16, "HARDWARE")))]
    >>> scores = score(gold, {"p1": [(0, 5, "ORG"), (12, 16, "PRODUCT")]})
    >>> scores.strict.f1, scores.untyped.f1
    (0.5, 1.0)
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.gold_passages import resolve_rows
from kb.models import ENTITY_TYPES

__all__ = [
    "SCORED_TYPES",
    "MODES",
    "EvaluationError",
    "GoldPassage",
    "Counts",
    "Scores",
    "read_jsonl",
    "read_texts",
    "load_gold",
    "load_predictions",
    "score",
    "format_report",
]

SCORED_TYPES: tuple[str, ...] = tuple(t for t in ENTITY_TYPES if t != "TOPIC")
IGNORED_TYPES = frozenset({"TOPIC"})
MODES: tuple[str, ...] = ("strict", "partial", "untyped")

SpanT = tuple[int, int, str]  # (start, end, type)


class EvaluationError(ValueError):
    """A gold or prediction file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class GoldPassage:
    """One annotated passage: its id, its text and its (start, end, type) entities."""

    id: str
    text: str
    entities: tuple[SpanT, ...] = ()


# --------------------------------------------------------------------------------- reading


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; bad JSON names the file and line."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    with handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise EvaluationError(f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}")
            yield lineno, obj


def _field(obj: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in obj:
        raise EvaluationError(f"{where}: missing field {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise EvaluationError(f"{where}: field {key!r} must be {kind.__name__}, got {value!r}")
    return value


def _entity(ent: Any, text: str | None, where: str) -> SpanT:
    """(start, end, type) of one entity object; with `text`, the span must lie in it and match."""
    if not isinstance(ent, dict):
        raise EvaluationError(f"{where}: expected an object, got {ent!r}")
    start = _field(ent, "start", int, where)
    end = _field(ent, "end", int, where)
    type_ = _field(ent, "type", str, where)
    if type_ not in ENTITY_TYPES:
        raise EvaluationError(f"{where}: unknown type {type_!r} (known: {', '.join(ENTITY_TYPES)})")
    if not 0 <= start < end:
        raise EvaluationError(f"{where}: empty or negative span {start}..{end}")
    if text is None:
        return (start, end, type_)
    if end > len(text):
        raise EvaluationError(f"{where}: span {start}..{end} is outside the text ({len(text)} characters)")
    if "text" in ent and ent["text"] != text[start:end]:
        raise EvaluationError(
            f"{where}: entity text {ent['text']!r} differs from the passage text at "
            f"{start}..{end} ({text[start:end]!r})"
        )
    return (start, end, type_)


def _rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Lines of a passage file; passages stored by source and item get their text rebuilt
    from the corpus (see `indexer.gold_passages`)."""
    numbered = list(read_jsonl(path))
    if all("text" in obj for _, obj in numbered):
        yield from numbered
        return
    try:
        rows = resolve_rows([obj for _, obj in numbered], str(path))
    except (OSError, ValueError, KeyError) as exc:
        raise EvaluationError(str(exc)) from exc
    yield from zip((n for n, _ in numbered), rows)


def read_texts(path: str | Path) -> Iterator[tuple[str, str]]:
    """(id, text) of every line ``{"id", "text", ...}``; other keys are ignored."""
    for lineno, obj in _rows(path):
        where = f"{path}:{lineno}"
        yield _field(obj, "id", str, where), _field(obj, "text", str, where)


def load_gold(path: str | Path) -> list[GoldPassage]:
    """Read a gold JSONL file; any bad line raises :class:`EvaluationError` naming file and line."""
    passages: list[GoldPassage] = []
    seen: dict[str, int] = {}
    for lineno, obj in _rows(path):
        where = f"{path}:{lineno}"
        pid = _field(obj, "id", str, where)
        if pid in seen:
            raise EvaluationError(f"{where}: duplicate id {pid!r} (first on line {seen[pid]})")
        seen[pid] = lineno
        text = _field(obj, "text", str, where)
        entities = _field(obj, "entities", list, where)
        spans = tuple(
            _entity(ent, text, f"{where}: entity {n}") for n, ent in enumerate(entities, start=1)
        )
        if any(t in IGNORED_TYPES for _, _, t in spans):
            raise EvaluationError(f"{where}: gold entities cannot be TOPIC")
        repeated = [span for span, n in Counter(spans).items() if n > 1]
        if repeated:
            raise EvaluationError(f"{where}: entity {repeated[0]} is annotated twice")
        passages.append(GoldPassage(pid, text, spans))
    return passages


def load_predictions(path: str | Path, texts: Mapping[str, str] | None = None) -> dict[str, list[SpanT]]:
    """Predictions in the ``python -m indexer extract`` format: ``{"id", "entities": [...]}``.

    With `texts` (id -> passage text), spans are checked against the text they point into.
    """
    out: dict[str, list[SpanT]] = {}
    for lineno, obj in read_jsonl(path):
        where = f"{path}:{lineno}"
        pid = _field(obj, "id", str, where)
        if pid in out:
            raise EvaluationError(f"{where}: duplicate id {pid!r}")
        entities = _field(obj, "entities", list, where)
        text = texts.get(pid) if texts is not None else None
        out[pid] = [_entity(ent, text, f"{where}: entity {n}") for n, ent in enumerate(entities, start=1)]
    return out


# --------------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Counts:
    """Matched and total mentions on each side; P = matched_pred/pred, R = matched_gold/gold.

    The two matched counts are equal except for untyped scores per type (see module doc).
    """

    matched_pred: int = 0
    pred: int = 0
    matched_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.matched_pred + other.matched_pred,
            self.pred + other.pred,
            self.matched_gold + other.matched_gold,
            self.gold + other.gold,
        )

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched_pred": self.matched_pred,
            "pred": self.pred,
            "matched_gold": self.matched_gold,
            "gold": self.gold,
        }


@dataclass(frozen=True)
class Scores:
    """Counts per mode ("strict", "partial", "untyped"), overall and per scored type."""

    passages: int
    overall: Mapping[str, Counts]
    by_type: Mapping[str, Mapping[str, Counts]]

    @property
    def strict(self) -> Counts:
        return self.overall["strict"]

    @property
    def partial(self) -> Counts:
        return self.overall["partial"]

    @property
    def untyped(self) -> Counts:
        return self.overall["untyped"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "passages": self.passages,
            "overall": {mode: c.to_dict() for mode, c in self.overall.items()},
            "by_type": {t: {mode: c.to_dict() for mode, c in modes.items()} for t, modes in self.by_type.items()},
        }


def _overlap(a: SpanT, b: SpanT) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def _match_partial(gold: Sequence[SpanT], pred: Sequence[SpanT]) -> int:
    """Greedy one-to-one matching of same-type overlapping spans; returns the pair count."""
    pairs = [
        (g != p, -_overlap(g, p), g[0], p[0], gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if g[2] == p[2] and _overlap(g, p) > 0
    ]
    used_g: set[int] = set()
    used_p: set[int] = set()
    for *_, gi, pi in sorted(pairs):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
    return len(used_g)


def _passage_counts(gold: Sequence[SpanT], pred: Sequence[SpanT]) -> dict[str, dict[str, Counts]]:
    """Per type, per mode counts for one passage."""
    out = {t: {m: Counts() for m in MODES} for t in SCORED_TYPES}
    for t in SCORED_TYPES:
        g = [s for s in gold if s[2] == t]
        p = [s for s in pred if s[2] == t]
        strict = sum((Counter(g) & Counter(p)).values())
        partial = _match_partial(g, p)
        out[t]["strict"] = Counts(strict, len(p), strict, len(g))
        out[t]["partial"] = Counts(partial, len(p), partial, len(g))
    # untyped: pair equal spans one-to-one whatever the types, credit each side's own type
    free_pred: dict[tuple[int, int], list[str]] = {}
    for s, e, t in pred:
        free_pred.setdefault((s, e), []).append(t)
    matched_gold = Counter[str]()
    matched_pred = Counter[str]()
    for s, e, t in gold:
        candidates = free_pred.get((s, e))
        if candidates:
            # prefer the prediction of the same type, so typed and untyped agree where they can
            pt = t if t in candidates else candidates[0]
            candidates.remove(pt)
            matched_gold[t] += 1
            matched_pred[pt] += 1
    n_gold, n_pred = Counter(t for *_, t in gold), Counter(t for *_, t in pred)
    for t in SCORED_TYPES:
        out[t]["untyped"] = Counts(matched_pred[t], n_pred[t], matched_gold[t], n_gold[t])
    return out


def score(gold: Sequence[GoldPassage], predicted: Mapping[str, Iterable[Sequence[Any]]]) -> Scores:
    """Score `predicted` (passage id -> (start, end, type) spans) against `gold`.

    Ids missing from `predicted` count as passages with no predictions; predicted ids not in
    `gold` are ignored. TOPIC spans are dropped; any other unknown type is a ValueError.
    """
    by_type = {t: {m: Counts() for m in MODES} for t in SCORED_TYPES}
    for passage in gold:
        pred: list[SpanT] = []
        for span in predicted.get(passage.id, ()):
            start, end, type_ = span[0], span[1], span[2]
            if type_ in IGNORED_TYPES:
                continue
            if type_ not in SCORED_TYPES:
                raise ValueError(f"passage {passage.id!r}: unknown predicted type {type_!r}")
            pred.append((int(start), int(end), str(type_)))
        for t, modes in _passage_counts(passage.entities, pred).items():
            for m, c in modes.items():
                by_type[t][m] = by_type[t][m] + c
    overall = {m: sum((by_type[t][m] for t in SCORED_TYPES), Counts()) for m in MODES}
    return Scores(len(gold), overall, by_type)


# --------------------------------------------------------------------------------- report


def format_report(scores: Scores) -> str:
    """A table of P/R/F1 per type and mode; the last line is ``strict F1 <x>``."""
    groups = f"{'':<21}" + "".join(f" | {m:^18}" for m in MODES)
    head = f"{'type':<9}{'gold':>6}{'pred':>6}" + f" | {'P':>6}{'R':>6}{'F1':>6}" * len(MODES)
    rule = "-" * len(head)
    lines = [
        f"{scores.passages} passages, {scores.strict.gold} gold mentions, {scores.strict.pred} predicted",
        groups,
        head,
        rule,
    ]

    def row(name: str, modes: Mapping[str, Counts]) -> str:
        s = modes["strict"]
        cells = "".join(
            f" | {modes[m].precision:>6.3f}{modes[m].recall:>6.3f}{modes[m].f1:>6.3f}" for m in MODES
        )
        return f"{name:<9}{s.gold:>6}{s.pred:>6}{cells}"

    lines += [row(t, scores.by_type[t]) for t in SCORED_TYPES]
    lines += [rule, row("all", scores.overall), "", f"strict F1 {scores.strict.f1:.3f}"]
    return "\n".join(line.rstrip() for line in lines)
