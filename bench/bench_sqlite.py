"""Ingest and query speed of the embedded backend on a real archive.

    python -m bench.bench_sqlite [../shared/corpus/mle-newsletter]

Prints ingest time (parse + extract + write), then search and trend latencies.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from indexer.extract import Extractor
from indexer.pipeline import ingest
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.query import SearchQuery

QUERIES = [
    "kubernetes", "model monitoring", '"feature store"', "llm OR gpt", "pytorch -tensorflow",
    "explainability", "drift detection", "openai", "vector database", "reinforcement learning",
]


def timed(fn, repeat: int = 20) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main(argv: list[str]) -> int:
    corpus = Path(argv[0] if argv else Path(__file__).resolve().parents[2] / "shared/corpus/mle-newsletter")
    with tempfile.TemporaryDirectory() as tmp:
        backend = SQLiteBackend(Path(tmp) / "kb.sqlite3")
        extractor = Extractor(load_catalog())
        report = ingest([corpus], backend=backend, extractor=extractor)
        print(f"ingest: {report.summary_line()}")
        print(f"ingest: {report.items / report.seconds:.0f} items/s")
        again = ingest([corpus], backend=backend, extractor=extractor)
        print(f"re-ingest (unchanged): {again.seconds:.1f} s")
        lat = []
        for q in QUERIES:
            lat += timed(lambda q=q: backend.search(SearchQuery(q)))
        print(f"search with facets: p50 {statistics.median(lat):.1f} ms, p95 {sorted(lat)[int(len(lat) * .95)]:.1f} ms")
        tl = timed(lambda: backend.trend(["llms", "kubernetes"], "month"))
        print(f"trend (2 keys, per month): p50 {statistics.median(tl):.1f} ms")
        size = (Path(tmp) / "kb.sqlite3").stat().st_size / 1e6
        print(f"database size: {size:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
