"""Ingest and query speed of both backends on a real archive, side by side.

    python -m bench.bench_backends [CORPUS] [--es-url http://127.0.0.1:9200]

Parses and tags the corpus once (timed), then for each backend: write time, re-ingest of the
unchanged archive, full rebuild, search (with facets) and trend latencies. Elasticsearch is
measured when a server answers at --es-url (scripts/elasticsearch.sh start).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from indexer.extract import Extractor
from indexer.pipeline import date_issues, parse_files, tag_issue
from kb.backends.base import Backend
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.query import Filters, SearchQuery

QUERIES = [
    "kubernetes", "model monitoring", '"feature store"', "llm OR gpt", "pytorch -tensorflow",
    "explainability", "drift detection", "openai", "vector database", "reinforcement learning",
]
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "mle-newsletter"


def latencies(fn: Callable[[], object], repeat: int = 20) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * q))]


def measure(name: str, backend: Backend, issues: list) -> None:
    started = time.perf_counter()
    backend.write_issues(issues)
    write = time.perf_counter() - started
    started = time.perf_counter()
    backend.write_issues(issues)
    again = time.perf_counter() - started
    started = time.perf_counter()
    backend.rebuild(issues)
    rebuild = time.perf_counter() - started
    search = [ms for q in QUERIES for ms in latencies(lambda q=q: backend.search(SearchQuery(q)))]
    trend = latencies(lambda: backend.trend(["llms", "kubernetes"], "month"))
    similar_id = issues[len(issues) // 2].items[0].id
    similar = latencies(lambda: backend.similar(similar_id))
    significant = latencies(lambda: backend.significant(Filters(topics=("llms",))))
    print(
        f"{name:<14} write {write:5.2f} s | unchanged re-ingest {again:5.2f} s | rebuild {rebuild:5.2f} s | "
        f"search p50 {statistics.median(search):5.1f} ms p95 {p(search, .95):5.1f} ms | "
        f"trend p50 {statistics.median(trend):5.1f} ms | similar p50 {statistics.median(similar):5.1f} ms | "
        f"significant p50 {statistics.median(significant):5.1f} ms"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    parsed, failures, sidecars = parse_files([args.corpus])
    parse_s = time.perf_counter() - started
    extractor = Extractor(load_catalog())
    started = time.perf_counter()
    issues = [tag_issue(issue, extractor) for _, issue in date_issues(parsed, sidecars, None)]
    tag_s = time.perf_counter() - started
    items = sum(len(i.items) for i in issues)
    print(f"corpus {args.corpus}: {len(issues)} issues, {items} items, {len(failures)} failures")
    print(f"parse {parse_s:.2f} s, extract {tag_s:.2f} s (shared by both backends)")

    with tempfile.TemporaryDirectory() as tmp:
        measure("sqlite", SQLiteBackend(Path(tmp) / "kb.sqlite3"), issues)
    try:
        from elasticsearch import Elasticsearch

        from kb.backends.elasticsearch import ElasticsearchBackend

        backend = ElasticsearchBackend(Elasticsearch(args.es_url, request_timeout=60), alias="kb-bench")
    except Exception as exc:  # noqa: BLE001 - report and go on with what we have
        print(f"elasticsearch  not measured: {exc}")
        return 0
    try:
        backend.clear()
        measure("elasticsearch", backend, issues)
    finally:
        backend.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
