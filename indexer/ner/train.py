"""`python -m indexer train`: the role typer and name finder, from our gold and the corpus.

Training data (never the never-tuned test part, never the shared dev file):

- gold: `tests/ner_gold/train.jsonl` and `tests/ner_gold/devpart.jsonl`, texts rebuilt from
  `../shared/corpus` (:mod:`indexer.gold_passages`). Every name the catalog and the rules
  output is an example for the role typer; every candidate of the name finder is one for it
  (every capitalised run, whether the rules took it or not: more examples of what names look
  like; rare lower-case words; the rules' names extended by the capitalised words after them):
  labelled with the gold type of the same span, or NONE when it names nothing or is a wrong
  cut of a gold name offered whole beside it; a role example whose boundaries differ from
  gold teaches nothing and is skipped;
- the corpus' case profile: how each word is written mid-sentence across the training
  archives (the sample, the MLE newsletter and ML Articles Weekly, without the test part's
  issues): no labels, only spelling.

Seeded and deterministic: the same inputs give the same model file (shipped in
`indexer/ner/model/`). `--cross-validate K` reports rules alone against rules + typer on K
held-out folds of the gold instead of writing a model; `--time-split` trains on the older
gold passages and scores the most recent ones, as the test part is the latest issues.
"""
from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from dataclasses import dataclass
from pathlib import Path

from kb.catalog import Catalog
from indexer.ner.typer import (MODEL_PATH, NONE, TYPES, RoleTyper, catalog_word_types, extensions, finder_candidates,
                               span_features)

__all__ = ["GOLD_FILES", "held_out_sources", "SEED", "MODEL_PATH", "case_profile", "corpus_texts", "train_typer",
           "cross_validate", "time_split", "issue_number", "TrainReport"]

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD_FILES = (ROOT / "tests" / "ner_gold" / "train.jsonl", ROOT / "tests" / "ner_gold" / "devpart.jsonl")
PROFILE_ARCHIVES = (ROOT / "data", CORPUS / "mle-newsletter", CORPUS / "ml-articles-weekly")
TEST_PART = ROOT / "tests" / "ner_gold" / "test.jsonl"


def held_out_sources(test_part: Path = TEST_PART) -> frozenset[str]:
    """The issue files of the never-tuned test part: not even their spelling is read."""
    if not test_part.is_file():
        return frozenset()
    return frozenset(json.loads(line)["source"] for line in test_part.read_text(encoding="utf-8").splitlines()
                     if line.strip())
SEED = 10
EPOCHS = 10
_MID_SENTENCE_WORD = re.compile(r"(?<=[\w,;)] )([A-Za-z][a-z]+)\b")


def case_profile(texts: Iterable[str], min_count: int = 3) -> dict[str, str]:
    """How each word is written mid-sentence: 'cap' (a name: "Kubernetes"), 'lower' (an
    ordinary word: "builder") or 'mixed'. Why: the strongest sign that a capitalised word in
    a headline is a name is that the corpus capitalises it everywhere else too."""
    lower: dict[str, int] = defaultdict(int)
    cap: dict[str, int] = defaultdict(int)
    for text in texts:
        for m in _MID_SENTENCE_WORD.finditer(text):
            word = m.group(1)
            (cap if word[0].isupper() else lower)[word.lower()] += 1
    profile = {}
    for word in sorted(set(lower) | set(cap)):
        total = lower[word] + cap[word]
        if total >= min_count:
            share = cap[word] / total
            profile[word] = "cap" if share >= 0.8 else "lower" if share <= 0.2 else "mixed"
    return profile


def corpus_texts(archives: Iterable[Path] = PROFILE_ARCHIVES) -> list[str]:
    from indexer.parsers import parse_paths

    texts = []
    for archive in archives:
        if not archive.exists():
            continue
        parsed, _ = parse_paths([archive])
        held_out = held_out_sources()
        for path, issues in sorted(parsed.items()):
            if f"{archive.name}/{path.name}" in held_out:
                continue
            texts += [item.title + "\n" + item.text for issue in issues for item in issue.items]
    return texts


