"""A learned role typer: which type a found name plays in its sentence.

Why: the guidelines type a name by its role ("Google" the company is ORG, "Facebook" the
platform PRODUCT, "Gemini" the app PRODUCT, the model MODEL), and the catalog gives a known
name one type. The rules' retyping cues cover a handful of patterns; the typer learns the
rest from our gold passages: an averaged perceptron over sparse features of a span - its
words and their shapes, the words around it, head nouns and roles nearby, which catalog
types its words belong to, how the corpus writes its words - and of what the catalog or rules
said (type, which rule). It is trained on every name the pipeline outputs but only applied
to catalog names of a role type (ORG, PRODUCT, MODEL), only between those types, and only
when its margin over the runner-up is at least :data:`MARGIN`; it never adds or removes a name.

Trained by ``python -m indexer train`` (:mod:`indexer.ner.train`), seeded; the model file is
shipped (``indexer/ner/model/typer.json.gz``, about 40 KB).
Measured in docs/extraction.md: what it adds over the rules on held-out folds and on the
never-tuned test part.
"""
from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from kb.catalog import Catalog
from indexer.ner import context as ctx
from indexer.ner.lexicon import COMMON_WORDS, FUNCTION_WORDS, GIVEN_NAMES, PLACES, SURNAMES
from indexer.ner.shapes import is_acronym, is_camel
from indexer.ner.spans import CATALOG, Candidate

__all__ = ["TYPES", "NONE", "LABELS", "MARGIN", "MODEL_PATH", "RoleTyper", "span_features",
           "catalog_word_types", "load_typer"]

TYPES = ("ORG", "PERSON", "MODEL", "HARDWARE", "PRODUCT", "DATASET", "EVENT")
NONE = "NONE"  # trained on (a span that names nothing) so that typing is not forced; never applied
LABELS = TYPES + (NONE,)
MARGIN = 5.0  # chosen by 5-fold cross-validation on the training gold (docs/extraction.md)
# a catalog name only changes between the roles one name really plays: the company, its
# product or platform, its model ("Facebook", "Databricks", "Gemini"); "Google I/O" stays an event
ROLE_TYPES = frozenset({"ORG", "PRODUCT", "MODEL"})
MODEL_PATH = Path(__file__).parent / "model" / "typer.json.gz"

_WORD = re.compile(r"[^\W_]+(?:[.'’\-+][^\W_]+)*[+#]*|\S")
_VERSION = re.compile(r"^(?:v?\d+(?:\.\d+)*[a-z]?|\d+[bBkKmM]|[xX]\d+)$")


@lru_cache(maxsize=65536)
def _shape(word: str) -> str:
    """'GPT-4o' -> 'X-dx', 'Llama' -> 'Xx', 'einops' -> 'x': character classes, runs squeezed."""
    out: list[str] = []
    for ch in word[:12]:
        cls = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != cls:
            out.append(cls)
    return "".join(out)


def catalog_word_types(catalog: Catalog) -> dict[str, str]:
    """lower-cased word -> the entity types whose catalog names contain it ('MODEL+PRODUCT')."""
    found: dict[str, set[str]] = {}
    for entry in catalog:
        if entry.type not in TYPES:
            continue
        for form in entry.surface_forms:
            for word in form.split():
                low = word.lower()
                if low not in FUNCTION_WORDS:
                    found.setdefault(low, set()).add(entry.type)
    return {w: "+".join(sorted(ts)) for w, ts in found.items()}


def own_features(span: str, catalog_types: dict[str, str], case: dict[str, str]) -> tuple[str, ...]:
    """Features of a name's own words: the same wherever it appears (the typer caches them)."""
    words = _WORD.findall(span) or [span]
    first, last = words[0], words[-1]
    kinds = [case.get(w.lower(), "unseen") for w in words]
    feats = [
        "bias",
        f"n={min(len(words), 4)}",
        f"shape={'_'.join(_shape(w) for w in words[:3])}",
        f"first.shape={_shape(first)}",
        f"last.shape={_shape(last)}",
        f"last.version={bool(_VERSION.match(last))}",
        f"hyphen={'-' in span}",
        f"digit={any(ch.isdigit() for ch in span)}",
        f"lower.start={span[:1].islower()}",
        f"camel={any(is_camel(w) for w in words)}",
        f"acronym={any(is_acronym(w) for w in words)}",
        f"common.all={all(w.lower() in COMMON_WORDS for w in words)}",
        f"common.any={any(w.lower() in COMMON_WORDS for w in words)}",
        f"given.first={first.lower() in GIVEN_NAMES}",
        f"surname.last={last.lower() in SURNAMES}",
        f"place={any(w.lower() in PLACES for w in words)}",
        f"dot.inside={'.' in span.strip('.')}",
        f"case.first={kinds[0]}", f"case.last={kinds[-1]}", f"case.set={'+'.join(sorted(set(kinds)))}",
        f"last.suffix3={last[-3:].lower()}", f"first.prefix3={first[:3].lower()}",
    ]
    feats += [f"w={w.lower()}" for w in words[:4]]
    feats += [f"word.catalog={catalog_types[w.lower()]}" for w in words if w.lower() in catalog_types]
    return tuple(feats)


