"""`python -m kb`: search and trends from the shell, thin over the query service."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from typing import Any, Sequence

from kb.backends import BackendError, open_backend
from kb.backends.base import INTERVALS, Hit
from kb.catalog import CatalogError
from kb.cliargs import add_backend_options, settings_from_args
from kb.query import Filters, SearchQuery
from kb.service import QueryService, UnknownEntity, configured_catalog

__all__ = ["main"]


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}")


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kb", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    search = sub.add_parser(
        "search",
        help="full-text search over every item",
        epilog='example: python -m kb search "graph neural networks" --type MODEL --json',
    )
    search.add_argument("query", help='words, "phrases", OR, -exclude, +require, a link')
    search.add_argument("--exact", action="store_true", help="the words as typed: no entity reading, no spelling correction")
    search.add_argument("--entity", type=_csv, default=(), help="entity ids or names, comma-separated (all required)")
    search.add_argument("--type", dest="types", type=_csv, default=(), help="entity types, comma-separated (any)")
    search.add_argument("--topic", type=_csv, default=(), help="topic ids or names, comma-separated (all required)")
    search.add_argument("--section", type=_csv, default=(), help="sections, comma-separated (any)")
    search.add_argument("--from", dest="date_from", type=_date, help="first date, YYYY-MM-DD")
    search.add_argument("--to", dest="date_to", type=_date, help="last date, YYYY-MM-DD")
    search.add_argument("--issue-from", type=int)
    search.add_argument("--issue-to", type=int)
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--offset", type=int, default=0)
    search.add_argument("--json", action="store_true", help="print JSON")
    add_backend_options(search)

    trend = sub.add_parser(
        "trend",
        help="items mentioning an entity or topic per period",
        epilog="example: python -m kb trend LLMs --interval year --json",
    )
    trend.add_argument("names", nargs="+", help="entity/topic ids, names or aliases")
    trend.add_argument("--interval", choices=INTERVALS, default="month")
    trend.add_argument("--json", action="store_true", help="print JSON")
    add_backend_options(trend)
    return parser


def _hit_json(hit: Hit, service: QueryService) -> dict[str, Any]:
    return {
        "issue": hit.issue_number,
        "issue_id": hit.issue_id,
        "publication": hit.publication,
        "date": hit.date.isoformat() if hit.date else None,
        "date_estimated": hit.date_estimated,
        "section": hit.section,
        "title": hit.title,
        "url": hit.url,
        "score": hit.score,
        "snippet": hit.snippet,
        "entities": [
            {"id": eid, "name": service.name_of(eid), "type": etype} for eid, etype in hit.entities
        ],
    }


def _run_search(args: argparse.Namespace, service: QueryService) -> int:
    filters = Filters(
        entities=tuple(service.resolve(e) for e in args.entity),
        entity_types=tuple(t.upper() for t in args.types),
        topics=tuple(service.resolve(t) for t in args.topic),
        sections=args.section,
        date_from=args.date_from,
        date_to=args.date_to,
        issue_from=args.issue_from,
        issue_to=args.issue_to,
    )
    results = service.search(
        SearchQuery(args.query, filters, sort=args.sort, limit=args.limit, offset=args.offset, literal=args.exact)
    )
    if args.json:
        payload = {
            "query": args.query,
            "corrected_query": results.corrected_query,
            "notice": results.notice,
            "entities_in_query": [
                {"text": text, "id": eid, "name": service.name_of(eid)} for text, eid in results.linked
            ],
            "relaxed": results.relaxed,
            "strict_total": results.strict_total,
            "total": results.total,
            "results": [_hit_json(h, service) for h in results.hits],
            "facets": {k: [asdict(v) for v in vs] for k, vs in results.facets.items()},
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if results.notice:
        print(results.notice, file=sys.stderr)
    if results.corrected_query:
        print(f"showing results for: {results.corrected_query} (--exact searches {args.query!r} as typed)")
    print(f"{results.total} results")
    for hit in results.hits:
        when = hit.date.isoformat() + ("~" if hit.date_estimated else "") if hit.date else "undated"
        print(f"- #{hit.issue_number} {when} [{hit.section or '-'}] {hit.title}  ({hit.score:.2f})")
        if hit.url:
            print(f"  {hit.url}")
    return 0


def _run_trend(args: argparse.Namespace, service: QueryService) -> int:
    points = service.trend(args.names, args.interval)
    if args.json:
        print(
            json.dumps(
                {
                    "interval": args.interval,
                    "series": [
                        {
                            "id": key,
                            "name": service.name_of(key),
                            "points": [
                                {
                                    "period": p.period,
                                    "start": p.period_start.isoformat() if p.period_start else None,
                                    "issue": p.issue_number,
                                    "items": p.items,
                                    "total": p.total,
                                    "estimated": p.date_estimated,
                                }
                                for p in points
                                if p.key == key
                            ],
                        }
                        for key in dict.fromkeys(p.key for p in points)
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for p in points:
        print(f"{service.name_of(p.key)}\t{p.period}\t{p.items}\t{p.total}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_args(args)
        service = QueryService(open_backend(settings), configured_catalog(settings))
        if args.command == "search":
            return _run_search(args, service)
        return _run_trend(args, service)
    except (BackendError, CatalogError, UnknownEntity) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