@dataclass
class TrainReport:
    passages: int
    examples: int
    features: int
    path: Path | None = None


def load_gold_passages(files: Sequence[Path] = GOLD_FILES) -> list[Any]:
    from indexer.evaluate import load_gold

    passages = []
    for f in files:
        passages += load_gold(f)
    return passages


def _rules_nlp(catalog: Catalog):  # noqa: ANN202 - a spaCy Language
    from indexer.extract import build_nlp

    return build_nlp(catalog, typer=False)


def _rule_spans(nlp, text: str) -> list[Any]:  # noqa: ANN001
    """What the catalog and the rules output for `text` (Candidates), before any typer."""
    from indexer.extract import RULER_NAME
    from indexer.ner.rules import RULES_NAME

    doc = nlp.make_doc(text)
    nlp.get_pipe(RULER_NAME).char_spans(doc)
    return [c for c in nlp.get_pipe(RULES_NAME).rule_candidates(doc) if c.type in TYPES]


HIDE_WORDS = 0.5  # share of examples trained without the name's own words


def _is_own_word(feature: str) -> bool:
    return feature.startswith(("w=", "first.prefix3=", "last.suffix3="))


def _examples(passages: Iterable[Any], spans: dict[str, list[Any]], catalog_types: dict[str, str],
              case: dict[str, str], seed: int = SEED, runs: bool = False) -> list[tuple[list[str], str]]:
    """(features, label) per name; in HIDE_WORDS of them the name's own words are hidden, so
    that its context and shape decide as well: a name's usual role ("Databricks" the platform)
    must not outvote what a sentence says ("Databricks acquired MosaicML")."""
    rng = random.Random(seed)
    out = []
    for p in passages:
        gold = {(s, e): t for s, e, t in p.entities}
        if runs:  # every capitalised run (not only those the rules leave: more examples of names), and extensions
            pool = finder_candidates(p.text, [], case) + extensions(p.text, spans[p.id])
            offered = {(c.start, c.end) for c in pool} | {(c.start, c.end) for c in spans[p.id]}
        else:
            pool = spans[p.id]
            offered = {(c.start, c.end) for c in pool}
        for c in pool:
            label = gold.get((c.start, c.end))
            if label is None:
                if any(s < c.end and c.start < e and (s, e) not in offered for s, e, _ in p.entities):
                    continue  # a boundary error with no right span offered: says nothing about the type
                label = NONE  # names nothing, or a wrong cut of a name offered whole beside it
            feats = span_features(p.text, c, catalog_types=catalog_types, case=case)
            if rng.random() < HIDE_WORDS:
                feats = [f for f in feats if not _is_own_word(f)]
            out.append((feats, label))
    return out


def _orders(n: int, epochs: int, seed: int) -> list[list[int]]:
    """The example order of each epoch, seeded."""
    rng = random.Random(seed)
    order = []
    for _ in range(epochs):
        epoch = list(range(n))
        rng.shuffle(epoch)
        order.append(epoch)
    return order


def _perceptron(examples: Sequence[tuple[list[str], str]], epochs: int, seed: int,
                case: dict[str, str]) -> RoleTyper:
    return RoleTyper.train(examples, epochs, _orders(len(examples), epochs, seed), case)


def fit(passages: Sequence[Any], spans: dict[str, list[Any]], catalog: Catalog, case: dict[str, str], *,
        epochs: int = EPOCHS, seed: int = SEED) -> RoleTyper:
    """Two perceptrons: roles (on the names the pipeline outputs) and names (on the capitalised
    runs it leaves; trained apart, so that neither task dilutes the other's weights)."""
    word_types = catalog_word_types(catalog)
    roles = _perceptron(_examples(passages, spans, word_types, case, seed), epochs, seed, case)
    names = _perceptron(_examples(passages, spans, word_types, case, seed, runs=True), epochs, seed, case)
    typer = RoleTyper(roles.weights, case, names.weights)
    typer.use_catalog(catalog)
    return typer