def span_features(text: str, c: Candidate, *, catalog_types: dict[str, str], case: dict[str, str],
                  own: tuple[str, ...] | None = None) -> list[str]:
    """Sparse features of the candidate `c` in `text`, with what the catalog/rules said."""
    feats = list(own if own is not None else own_features(text[c.start:c.end], catalog_types, case))
    line_start = text.rfind("\n", 0, c.start) + 1
    feats.append(f"line.initial={not text[line_start:c.start].strip()}")
    feats.append(f"first.line={line_start == 0}")
    before = ctx.words_before(text, c.start, 3)
    after = ctx.words_after(text, c.end, 3)
    context = [f"b{k}={w.lower()}" for k, w in enumerate(before[:2], start=1)]
    context += [f"a{k}={w.lower()}" for k, w in enumerate(after[:2], start=1)]
    if before and after:
        context.append(f"b1a1={before[0].lower()}|{after[0].lower()}")
    for name, value in (("head.after", ctx.head_after(text, c.end)), ("head.before", ctx.head_before(text, c.start)),
                        ("cue", ctx.cue_type(text, c.start, c.end))):
        if value:
            context.append(f"{name}={value}")
    if ctx.role_after(text, c.end):
        context.append("role.after")
    if ctx.source_before(text, c.start):
        context.append("source.before")
    if ctx.org_verb_after(text, c.end):
        context.append("org.verb.after")
    given = c.type
    source = "catalog" if c.strength >= CATALOG else "rule"
    feats += context
    feats += [f"given={given}", f"given.source={source}|{given}", f"given.rule={c.rule}|{given}"]
    # what the context says about *this* given type: "Facebook (ORG) ... users" vs "by Facebook"
    feats += [f"{f}|{given}" for f in feats if f.startswith(("b1=", "a1=", "head", "cue", "w="))]
    return feats


