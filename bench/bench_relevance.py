"""How often search puts the item a reader wants first, next to a plain BM25 anchor.

    python -m bench.bench_relevance [--backend sqlite|elasticsearch|both] [--es-url URL] [--show]

Indexes the sample, the MLE newsletter and ML Articles Weekly (from ../shared), then runs the
judged queries of `tests/relevance/` (`dev.jsonl`: used while developing; `heldout.jsonl`:
written before any tuning and never tuned on) through the query service, and the same
queries through the anchor: FTS5 `bm25()` over title + text, any of the words. Prints
success@1, MRR@10, nDCG@10 and the zero-result rate per part, and, with `--backend both`,
how often the two backends agree on the first result. `--show` lists the dev queries whose
wanted item is not first (never the held-out ones).
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from indexer.extract import Extractor
from indexer.pipeline import date_issues, parse_files, tag_issue
from kb.backends.base import Backend
from kb.catalog import load_catalog
from kb.models import Issue
from kb.query import SearchQuery
from kb.service import QueryService
from tests.relevance.targets import resolve

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
CORPORA = (ROOT / "data", SHARED / "mle-newsletter", SHARED / "ml-articles-weekly")
JUDGMENTS = ROOT / "tests" / "relevance"
PARTS = ("dev", "heldout")
DEPTH = 10

__all__ = ["load_archive", "load_judgments", "Judged", "Scores", "evaluate", "Anchor", "main"]


@dataclass(frozen=True)
class Judged:
    id: str
    part: str
    query: str
    kind: str
    relevant: frozenset[str]  # item ids


@dataclass(frozen=True)
class Scores:
    queries: int
    success_at_1: float
    mrr: float
    ndcg: float
    zero_results: float

    def row(self, name: str) -> str:
        return (
            f"{name:<24} {self.queries:>4} {self.success_at_1:>9.2f} {self.mrr:>6.3f}"
            f" {self.ndcg:>8.3f} {self.zero_results:>8.2f}"
        )


HEADER = f"{'system':<24} {'n':>4} {'success@1':>9} {'MRR':>6} {'nDCG@10':>8} {'zero res':>8}"


def load_archive(corpora: Iterable[Path] = CORPORA) -> list[Issue]:
    parsed, failures, sidecars = parse_files(list(corpora))
    if failures:
        raise RuntimeError(f"{len(failures)} files failed to parse: {failures[:3]}")
    extractor = Extractor(load_catalog())
    return [tag_issue(issue, extractor) for _, issue in date_issues(parsed, sidecars, None)]


def load_judgments(issues: Sequence[Issue], parts: Sequence[str] = PARTS) -> list[Judged]:
    rows = [(i.id, issue.id, i.title, i.url) for issue in issues for i in issue.items]
    out: list[Judged] = []
    for part in parts:
        for line in (JUDGMENTS / f"{part}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            j = json.loads(line)
            relevant = resolve(j["targets"], rows)
            if not relevant:
                raise ValueError(f"{part}.jsonl {j['id']}: no item matches its targets")
            out.append(Judged(j["id"], part, j["query"], j["kind"], frozenset(relevant)))
    return out


def _dcg(flags: Sequence[bool]) -> float:
    return sum(1.0 / math.log2(i + 2) for i, f in enumerate(flags) if f)


def evaluate(judged: Sequence[Judged], run: Callable[[str], tuple[list[str], int]]) -> tuple[Scores, dict[str, list[str]]]:
    """Scores of one system over `judged`; also each query's ranked ids (for agreement)."""
    s1 = rr = ndcg = zero = 0.0
    ranked: dict[str, list[str]] = {}
    for j in judged:
        ids, total = run(j.query)
        ids = ids[:DEPTH]
        ranked[j.id] = ids
        flags = [i in j.relevant for i in ids]
        s1 += bool(flags) and flags[0]
        rr += next((1.0 / (n + 1) for n, f in enumerate(flags) if f), 0.0)
        ideal = _dcg([True] * min(len(j.relevant), DEPTH))
        ndcg += _dcg(flags) / ideal
        zero += total == 0
    n = max(len(judged), 1)
    return Scores(len(judged), s1 / n, rr / n, ndcg / n, zero / n), ranked


