"""`python -m indexer`: ingest issue files into the knowledge base, or show how one parses."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from indexer.extract import Extractor
from indexer.parsers import ParseError
from indexer.pipeline import date_issues, ingest, parse_files, reindex
from kb.backends import BackendError, open_backend
from kb.catalog import CatalogError
from kb.cliargs import add_backend_options, settings_from_args
from kb.service import configured_catalog
from kb.models import Issue

__all__ = ["main", "issue_json"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser(
        "ingest",
        help="parse, tag and index files, folders and feed files",
        epilog="example: python -m indexer ingest ../shared/corpus/mle-newsletter",
    )
    ing.add_argument("paths", nargs="+", type=Path)
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    ing.add_argument("--publication", help="newsletter name for files that do not state one")
    add_backend_options(ing)

    rei = sub.add_parser(
        "reindex",
        help="rebuild the whole archive from these paths; searches keep working meanwhile",
        epilog="example: KB_BACKEND=elasticsearch python -m indexer reindex ../shared/corpus/mle-newsletter data",
    )
    rei.add_argument("paths", nargs="+", type=Path)
    rei.add_argument("--quiet", action="store_true", help="no progress bar")
    rei.add_argument("--publication", help="newsletter name for files that do not state one")
    add_backend_options(rei)

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


def _progress_bar(quiet: bool) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    if quiet:
        return (lambda stage, done, total: None), (lambda: None)
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():
                other.close()
            unit = " files" if stage == "parse" else " issues"
            bar = bars[stage] = tqdm(total=total, desc=f"{stage:>5}", unit=unit, file=sys.stderr)
        bar.n = done
        bar.refresh()

    def close() -> None:
        for bar in bars.values():
            bar.close()

    return update, close


def _run_ingest(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    backend = open_backend(settings)
    extractor = Extractor(configured_catalog(settings))
    update, close = _progress_bar(args.quiet)
    run = reindex if args.command == "reindex" else ingest
    try:
        report = run(
            args.paths, backend=backend, extractor=extractor, progress=update, publication=args.publication
        )
    finally:
        close()
    if args.command == "reindex" and report.failures:
        print("reindex aborted: the archive was left as it was", file=sys.stderr)
    for failure in report.failures:
        print(f"FAILED {failure.path}: {failure.reason}", file=sys.stderr)
    print(report.summary_line())
    return 1 if report.failures else 0


def _run_parse(args: argparse.Namespace) -> int:
    parsed, failures, sidecars = parse_files([args.file], publication=args.publication)
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in ("ingest", "reindex"):
            return _run_ingest(args)
        if args.command == "delete":
            return _run_delete(args)
        return _run_parse(args)
    except (BackendError, CatalogError, ParseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
