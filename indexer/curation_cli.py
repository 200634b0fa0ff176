"""`python -m indexer candidates` and `retag`: grow the catalog from what the archive says."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indexer.extract import Extractor
from indexer.parallel import add_workers_option
from indexer.pipeline import retag
from indexer.progress import progress_bar
from kb.backends import open_backend
from kb.cliargs import add_backend_options, settings_from_args
from kb.curation import accept_candidate, merge_candidate, near_candidates, near_duplicates
from kb.models import ENTITY_TYPES
from kb.service import QueryService, UnknownEntity, catalog_files, configured_catalog

__all__ = ["add_curation_commands", "run_candidates", "run_retag"]


def add_curation_commands(sub: argparse._SubParsersAction) -> None:
    cand = sub.add_parser(
        "candidates",
        help="names found outside the catalog: review them, accept one into it",
        epilog=(
            "examples: python -m indexer candidates --min-items 2\n"
            "          python -m indexer candidates --accept new:qwen3 --name Qwen3 --type MODEL "
            "--alias 'Qwen 3' --owner alibaba\n"
            "          python -m indexer candidates --merge new:pytorch-lightening --into pytorch-lightning --retag"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cand.add_argument("--min-items", type=int, default=1, help="only names seen in at least N items")
    cand.add_argument("--limit", type=int, default=50)
    cand.add_argument("--json", action="store_true", help="print JSON")
    cand.add_argument("--accept", metavar="ID", help="candidate id (new:…) to add to the catalog")
    cand.add_argument("--name", help="display name of the accepted entry (default: its commonest spelling)")
    cand.add_argument("--type", choices=[t for t in ENTITY_TYPES if t != "TOPIC"], help="entity type (default: the guess)")
    cand.add_argument("--alias", action="append", default=[], help="another spelling (repeatable)")
    cand.add_argument("--owner", help="id of the owning organisation, e.g. openai")
    cand.add_argument("--merge", metavar="ID", help="candidate id (new:…) whose spellings become aliases of --into")
    cand.add_argument("--into", metavar="ENTRY", help="catalog id (or name) of the entry to merge into")
    cand.add_argument("--retag", action="store_true", help="re-tag the archive after accepting or merging")
    add_backend_options(cand)

    tag = sub.add_parser(
        "retag",
        help="re-extract entities of every stored item with the current catalog (no re-parsing)",
        epilog="example: python -m indexer retag",
    )
    tag.add_argument("--quiet", action="store_true", help="no progress bar")
    add_workers_option(tag)
    add_backend_options(tag)


def _service(args: argparse.Namespace) -> QueryService:
    settings = settings_from_args(args)
    return QueryService(open_backend(settings), configured_catalog(settings))


def _finish(service: QueryService, args: argparse.Namespace) -> None:
    if args.retag:
        settings = settings_from_args(args)
        report = retag(service.backend, Extractor(configured_catalog(settings)))
        print(report.summary_line())
    else:
        print("run `python -m indexer retag` to tag the archive with it")


def run_merge(service: QueryService, args: argparse.Namespace, candidates: list) -> int:  # noqa: ANN001
    found = next((c for c in candidates if c.entity_id == args.merge), None)
    if found is None:
        print(f"error: no candidate {args.merge!r} (see `python -m indexer candidates --min-items 1`)", file=sys.stderr)
        return 2
    if not args.into:
        offers = ", ".join(e.id for e in near_duplicates(found, service.catalog)) or "none found"
        print(f"error: --into is required (near entries: {offers})", file=sys.stderr)
        return 2
    try:
        into = service.resolve(args.into)
    except UnknownEntity as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = settings_from_args(args)
    target = Path(settings.accepted_file)
    entry, _ = merge_candidate(into=into, spellings=found.spellings, target=target, catalog_paths=catalog_files(settings))
    print(f"merged {found.entity_id} ({', '.join(found.spellings)}) into {entry.id} ({entry.name}) in {target}")
    _finish(service, args)
    return 0


def run_candidates(args: argparse.Namespace) -> int:
    service = _service(args)
    candidates = service.candidates(min_items=1 if args.merge else args.min_items)
    if args.merge:
        return run_merge(service, args, candidates)
    if args.accept:
        found = next((c for c in candidates if c.entity_id == args.accept), None)
        if found is None and not (args.name and args.type):
            print(f"error: no candidate {args.accept!r}; give --name and --type to add it anyway", file=sys.stderr)
            return 2
        name = args.name or found.name
        aliases = [*args.alias, *(found.spellings if found else ())]
        settings = settings_from_args(args)
        target = Path(settings.accepted_file)
        entry, _ = accept_candidate(
            name=name,
            type=args.type or found.type,
            aliases=[a for a in aliases if a.casefold() != name.casefold()],
            owner=args.owner,
            target=target,
            catalog_paths=catalog_files(settings),
        )
        print(f"accepted {entry.id} ({entry.type}) into {target}")
        _finish(service, args)
        return 0
    shown = candidates[: args.limit]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": c.entity_id,
                        "name": c.name,
                        "type": c.type,
                        "items": c.items,
                        "mentions": c.mentions,
                        "first_issue": c.first.number,
                        "first_date": c.first.date.isoformat() if c.first.date else None,
                        "last_issue": c.last.number,
                        "last_date": c.last.date.isoformat() if c.last.date else None,
                        "spellings": list(c.spellings),
                        "near_entries": [e.id for e in near_duplicates(c, service.catalog)],
                        "examples": list(c.examples),
                    }
                    for c in shown
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{len(candidates)} names outside the catalog (showing {len(shown)})")
    for c in shown:
        print(f"- {c.name} [{c.type}] {c.entity_id}: {c.items} items, issues #{c.first.number}–#{c.last.number}")
        siblings = near_candidates(c, candidates)
        if siblings:
            print(f"    probably the same as {', '.join(f'{o.name} ({o.entity_id})' for o in siblings)}")
        near = near_duplicates(c, service.catalog)
        if near:
            print(f"    nearly {', '.join(f'{e.name} ({e.id})' for e in near)}: merge with --merge {c.entity_id} --into {near[0].id}")
        if c.examples:
            print(f"    “{c.examples[0]}”")
    return 0


def run_retag(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    backend = open_backend(settings)
    update, close = progress_bar(args.quiet)
    try:
        report = retag(backend, Extractor(configured_catalog(settings)), progress=update, workers=args.workers)
    finally:
        close()
    print(report.summary_line())
    return 1 if report.failures else 0