class Anchor:
    """Plain BM25: FTS5 over title + text (unicode61), any of the query's words."""

    _WORD = re.compile(r"[^\W_]+", re.UNICODE)

    def __init__(self, issues: Sequence[Issue]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')")
        self.db.executemany(
            "INSERT INTO t (id, title, text) VALUES (?,?,?)",
            [(i.id, i.title, i.text) for issue in issues for i in issue.items],
        )

    def run(self, query: str) -> tuple[list[str], int]:
        words = dict.fromkeys(w.lower() for w in self._WORD.findall(query))
        if not words:
            return [], 0
        match = " OR ".join(f'"{w}"' for w in words)
        total = self.db.execute("SELECT COUNT(*) FROM t WHERE t MATCH ?", [match]).fetchone()[0]
        rows = self.db.execute("SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", [match, DEPTH]).fetchall()
        return [r[0] for r in rows], int(total)


def ours(service: QueryService) -> Callable[[str], tuple[list[str], int]]:
    def run(query: str) -> tuple[list[str], int]:
        results = service.search(SearchQuery(query, limit=DEPTH, with_facets=False))
        return [h.item_id for h in results.hits], results.total

    return run


def open_backends(names: Sequence[str], issues: Sequence[Issue], es_url: str, tmp: Path) -> dict[str, Backend]:
    backends: dict[str, Backend] = {}
    for name in names:
        if name == "sqlite":
            from kb.backends.sqlite import SQLiteBackend

            backend: Backend = SQLiteBackend(tmp / "kb.sqlite3")
        else:
            from elasticsearch import Elasticsearch

            from kb.backends.elasticsearch import ElasticsearchBackend

            backend = ElasticsearchBackend(Elasticsearch(es_url, request_timeout=60), alias="kb-bench-relevance", location=es_url)
            backend.drop()  # type: ignore[attr-defined]
            backend = ElasticsearchBackend(Elasticsearch(es_url, request_timeout=60), alias="kb-bench-relevance", location=es_url)
        backend.write_issues(issues)
        backends[name] = backend
    return backends


def agreement(a: dict[str, list[str]], b: dict[str, list[str]]) -> float:
    same = sum(bool(a[k]) == bool(b[k]) and (not a[k] or a[k][0] == b[k][0]) for k in a)
    return same / max(len(a), 1)


def report(judged: Sequence[Judged], systems: dict[str, Callable[[str], tuple[list[str], int]]], show: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in (*PARTS, "all"):
        subset = [j for j in judged if part in (j.part, "all")]
        if not subset:
            continue
        print(f"\n{part} ({len(subset)} queries)")
        print(HEADER)
        for name, run in systems.items():
            scores, ranked = evaluate(subset, run)
            out[(part, name)] = (scores, ranked)
            print(scores.row(name))
    kinds = sorted({j.kind for j in judged})
    print(f"\nMRR by kind ({len(judged)} queries)")
    print(f"{'system':<24} " + " ".join(f"{k[:12]:>12}" for k in kinds))
    for name in systems:
        ranked = out[("all", name)][1]
        row = []
        for kind in kinds:
            subset = [j for j in judged if j.kind == kind]
            rr = sum(next((1.0 / (n + 1) for n, i in enumerate(ranked[j.id]) if i in j.relevant), 0.0) for j in subset)
            row.append(f"{rr / len(subset):>8.2f} ({len(subset):>2})")
        print(f"{name:<24} " + " ".join(row))
    if show:
        run = systems[next(n for n in systems if n != "anchor")]
        for j in judged:
            if j.part != "dev":
                continue
            ids, _ = run(j.query)
            if not ids or ids[0] not in j.relevant:
                at = next((n + 1 for n, i in enumerate(ids) if i in j.relevant), None)
                print(f"  {j.id} [{j.kind}] {j.query!r}: wanted at {at}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "elasticsearch", "both"), default="sqlite")
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--show", action="store_true", help="list dev queries whose wanted item is not first")
    parser.add_argument("--part", choices=(*PARTS, "all"), default="all", help="report one part only (default: every part)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    issues = load_archive()
    judged = load_judgments(issues, PARTS if args.part == "all" else (args.part,))
    names = ["sqlite", "elasticsearch"] if args.backend == "both" else [args.backend]
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        backends = open_backends(names, issues, args.es_url, Path(tmp))
        items = sum(len(i.items) for i in issues)
        print(f"{len(issues)} issues, {items} items indexed in {time.perf_counter() - started:.1f} s; {len(judged)} judged queries")
        systems = {"anchor": Anchor(issues).run}
        systems.update({f"ours ({n})": ours(QueryService(b, catalog)) for n, b in backends.items()})
        results = report(judged, systems, args.show)
        if len(backends) == 2:
            print()
            for part in (*PARTS, "all"):
                if (part, f"ours ({names[0]})") not in results:
                    continue
                a, b = (results[(part, f"ours ({n})")][1] for n in names)
                print(f"same first result, {part}: {agreement(a, b):.0%}")
        if "elasticsearch" in backends:
            backends["elasticsearch"].drop()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
