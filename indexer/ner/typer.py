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

A second perceptron, the name finder, reads what the rules left, with the same features plus
how ordinary each word is in English (:mod:`indexer.ner.ordinary`), whether the line is a
headline, and whether the capitalised run goes on: the cuts of capitalised runs that nothing
covers (:func:`capitalised_runs`), rare lower-case words (:func:`lower_case_words`), names of
the field's known-name lists (:func:`known_spans`, :mod:`indexer.ner.known`; every candidate
also reads whether it is listed), and the rules' names extended by the capitalised words or
release number after them (:func:`extensions`). It names each (a type) or not (NONE); the
surest names win overlaps, and their other uses in the text follow.

Trained by ``python -m indexer train`` (:mod:`indexer.ner.train`), seeded; the model file is
shipped (``indexer/ner/model/typer.json.gz``, about 300 KB).
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
from indexer.ner.acronyms import find_definitions
from indexer.ner.known import known_names
from indexer.ner.ordinary import zipf, zipf_bucket
from indexer.ner.lexicon import COMMON_WORDS, COMPOUND_AFTER, HEADS, FUNCTION_WORDS, GIVEN_NAMES, PLACES, SURNAMES
from indexer.ner.shapes import is_acronym, is_camel, is_generic_name
from indexer.ner.resolve import is_whole_word
from indexer.ner.spans import CATALOG, WEAK, Candidate, sentence_initial, title_case_line

__all__ = ["TYPES", "NONE", "LABELS", "MARGIN", "NEW", "EXTENDS", "MODEL_PATH", "RoleTyper", "span_features",
           "catalog_word_types", "capitalised_runs", "lower_case_words", "known_spans", "finder_candidates", "extensions", "load_typer"]

TYPES = ("ORG", "PERSON", "MODEL", "HARDWARE", "PRODUCT", "DATASET", "EVENT")
NONE = "NONE"  # trained on (a span that names nothing) so that typing is not forced; never applied
LABELS = TYPES + (NONE,)
MARGIN = 5.0  # chosen by 5-fold cross-validation on the training gold (docs/extraction.md)
# a catalog name only changes between the roles one name really plays: the company, its
# product or platform, its model ("Facebook", "Databricks", "Gemini"); "Google I/O" stays an event
ROLE_TYPES = frozenset({"ORG", "PRODUCT", "MODEL"})
PLAUSIBLE_MARGIN = 40.0  # first pass: NONE's lead on a span's own words (CV: no loss, a third fewer scored)
DROP_MARGIN = 8.0  # a catalog name of a role type is dropped when NONE leads by this ("text-to-SQL")
NAME_MARGIN = 5.0  # for a candidate the rules left to be named (5-fold CV and a time split, docs/extraction.md)
MODEL_PATH = Path(__file__).parent / "model" / "typer.json.gz"
NEW = "NEW"  # the given type of a name finder's candidate: it names it (a type) or not
# a run of capitalised words (digits allowed after the first): "Zookeeper", "Lakeflow Jobs"
_RUN = re.compile(r"(?<![\w\-.@#`])((?:[A-Z][\w\-.+&']*[\w+]|[A-Z])(?:[ \t]+(?:[A-Z][\w\-.+&']*[\w+]|\d[\w.]*))*)")


_CAP_BEFORE = re.compile(r"[A-Z][\w\-.+&']*[ \t]+$")
_CAP_AFTER = re.compile(r"[ \t]+[A-Z0-9]")
_RUN_WORD = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"['’]s$")
_AFFIXED = re.compile(r"[-‑]([a-z]+)$")  # "Perceiver-based": the name ends at the hyphen
_PATH_BEFORE = re.compile(r"""(?:^|(?<=[\s(\["']))(?:\S*[.:/~%]\S*|[a-z]\S*)/$""")  # "github.com/Foo", "tensorflow/Foo"


def _covered(text: str, taken: Iterable[Candidate]) -> bytearray:
    """1 at every character of `text` that a name in `taken` covers."""
    covered = bytearray(len(text) + 1)
    for c in taken:
        covered[c.start:c.end] = b"\x01" * (c.end - c.start)
    return covered