class RoleTyper:
    """Averaged multi-class perceptron: weights[feature][label], plus the corpus case profile."""

    def __init__(self, weights: dict[str, dict[str, float]] | None = None, case: dict[str, str] | None = None):
        self.weights: dict[str, dict[str, float]] = weights if weights is not None else {}
        self.case: dict[str, str] = case or {}
        self.catalog_types: dict[str, str] = {}
        self._rows: dict[str, int] | None = None  # feature -> row of _matrix, built on first use
        self._matrix: np.ndarray | None = None
        self._own: dict[str, tuple[str, ...]] = {}  # name -> own_features, for this catalog

    def _score_rows(self) -> tuple[dict[str, int], np.ndarray]:
        """feature -> row, and the (rows x labels) weight matrix; built on first use."""
        if self._rows is None or self._matrix is None:
            rows = {f: n + 1 for n, f in enumerate(self.weights)}
            matrix = np.zeros((len(self.weights) + 1, len(LABELS)), dtype=np.float64)
            index = {label: n for n, label in enumerate(LABELS)}
            for f, row in rows.items():
                for label, w in self.weights[f].items():
                    matrix[row, index[label]] = w
            self._rows, self._matrix = rows, matrix
        return self._rows, self._matrix

    def use_catalog(self, catalog: Catalog) -> None:
        self.catalog_types = catalog_word_types(catalog)
        self._own.clear()

    def scores(self, feats: Iterable[str]) -> dict[str, float]:
        totals = dict.fromkeys(LABELS, 0.0)
        for f in feats:
            for label, w in self.weights.get(f, {}).items():
                totals[label] += w
        return totals

    def predict(self, feats: Sequence[str]) -> tuple[str, float]:
        """(best label, its margin over the runner-up)."""
        ranked = sorted(self.scores(feats).items(), key=lambda kv: (-kv[1], LABELS.index(kv[0])))
        return ranked[0][0], ranked[0][1] - ranked[1][1]

    @staticmethod
    def may_retype(c: Candidate) -> bool:
        """Catalog names of a role type only: retyping the rules' own names measured no gain
        (5-fold CV, docs/extraction.md) and broke clear cases ("Lux Capital", "X Robotics")."""
        return c.strength >= CATALOG and c.type in ROLE_TYPES

    def new_type(self, text: str, c: Candidate) -> str | None:
        """The type `c` plays by its role, when the typer is sure it differs from the given one."""
        return self.new_types(text, [c])[0]

    def new_types(self, text: str, candidates: Sequence[Candidate]) -> list[str | None]:
        """`new_type` of every candidate of one text, scored together (one gather, one sum)."""
        out: list[str | None] = [None] * len(candidates)
        todo = [n for n, c in enumerate(candidates) if self.may_retype(c)]
        if not todo:
            return out
        rows, matrix = self._score_rows()
        get = rows.get
        flat: list[int] = []
        starts: list[int] = []
        for n in todo:
            c = candidates[n]
            span = text[c.start:c.end]
            own = self._own.get(span)
            if own is None:
                if len(self._own) > 100_000:
                    self._own.clear()
                own = self._own[span] = own_features(span, self.catalog_types, self.case)
            starts.append(len(flat))
            flat += [get(f, 0) for f in span_features(text, c, catalog_types=self.catalog_types, case=self.case,
                                                      own=own)]
        scores = np.add.reduceat(matrix[flat], starts, axis=0)
        for n, row in zip(todo, scores.tolist()):
            c = candidates[n]
            ranked = sorted(range(len(LABELS)), key=lambda k: -row[k])  # stable: ties keep LABELS order
            best = LABELS[ranked[0]]
            if best in (NONE, c.type) or row[ranked[0]] - row[ranked[1]] < MARGIN:
                continue
            if best not in ROLE_TYPES:
                continue
            out[n] = best
        return out

    @classmethod
    def train(cls, examples: Sequence[tuple[list[str], str]], epochs: int, order: Sequence[Sequence[int]],
              case: dict[str, str] | None = None) -> "RoleTyper":
        """Averaged perceptron; `order` gives the example order of each epoch (seeded by the caller)."""
        weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        totals: dict[tuple[str, str], float] = defaultdict(float)
        stamps: dict[tuple[str, str], int] = defaultdict(int)
        step = 0
        model = cls(weights)  # type: ignore[arg-type]
        for epoch in range(epochs):
            for n in order[epoch]:
                feats, gold = examples[n]
                step += 1
                guess, _ = model.predict(feats)
                if guess == gold:
                    continue
                for f in feats:
                    for label, delta in ((gold, 1.0), (guess, -1.0)):
                        key = (f, label)
                        totals[key] += (step - stamps[key]) * weights[f][label]
                        stamps[key] = step
                        weights[f][label] += delta
        averaged: dict[str, dict[str, float]] = {}
        for f, labels in weights.items():
            for label, w in labels.items():
                key = (f, label)
                value = round((totals[key] + (step - stamps[key]) * w) / max(step, 1), 3)
                if value:
                    averaged.setdefault(f, {})[label] = value
        return cls(averaged, case)

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"labels": LABELS, "weights": self.weights, "case": self.case}, sort_keys=True,
                          separators=(",", ":"))
        with path.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=9) as handle:
            handle.write(data.encode("utf-8"))  # mtime 0: the same weights give the same bytes

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "RoleTyper":
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        if tuple(data["labels"]) != LABELS:
            raise ValueError(f"{path}: labels {data['labels']} differ from this version's {list(LABELS)}; "
                             "retrain with `python -m indexer train`")
        return cls(data["weights"], data.get("case"))


@lru_cache(maxsize=2)
def _stored(path: Path, mtime: float) -> RoleTyper:
    return RoleTyper.load(path)


def load_typer(catalog: Catalog, path: Path = MODEL_PATH) -> RoleTyper | None:
    """The shipped typer set up for `catalog`; None when no model file exists."""
    if not path.is_file():
        return None
    stored = _stored(path, path.stat().st_mtime)
    typer = RoleTyper(stored.weights, stored.case)
    typer.use_catalog(catalog)
    return typer