def train_typer(catalog: Catalog, *, out: Path = MODEL_PATH, files: Sequence[Path] = GOLD_FILES,
                texts: Callable[[], list[str]] = corpus_texts, seed: int = SEED, epochs: int = EPOCHS) -> TrainReport:
    """Train on every gold passage and write the model file."""
    passages = load_gold_passages(files)
    nlp = _rules_nlp(catalog)
    spans = {p.id: _rule_spans(nlp, p.text) for p in passages}
    typer = fit(passages, spans, catalog, case_profile(texts()), epochs=epochs, seed=seed)
    typer.save(out)
    return TrainReport(len(passages), sum(len(v) for v in spans.values()), len(typer.weights), out)


def cross_validate(catalog: Catalog, k: int = 5, *, files: Sequence[Path] = GOLD_FILES, seed: int = SEED,
                   epochs: int = EPOCHS, texts: Callable[[], list[str]] = corpus_texts) -> tuple[Any, Any]:
    """(rules-alone scores, rules + typer scores) over K held-out folds of the gold passages."""
    from indexer.evaluate import score

    passages = load_gold_passages(files)
    case = case_profile(texts())
    nlp = _rules_nlp(catalog)
    spans = {p.id: _rule_spans(nlp, p.text) for p in passages}
    order = list(range(len(passages)))
    random.Random(seed).shuffle(order)
    typed: dict[str, list[tuple[int, int, str]]] = {}
    for fold in range(k):
        held = [passages[i] for i in order[fold::k]]
        train = [passages[i] for n, i in enumerate(order) if n % k != fold]
        typer = fit(train, spans, catalog, case, epochs=epochs, seed=seed)
        for p in held:
            typed[p.id] = [(c.start, c.end, type_) for c, type_ in typer.decide(p.text, spans[p.id])]
    rules = {pid: [(c.start, c.end, c.type) for c in cs] for pid, cs in spans.items()}
    return score(passages, rules), score(passages, typed)


RECENT = {"mle": 330, "week": 44}  # where the time split starts: the development part's first issues


def issue_number(passage_id: str) -> tuple[str, int] | None:
    """("mle", 352) for "devpart-mle-352-1", ("week", 44) for "train4-ml--week_044-0"."""
    m = re.search(r"-mle-(\d+)-", passage_id) or re.search(r"week_(\d+)", passage_id)
    if not m:
        return None
    return ("mle" if "-mle-" in passage_id else "week"), int(m.group(1))


def time_split(catalog: Catalog, *, files: Sequence[Path] = GOLD_FILES, seed: int = SEED, epochs: int = EPOCHS,
               texts: Callable[[], list[str]] = corpus_texts) -> tuple[int, int, Any, Any]:
    """(older passages, recent passages, rules-alone scores, rules + typer scores): trained on the
    older gold passages, scored on the most recent (MLE issues from 330, weeks from 44). Why:
    the test part is the latest issues; folds drawn at random flatter a model that has seen
    the same weeks' names, a time split does not."""
    from indexer.evaluate import score

    passages = load_gold_passages(files)
    recent = [p for p in passages if (n := issue_number(p.id)) and n[1] >= RECENT[n[0]]]
    older = [p for p in passages if p not in recent]
    nlp = _rules_nlp(catalog)
    spans = {p.id: _rule_spans(nlp, p.text) for p in passages}
    typer = fit(older, spans, catalog, case_profile(texts()), epochs=epochs, seed=seed)
    rules = {p.id: [(c.start, c.end, c.type) for c in spans[p.id]] for p in recent}
    typed = {p.id: [(c.start, c.end, t) for c, t in typer.decide(p.text, spans[p.id])] for p in recent}
    return len(older), len(recent), score(recent, rules), score(recent, typed)