MAX_RUN_WORDS = 5  # cuts of a capitalised run proposed to the name finder, at most this long
MAX_EXTENSION_WORDS = 3
# capitalised words or a release number ("TabPFN" + "2.5", "PyTorch" + "2.x", "Mistral-3" + "24B")
_EXTENSION = re.compile(r"(?:[ \t]+(?:[A-Z][\w\-.+&']*[\w+]|[A-Z]|v?\d+(?:\.(?:\d+|x))*[a-zA-Z]?(?![\w%])))+")
EXTENDS = "extends-"  # the rule of an extension candidate, with the type of the name it extends


def extensions(text: str, taken: Sequence[Candidate]) -> list[Candidate]:
    """A chosen name with the capitalised words that follow it ("Azure" + "Events Hub",
    "Claude" + "Skills", "DeepSeek" + "OCR"): the finder says whether the longer span is the
    name (it then replaces the shorter one) or not ("Google" + "Doc" stays Google)."""
    covered = _covered(text, taken)
    out = []
    for c in taken:
        m = _EXTENSION.match(text, c.end)
        if not m:
            continue
        words = list(_RUN_WORD.finditer(text, c.end, m.end()))[:MAX_EXTENSION_WORDS + 1]
        heads = HEADS.get(c.type, frozenset())
        if any(w.group().lower() in heads for w in words):
            continue  # a generic head phrase of its type: "Jurassic-1 Language Models" is Jurassic-1
        for w in words[:MAX_EXTENSION_WORDS]:
            if covered.find(1, w.start(), w.end()) >= 0 or _POSSESSIVE.search(w.group()):
                break  # another name, or a possessive
            out.append(Candidate(c.start, w.end(), NEW, 0, None, EXTENDS + c.type))
    return out


RARE_ZIPF = 1.5  # a lower-case word English uses less than this (Zipf) may be a tool's name
_LOWER_NAME = re.compile(r"(?<![\w./@#:\-`])([a-z][a-z0-9]*(?:[\-_.][a-z0-9]+)*)(?![\w@/]|\.\w)")


def lower_case_words(text: str, taken: Iterable[Candidate]) -> list[Candidate]:
    """Lower-case words that English hardly uses and nothing chosen covers ("einops", "lxml",
    "nvcc"): the finder names them or not (most are terms of the field: "convolutional")."""
    rare = {w for w in set(_LOWER_NAME.findall(text)) if _is_rare(w)}
    if not rare:
        return []
    covered = _covered(text, taken)
    out = []
    for m in _LOWER_NAME.finditer(text):
        if m.group(1) in rare and covered.find(1, m.start(1), m.end(1)) < 0:
            out.append(Candidate(m.start(1), m.end(1), NEW, 0, None, "lower"))
    return out


@lru_cache(maxsize=200_000)
def _is_rare(word: str) -> bool:
    return len(word) >= 2 and word not in COMMON_WORDS and zipf(word) < RARE_ZIPF


def known_spans(text: str, taken: Iterable[Candidate]) -> list[Candidate]:
    """Listed names (:mod:`indexer.ner.known`) that nothing chosen covers, as the finder's
    candidates (rule "known"): lower-case ones ("nginx") and those the capitalised runs cut
    differently ("Delta Lake", "scikit-learn")."""
    found = known_names().spans(text)
    if not found:
        return []
    covered = _covered(text, taken)
    return [Candidate(s, e, NEW, 0, None, "known") for s, e in found if covered.find(1, s, e) < 0]


def _run_pieces(text: str, start: int, end: int, covered: bytearray) -> list[list[tuple[int, int]]]:
    """The words of a run, cut where a chosen name covers a word ("Uber Orbit" with Uber
    known leaves "Orbit") and after a possessive ("Canva's Events" ends at "Canva")."""
    pieces: list[list[tuple[int, int]]] = [[]]
    for w in _RUN_WORD.finditer(text, start, end):
        s, e = w.span()
        if covered.find(1, s, e) >= 0:
            pieces.append([])
            continue
        affix = _AFFIXED.search(text, s, e)
        if affix and affix.group(1) in COMPOUND_AFTER:
            pieces[-1].append((s, affix.start()))
            pieces.append([])
            continue
        possessive = _POSSESSIVE.search(text, s, e)
        if possessive:
            if possessive.start() > s:
                pieces[-1].append((s, possessive.start()))
            pieces.append([])
            continue
        pieces[-1].append((s, e))
    return [p for p in pieces if p]


