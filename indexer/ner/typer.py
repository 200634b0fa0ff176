"""A learned role typer (which type a known name plays in its sentence) and name finder.

Why: the guidelines type a name by its role ("Google" the company is ORG, "Facebook" the
platform PRODUCT, "Gemini" the app PRODUCT, the model MODEL), and the catalog gives a known
name one type. The rules' retyping cues cover a handful of patterns; the typer learns the
rest from our gold passages: an averaged perceptron over sparse features of a span - its
words and their shapes, the words around it, head nouns and roles nearby, which catalog
types its words belong to, how the corpus writes its words - and of what the catalog or rules
said (type, which rule). It is trained on every name the pipeline outputs but only applied
to catalog names of a role type (ORG, PRODUCT, MODEL), only between those types, and only
when its margin over the runner-up is at least :data:`MARGIN`.

A second perceptron on the same features, the name finder, reads what nothing tagged: every
capitalised run inside a sentence with a word that is neither ordinary nor written in lower
case by the corpus (:func:`capitalised_runs`), and names it (a type) or not (NONE).

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
from indexer.ner.shapes import is_acronym, is_camel, is_generic_name
from indexer.ner.spans import CATALOG, WEAK, Candidate, sentence_initial

__all__ = ["TYPES", "NONE", "LABELS", "MARGIN", "NEW", "MODEL_PATH", "RoleTyper", "span_features",
           "catalog_word_types", "capitalised_runs", "load_typer"]

TYPES = ("ORG", "PERSON", "MODEL", "HARDWARE", "PRODUCT", "DATASET", "EVENT")
NONE = "NONE"  # trained on (a span that names nothing) so that typing is not forced; never applied
LABELS = TYPES + (NONE,)
MARGIN = 5.0  # chosen by 5-fold cross-validation on the training gold (docs/extraction.md)
# a catalog name only changes between the roles one name really plays: the company, its
# product or platform, its model ("Facebook", "Databricks", "Gemini"); "Google I/O" stays an event
ROLE_TYPES = frozenset({"ORG", "PRODUCT", "MODEL"})
NAME_MARGIN = 5.0  # for a capitalised run to be named
MODEL_PATH = Path(__file__).parent / "model" / "typer.json.gz"
NEW = "NEW"  # the given type of a capitalised run nothing else tagged: the typer names it or not
# a run of capitalised words (digits allowed after the first): "Zookeeper", "Lakeflow Jobs"
_RUN = re.compile(r"(?<![\w\-./@#])((?:[A-Z][\w\-.+&']*[\w+]|[A-Z])(?:[ \t]+(?:[A-Z][\w\-.+&']*[\w+]|\d[\w.]*))*)")


def capitalised_runs(text: str, taken: Iterable[Candidate], case: dict[str, str] | None = None) -> list[Candidate]:
    """Capitalised runs inside sentences that no chosen name overlaps, with a word that is
    neither an ordinary word nor one the corpus mostly writes in lower case (`case`):
    candidates the typer names (a type) or not (NONE). Why: most names the rules miss are a
    bare capitalised word or two with no cue the rules know ("Canva has adopted ...")."""
    covered = bytearray(len(text) + 1)
    for c in taken:
        covered[c.start:c.end] = b"\x01" * (c.end - c.start)
    out = []
    for m in _RUN.finditer(text):
        start, end = m.span(1)
        if covered.find(1, start, end) >= 0:
            continue
        words = m.group(1).split()
        if all(w.lower() in COMMON_WORDS or (case and case.get(w.lower()) == "lower") for w in words):
            continue
        if sentence_initial(text, start):
            continue  # capitals mean nothing at a sentence, line or title start
        out.append(Candidate(start, end, NEW, 0, None, "inside"))
    return out

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

    def __init__(self, weights: dict[str, dict[str, float]] | None = None, case: dict[str, str] | None = None,
                 name_weights: dict[str, dict[str, float]] | None = None):
        self.weights: dict[str, dict[str, float]] = weights if weights is not None else {}
        # a second perceptron, trained on capitalised runs only: names them (a type) or not (NONE)
        self.name_weights: dict[str, dict[str, float]] = name_weights or {}
        self.case: dict[str, str] = case or {}
        self.catalog_types: dict[str, str] = {}
        self._matrices: dict[str, tuple[dict[str, int], np.ndarray]] = {}  # built on first use
        self._own: dict[str, tuple[str, ...]] = {}  # name -> own_features, for this catalog

    def _score_rows(self, names: bool = False) -> tuple[dict[str, int], np.ndarray]:
        """feature -> row, and the (rows x labels) weight matrix; built on first use."""
        key = "names" if names else "roles"
        if key not in self._matrices:
            weights = self.name_weights if names else self.weights
            rows = {f: n + 1 for n, f in enumerate(weights)}
            matrix = np.zeros((len(weights) + 1, len(LABELS)), dtype=np.float64)
            index = {label: n for n, label in enumerate(LABELS)}
            for f, row in rows.items():
                for label, w in weights[f].items():
                    matrix[row, index[label]] = w
            self._matrices[key] = (rows, matrix)
        return self._matrices[key]

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
        """Catalog names of a role type, and capitalised runs nothing tagged (NEW); not the
        rules' own names: retyping those measured no gain (5-fold CV, docs/extraction.md) and
        broke clear cases ("Lux Capital", "X Robotics")."""
        return (c.strength >= CATALOG and c.type in ROLE_TYPES) or c.type == NEW

    def decide(self, text: str, chosen: Sequence[Candidate]) -> list[tuple[Candidate, str]]:
        """The names of a text after the typer: `chosen` with catalog names retyped by role
        (type changed, candidate kept), then the capitalised runs it names (a type, WEAK)."""
        runs = capitalised_runs(text, chosen, self.case)
        pool = [*chosen, *runs]
        out = []
        for c, new_type in zip(pool, self.new_types(text, pool)):
            if c.type != NEW:
                out.append((c, new_type or c.type))
            elif new_type is not None and not is_generic_name(text[c.start:c.end], new_type):
                out.append((Candidate(c.start, c.end, new_type, WEAK, None, "typer-name"), new_type))
        return sorted(out, key=lambda pair: pair[0].start)

    def new_type(self, text: str, c: Candidate) -> str | None:
        """The type `c` plays by its role, when the typer is sure it differs from the given one."""
        return self.new_types(text, [c])[0]

    def new_types(self, text: str, candidates: Sequence[Candidate]) -> list[str | None]:
        """`new_type` of every candidate of one text, scored together (one gather, one sum)."""
        out: list[str | None] = [None] * len(candidates)
        roles = [n for n, c in enumerate(candidates) if self.may_retype(c) and c.type != NEW]
        for n, (best, margin) in zip(roles, self._best(text, [candidates[n] for n in roles], names=False)):
            c = candidates[n]
            if best not in (NONE, c.type) and margin >= MARGIN and best in ROLE_TYPES:
                out[n] = best
        if self.name_weights:
            runs = [n for n, c in enumerate(candidates) if c.type == NEW]
            for n, (best, margin) in zip(runs, self._best(text, [candidates[n] for n in runs], names=True)):
                if best != NONE and margin >= NAME_MARGIN:
                    out[n] = best  # sure enough that it is a name, and of this type
        return out

    def _best(self, text: str, candidates: Sequence[Candidate], names: bool) -> list[tuple[str, float]]:
        """(best label, margin over the runner-up) per candidate, by the role or the name weights."""
        if not candidates:
            return []
        rows, matrix = self._score_rows(names)
        get = rows.get
        flat: list[int] = []
        starts: list[int] = []
        for c in candidates:
            span = text[c.start:c.end]
            own = self._own.get(span)
            if own is None:
                if len(self._own) > 100_000:
                    self._own.clear()
                own = self._own[span] = own_features(span, self.catalog_types, self.case)
            starts.append(len(flat))
            flat += [get(f, 0) for f in span_features(text, c, catalog_types=self.catalog_types, case=self.case,
                                                      own=own)]
        out = []
        for row in np.add.reduceat(matrix[flat], starts, axis=0).tolist():
            ranked = sorted(range(len(LABELS)), key=lambda k: -row[k])  # stable: ties keep LABELS order
            out.append((LABELS[ranked[0]], row[ranked[0]] - row[ranked[1]]))
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
        data = json.dumps({"labels": LABELS, "weights": self.weights, "name_weights": self.name_weights,
                           "case": self.case}, sort_keys=True, separators=(",", ":"))
        with path.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=9) as handle:
            handle.write(data.encode("utf-8"))  # mtime 0: the same weights give the same bytes

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "RoleTyper":
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        if tuple(data["labels"]) != LABELS:
            raise ValueError(f"{path}: labels {data['labels']} differ from this version's {list(LABELS)}; "
                             "retrain with `python -m indexer train`")
        return cls(data["weights"], data.get("case"), data.get("name_weights"))


@lru_cache(maxsize=2)
def _stored(path: Path, mtime: float) -> RoleTyper:
    return RoleTyper.load(path)


def load_typer(catalog: Catalog, path: Path = MODEL_PATH) -> RoleTyper | None:
    """The shipped typer set up for `catalog`; None when no model file exists."""
    if not path.is_file():
        return None
    stored = _stored(path, path.stat().st_mtime)
    typer = RoleTyper(stored.weights, stored.case, stored.name_weights)
    typer.use_catalog(catalog)
    return typer
