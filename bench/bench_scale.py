"""The scale benchmark: a synthetic archive of any size, ingested and queried, beside a bare anchor.

    python -m bench.bench_scale --items 100000 --backend sqlite
    python -m bench.bench_scale --items 1000000 --backend elasticsearch --es-url http://127.0.0.1:9200

The archive is drawn from a real archive's profile (`bench.synthetic`; by default the MLE
newsletter beside the repository, else the shipped sample): several weekly newsletters, over
about twenty years once it is large enough. It is written through the backend in the batches
`indexer ingest` uses, each batch also written to the bare anchor (`bench.scale_anchors`);
then every query kind is asked through the query service, as the app asks, interleaved with
the anchor's query of the same words. Printed: items/s and the ratio to the anchor, the time
per batch early and late (flat means no per-batch cost grows with the archive), p50/p95/p99
per query kind and per entity-page call, the store's size and the peak RSS of this process.
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from bench.scale_anchors import Anchor, ElasticsearchAnchor, SQLiteAnchor
from bench.scale_workload import Workload, workload_for
from bench.synthetic import ArchiveProfile, sample_profile, synthetic_issues
from kb.backends.base import Backend
from kb.catalog import load_catalog
from kb.models import Issue
from kb.query import Filters, SearchQuery
from kb.service import QueryService

__all__ = ["ScaleResult", "run", "main"]

ROOT = Path(__file__).resolve().parents[1]
MLE = ROOT.parent / "shared" / "corpus" / "mle-newsletter"
BATCH_ISSUES = 50  # what `indexer ingest` writes per backend call
END = date(2026, 1, 5)  # the archive ends here, whatever its size (deterministic, not today)
MAX_YEARS = 20  # more newsletters rather than more years once an archive would span longer


@dataclass
class ScaleResult:
    backend: str
    items: int
    issues: int = 0
    newsletters: int = 0
    first: str = ""
    last: str = ""
    ingest_seconds: float = 0.0
    anchor_seconds: float = 0.0
    batch_ms_per_1k: list[float] = field(default_factory=list)  # each tenth of the batches, in order
    anchor_batch_ms_per_1k: list[float] = field(default_factory=list)  # the same for the anchor
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)  # kind -> p50/p95/p99 (+ anchor_)
    totals: dict[str, int] = field(default_factory=dict)  # kind -> items its first query found
    store_bytes: int = 0
    anchor_bytes: int = 0
    peak_rss_mb: float = 0.0

    @property
    def items_per_s(self) -> float:
        return self.items / self.ingest_seconds if self.ingest_seconds else 0.0

    @property
    def anchor_items_per_s(self) -> float:
        return self.items / self.anchor_seconds if self.anchor_seconds else 0.0


def _items_per_issue(profile: ArchiveProfile) -> float:
    return sum(profile.items_per_issue) / len(profile.items_per_issue)


def newsletters_for(items: int, profile: ArchiveProfile) -> int:
    """At least ten newsletters, more when ten would need more than MAX_YEARS of weekly issues."""
    return max(10, math.ceil(items / (_items_per_issue(profile) * 52 * MAX_YEARS)))


def _start(items: int, newsletters: int, profile: ArchiveProfile) -> date:
    weeks = math.ceil(items / (_items_per_issue(profile) * newsletters))
    return END - timedelta(weeks=weeks)


def _batches(issues: Iterator[Issue], size: int) -> Iterator[list[Issue]]:
    batch: list[Issue] = []
    for issue in issues:
        batch.append(issue)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)], 1)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn()
    return (time.perf_counter() - started) * 1000, out


def ingest(backend: Backend, anchor: Anchor, issues: Iterator[Issue], result: ScaleResult,
           progress: Callable[[int], None] | None = None) -> tuple[list[str], date, date]:
    """Write batch by batch, each batch to the backend then to the anchor; timings only."""
    per_batch: list[tuple[int, float, float]] = []  # items, our seconds, the anchor's
    publications: set[str] = set()
    first, last = date.max, date.min
    with backend.bulk_load():
        for batch in _batches(issues, BATCH_ISSUES):
            started = time.perf_counter()
            backend.write_issues(batch)
            ours = time.perf_counter() - started
            result.ingest_seconds += ours
            bare = anchor.write(batch)
            result.anchor_seconds += bare
            items = sum(len(i.items) for i in batch)
            per_batch.append((items, ours, bare))
            result.issues += len(batch)
            for issue in batch:
                publications.add(issue.publication)
                if issue.date:
                    first, last = min(first, issue.date), max(last, issue.date)
            if progress:
                progress(items)
        visible_from = time.perf_counter()
    result.ingest_seconds += time.perf_counter() - visible_from  # making the writes visible counts too
    # every tenth, not only the first and last: a cost that grows with the archive keeps
    # rising, one that settles once the indexes outgrow their first pages levels off
    for tenth in range(10):
        part = per_batch[tenth * len(per_batch) // 10 : (tenth + 1) * len(per_batch) // 10]
        if part:
            items = max(1, sum(n for n, _, _ in part))
            result.batch_ms_per_1k.append(round(1e6 * sum(s for _, s, _ in part) / items, 1))
            result.anchor_batch_ms_per_1k.append(round(1e6 * sum(a for _, _, a in part) / items, 1))
    return sorted(publications), first, last


def measure_queries(service: QueryService, anchor: Anchor, work: Workload, result: ScaleResult, repeat: int) -> None:
    """Every kind `repeat` times over its variants, each call followed by its anchor query,
    after one untimed pass over every query on both sides: a running app has its caches warm,
    and the timings should not depend on which kind happens to run first."""
    for cases in work.kinds.values():
        for case in cases:
            service.search(case.query)
            if case.anchor is not None:
                anchor.search(case.anchor)
    for kind, cases in work.kinds.items():
        ours, bare = [], []
        for n in range(repeat):
            for case in cases:
                ms, found = _timed(lambda: service.search(case.query))
                ours.append(ms)
                if n == 0 and case is cases[0]:
                    result.totals[kind] = found.total  # type: ignore[attr-defined]
                if case.anchor is not None:
                    bare.append(_timed(lambda: anchor.search(case.anchor))[0])
        result.latency_ms[kind] = {**_percentiles(ours), **({f"anchor_{k}": v for k, v in _percentiles(bare).items()} if bare else {})}
    calls: dict[str, Callable[[str], object]] = {
        "trend, 3 entities by month": lambda _: service.trend(list(work.trend_entities), "month"),
        "entity stats": service.entity_stats,
        "co-mentions": service.co_mentions,
        "entity trend by month": lambda e: service.trend([e], "month"),
        "distinctive of an entity": lambda e: service.significant(Filters(entities=(e,))),
        "entity's items, newest first": lambda e: service.search(
            SearchQuery("", Filters(entities=(e,)), sort="date", limit=10, with_facets=False)),
        "status": lambda _: service.status(),
    }
    for name, call in calls.items():
        call(work.page_entities[0])  # warm, as above
        timings = [_timed(lambda: call(e))[0] for _ in range(repeat) for e in work.page_entities]
        result.latency_ms[name] = _percentiles(timings)
    # the analysts' rising/falling: every entity's exact count in two years, compared
    if work.year_pairs:
        service.rising_falling(*work.year_pairs[0])
    timings = [_timed(lambda: service.rising_falling(a, b))[0] for _ in range(repeat) for a, b in work.year_pairs]
    result.latency_ms["rising/falling, two years"] = _percentiles(timings)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _open(args: argparse.Namespace, workdir: Path) -> tuple[Backend, Anchor]:
    if args.backend == "sqlite":
        from kb.backends.sqlite import SQLiteBackend

        return SQLiteBackend(workdir / "kb.sqlite3"), SQLiteAnchor(workdir / "anchor.sqlite3")
    from elasticsearch import Elasticsearch

    from kb.backends.elasticsearch import ElasticsearchBackend

    client = Elasticsearch(args.es_url, request_timeout=300)
    backend = ElasticsearchBackend(client, alias=args.es_alias, shards=args.shards)
    backend.clear()
    return backend, ElasticsearchAnchor(client, f"{args.es_alias}-anchor")


def _store_bytes(backend: Backend, workdir: Path) -> int:
    if backend.name == "sqlite":
        return sum(p.stat().st_size for p in workdir.glob("kb.sqlite3*"))
    es = backend.es  # type: ignore[attr-defined]
    stats = es.indices.stats(index=f"{backend.alias}-items,{backend.alias}-issues", metric="store")  # type: ignore[attr-defined]
    return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


def run(args: argparse.Namespace, profile: ArchiveProfile | None = None, *, out: Callable[[str], None] = print) -> ScaleResult:
    profile = profile or sample_profile(args.corpus)
    newsletters = args.newsletters or newsletters_for(args.items, profile)
    result = ScaleResult(args.backend, args.items, newsletters=newsletters)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        backend, anchor = _open(args, Path(tmp))
        try:
            issues = synthetic_issues(profile, args.items, newsletters=newsletters,
                                      start=_start(args.items, newsletters, profile), seed=args.seed)
            bar = _progress(args.items, args.quiet)
            publications, first, last = ingest(backend, anchor, issues, result, bar)
            result.first, result.last = first.isoformat(), last.isoformat()
            service = QueryService(backend, load_catalog())
            work = workload_for(profile, publications=publications, first=first, last=last)
            measure_queries(service, anchor, work, result, args.repeat)
            result.store_bytes = _store_bytes(backend, Path(tmp))
            result.anchor_bytes = anchor.size_bytes()
            result.peak_rss_mb = round(_peak_rss_mb(), 1)
        finally:
            anchor.close()
            if backend.name == "elasticsearch" and not args.keep:
                backend.drop()  # type: ignore[attr-defined]
            backend.close()
    report(result, out)
    return result


def _progress(total: int, quiet: bool) -> Callable[[int], None] | None:
    if quiet:
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="item", desc="ingest", file=sys.stderr, mininterval=2)
    return bar.update


def report(r: ScaleResult, out: Callable[[str], None] = print) -> None:
    out(f"{r.backend}: {r.items:,} items in {r.issues:,} issues of {r.newsletters} newsletters, {r.first} to {r.last}")
    ratio = r.items_per_s / r.anchor_items_per_s if r.anchor_items_per_s else 0.0
    out(f"ingest: {r.items_per_s:,.0f} items/s ({r.ingest_seconds:,.1f} s); anchor {r.anchor_items_per_s:,.0f} items/s"
        f" ({r.anchor_seconds:,.1f} s); ratio {ratio:.2f}x")
    out("ms per 1,000 items written, each tenth of the batches in order:")
    out(f"  ours   {' '.join(f'{v:6.0f}' for v in r.batch_ms_per_1k)}")
    out(f"  anchor {' '.join(f'{v:6.0f}' for v in r.anchor_batch_ms_per_1k)}")
    out(f"{'latency, ms':<30} {'p50':>8} {'p95':>8} {'p99':>8} | {'anchor p50':>10} {'p95':>8} {'p99':>8} | items found")
    for kind, v in r.latency_ms.items():
        anchor = " ".join(f"{v[f'anchor_{q}']:>{w}}" for q, w in (("p50", 10), ("p95", 8), ("p99", 8))) if "anchor_p50" in v else f"{'-':>10} {'':>8} {'':>8}"
        found = f"{r.totals[kind]:,}" if kind in r.totals else ""
        out(f"{kind:<30} {v['p50']:>8} {v['p95']:>8} {v['p99']:>8} | {anchor} | {found}")
    out(f"store {r.store_bytes / 2**20:,.1f} MiB (anchor {r.anchor_bytes / 2**20:,.1f} MiB); peak RSS of this process {r.peak_rss_mb:,.0f} MiB")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000, help="synthetic items to generate (default 100000)")
    parser.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite")
    parser.add_argument("--corpus", type=Path, default=MLE if MLE.is_dir() else ROOT / "data",
                        help="real archive whose profile the synthetic one follows (default: the MLE newsletter)")
    parser.add_argument("--newsletters", type=int, default=0, help="default: 10, more past 20 years of issues")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20, help="rounds over each query kind's 5 variants")
    parser.add_argument("--workdir", type=Path, default=None, help="where the SQLite files go (a temporary folder in it)")
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--es-alias", default="kb-scale")
    parser.add_argument("--shards", type=int, default=1, help="primary shards of the Elasticsearch indices")
    parser.add_argument("--keep", action="store_true", help="keep the Elasticsearch indices afterwards")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.items < 1:
        build_parser().error("--items must be at least 1")
    result = run(args)
    if args.json:
        payload: dict[str, Any] = {**result.__dict__, "items_per_s": result.items_per_s,
                                   "anchor_items_per_s": result.anchor_items_per_s}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