def capitalised_runs(text: str, taken: Iterable[Candidate], case: dict[str, str] | None = None) -> list[Candidate]:
    """Every cut that keeps one end of a capitalised run (up to MAX_RUN_WORDS words, starting
    with a capital; runs stop at chosen names and possessives), with a word that is neither an
    ordinary word nor one the corpus mostly writes in lower case (`case`): candidates the name
    finder names (a type) or not (NONE); overlaps are settled by its confidence (`decide`).
    Why: most names the rules miss are a capitalised word or few with no cue the rules know
    ("Canva has adopted ...", "Mist Systems CTO Bob Friday", "Baidu Apollo"). Runs at a
    sentence or title start are proposed too, marked (rule "initial"): capitals mean less there.
    """
    covered = _covered(text, taken)
    out = []
    for m in _RUN.finditer(text):
        if text[m.start(1) - 1:m.start(1)] == "/" and _PATH_BEFORE.search(text, max(0, m.start(1) - 80), m.start(1)):
            continue  # a path or URL part ("github.com/Foo"), not "NeRFs/Gaussian Splatting"
        for piece in _run_pieces(text, *m.span(1), covered):
            named = [not (text[s:e].lower() in COMMON_WORDS or (case and case.get(text[s:e].lower()) == "lower"))
                     for s, e in piece]
            for i, (start, _) in enumerate(piece):
                if not text[start].isupper():
                    continue
                rule = "initial" if sentence_initial(text, start) else "inside"
                for j in range(i, min(len(piece), i + MAX_RUN_WORDS)):
                    if (i == 0 or j == len(piece) - 1) and any(named[i:j + 1]):
                        out.append(Candidate(start, piece[j][1], NEW, 0, None, rule))
    return out


def finder_candidates(text: str, taken: Sequence[Candidate], case: dict[str, str] | None = None) -> list[Candidate]:
    """What the name finder is offered beside what is `taken`: capitalised runs, rare lower-case
    words and listed names, each span once."""
    seen: set[tuple[int, int]] = set()
    out = []
    for c in capitalised_runs(text, taken, case) + lower_case_words(text, taken) + known_spans(text, taken):
        if (c.start, c.end) not in seen:
            seen.add((c.start, c.end))
            out.append(c)
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
    exact, folded = known_names().types(span)
    if exact or folded:
        feats.append(f"known={exact}" if exact else f"known.folded={folded}")
    return tuple(feats)


def _finder_features(text: str, c: Candidate) -> list[str]:
    """What the name finder also reads of a candidate nothing chose: how ordinary its words are
    in English, whether it sits in a headline, and whether the capitalised run goes on past it
    (the role typer does without: they measured no gain for known names)."""
    words = _WORD.findall(text[c.start:c.end]) or [text[c.start:c.end]]
    buckets = [zipf_bucket(w) for w in words]
    title = title_case_line(text, c.start)
    left = _CAP_BEFORE.search(text, max(0, c.start - 40), c.start) is not None
    right = _CAP_AFTER.match(text, c.end) is not None
    return [f"zipf.first={buckets[0]}", f"zipf.last={buckets[-1]}", f"zipf.min={min(buckets)}",
            f"zipf.max={max(buckets)}", f"run.more={left}|{right}", f"title.line={title}",
            f"title.line={title}|{c.rule}"]  # a capital inside prose says more than in a headline


_CROSSED = ("b1=", "a1=", "head", "cue")


def span_features(text: str, c: Candidate, *, catalog_types: dict[str, str], case: dict[str, str],
                  own: tuple[str, ...] | None = None) -> list[str]:
    """Sparse features of the candidate `c` in `text`, with what the catalog/rules said."""
    feats = list(own if own is not None else own_features(text[c.start:c.end], catalog_types, case))
    line_start = text.rfind("\n", 0, c.start) + 1
    feats.append(f"line.initial={not text[line_start:c.start].strip()}")
    feats.append(f"first.line={line_start == 0}")
    if c.type == NEW:
        feats += _finder_features(text, c)
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
    # what the context says about *this* given type: "Facebook (ORG) ... users" vs "by Facebook"
    crossed = [f"{f}|{given}" for f in context if f.startswith(_CROSSED)]
    crossed += [f"{f}|{given}" for f in feats if f.startswith("w=")]
    feats += context
    feats += [f"given={given}", f"given.source={source}|{given}", f"given.rule={c.rule}|{given}"]
    feats += crossed
    return feats


def _defined_terms(text: str) -> frozenset[str]:
    """Acronyms the text defines by a lower-case long form ("function as a service (FaaS)"):
    terms of the field, not names, wherever they appear in the text."""
    if "(" not in text and "[" not in text:
        return frozenset()
    return frozenset(d.short_text(text) for d in find_definitions(text) if d.long_text(text)[1:].islower())


def _repeats(text: str, found: dict[str, str], taken: bytearray) -> list[tuple[Candidate, str]]:
    """Every other whole-word use of a name the finder named, where nothing else is: a name
    counts at each occurrence, also where its own context says little ("Fixup ... Fixup")."""
    out = []
    for surface, type_ in found.items():
        at = text.find(surface)
        while at >= 0:
            end = at + len(surface)
            if taken.find(1, at, end) < 0 and is_whole_word(text, at, end):
                taken[at:end] = b"\x01" * (end - at)
                out.append((Candidate(at, end, type_, WEAK, None, "typer-name"), type_))
            at = text.find(surface, end)
    return out


class RoleTyper:
    """Averaged multi-class perceptron: weights[feature][label], plus the corpus case profile."""

    def __init__(self, weights: dict[str, dict[str, float]] | None = None, case: dict[str, str] | None = None,
                 name_weights: dict[str, dict[str, float]] | None = None):
        self.weights: dict[str, dict[str, float]] = weights if weights is not None else {}
        # a second perceptron, the name finder: names what the rules left (a type) or not (NONE)
        self.name_weights: dict[str, dict[str, float]] = name_weights or {}
        self.case: dict[str, str] = case or {}
        self.catalog_types: dict[str, str] = {}
        self._matrices: dict[str, tuple[dict[str, int], np.ndarray]] = {}  # built on first use
        self._own: dict[str, tuple[str, ...]] = {}  # name -> own_features, for this catalog
        self._own_score: dict[str, float] = {}  # name -> NONE's lead on its own features (finder)

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
        self._own_score.clear()

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
        """Catalog names of a role type; not the rules' own names: retyping those measured no
        gain (5-fold CV, docs/extraction.md) and broke clear cases ("Lux Capital", "X Robotics")."""
        return c.strength >= CATALOG and c.type in ROLE_TYPES

    def decide(self, text: str, chosen: Sequence[Candidate]) -> list[tuple[Candidate, str]]:
        """The names of a text after the typer: `chosen` with catalog names retyped by role
        (type changed, candidate kept); then the names the finder is sure of, surest first,
        none overlapping another: a chosen name extended by the capitalised words after it
        (replacing it), a capitalised run nothing tagged, and their repeats."""
        kept = list(chosen)
        if not self.name_weights:
            return [(c, t or c.type) for c, t in zip(kept, self.new_types(text, kept)) if t != NONE]
        longer = extensions(text, chosen)
        named_longer = sorted(self._named(text, longer), key=lambda m: (-m[0], m[1].start, -m[1].end))
        found: dict[str, str] = {}
        extended: list[tuple[Candidate, str]] = []
        for margin, c, best in named_longer:
            base = next((b for b in kept if b.start == c.start and b.end < c.end), None)
            if base is not None and not any(o is not base and o.start < c.end and c.start < o.end for o in kept):
                kept.remove(base)
                extended.append((Candidate(c.start, c.end, best, WEAK, None, "typer-name"), best))
                found.setdefault(text[c.start:c.end], best)
        out = [(c, t or c.type) for c, t in zip(kept, self.new_types(text, kept)) if t != NONE] + extended
        placed = [c for c, _ in out]
        taken = _covered(text, placed)
        runs = finder_candidates(text, placed, self.case)
        terms = _defined_terms(text)
        named = [(margin, c, best) for margin, c, best in self._named(text, runs)
                 if not is_generic_name(text[c.start:c.end], best) and text[c.start:c.end] not in terms]
        for margin, c, best in sorted(named, key=lambda m: (-m[0], m[1].start, m[1].end)):
            if taken.find(1, c.start, c.end) < 0:
                taken[c.start:c.end] = b"\x01" * (c.end - c.start)
                out.append((Candidate(c.start, c.end, best, WEAK, None, "typer-name"), best))
                found.setdefault(text[c.start:c.end], best)
        out += _repeats(text, found, taken)
        return sorted(out, key=lambda pair: pair[0].start)

    def _named(self, text: str, candidates: Sequence[Candidate]) -> list[tuple[float, Candidate, str]]:
        """(margin, candidate, type) of the candidates the finder names: a type ahead of NONE
        and of every other type by NAME_MARGIN."""
        candidates = self._plausible(text, candidates)
        return [(margin, c, best) for c, (best, margin) in zip(candidates, self._best(text, candidates, names=True))
                if best != NONE and margin >= NAME_MARGIN]

    def _plausible(self, text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
        """The candidates whose own words do not already rule them out (NONE ahead by
        PLAUSIBLE_MARGIN on the name weights of the span's own features alone): a cheap first
        pass, since most capitalised runs are ordinary words and the context costs more."""
        if not candidates:
            return []
        rows, matrix = self._score_rows(names=True)
        out = []
        for c in candidates:
            span = text[c.start:c.end]
            score = self._own_score.get(span)
            if score is None:
                if len(self._own_score) > 100_000:
                    self._own_score.clear()
                row = matrix[[rows.get(f, 0) for f in self._own_of(span)]].sum(axis=0)
                score = self._own_score[span] = float(row[-1] - row[:-1].max())
            if score < PLAUSIBLE_MARGIN:
                out.append(c)
        return out

    def new_type(self, text: str, c: Candidate) -> str | None:
        """The type `c` plays by its role, when the typer is sure it differs from the given one;
        NONE when it is sure `c` names nothing here ("SQL" in "text-to-SQL", "[arXiv]"). Only
        catalog names of a role type (:meth:`may_retype`): weighing every rule name too gained
        0.003 in cross-validation for a quarter of the extractor's time."""
        return self.new_types(text, [c])[0]

    def new_types(self, text: str, candidates: Sequence[Candidate]) -> list[str | None]:
        """`new_type` of every candidate of one text, scored together (one gather, one sum)."""
        out: list[str | None] = [None] * len(candidates)
        roles = [n for n, c in enumerate(candidates) if self.may_retype(c)]
        for n, (best, margin) in zip(roles, self._best(text, [candidates[n] for n in roles], names=False)):
            c = candidates[n]
            if best == NONE and margin >= DROP_MARGIN:
                out[n] = NONE
            elif self.may_retype(c) and best not in (NONE, c.type) and margin >= MARGIN and best in ROLE_TYPES:
                out[n] = best
        return out

    def _own_of(self, span: str) -> tuple[str, ...]:
        """`own_features` of a name, cached (a name recurs across texts)."""
        own = self._own.get(span)
        if own is None:
            if len(self._own) > 100_000:
                self._own.clear()
            own = self._own[span] = own_features(span, self.catalog_types, self.case)
        return own

    def _gather(self, text: str, candidates: Sequence[Candidate], rows: dict[str, int]) -> tuple[list[int], list[int]]:
        """The weight rows of every candidate's features, flat, and where each candidate starts."""
        get = rows.get
        flat: list[int] = []
        starts: list[int] = []
        for c in candidates:
            starts.append(len(flat))
            flat += [get(f, 0) for f in span_features(text, c, catalog_types=self.catalog_types, case=self.case,
                                                      own=self._own_of(text[c.start:c.end]))]
        return flat, starts

    def _best(self, text: str, candidates: Sequence[Candidate], names: bool) -> list[tuple[str, float]]:
        """(best label, margin over the runner-up) per candidate, by the role or the name weights."""
        if not candidates:
            return []
        rows, matrix = self._score_rows(names)
        flat, starts = self._gather(text, candidates, rows)
        labels = range(len(LABELS))
        out = []
        for row in np.add.reduceat(matrix[flat], starts, axis=0).tolist():
            ranked = sorted(labels, key=lambda k: -row[k])  # stable: ties keep LABELS order
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
