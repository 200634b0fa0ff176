"""Server-side render time of every app page on a real archive.

    python -m bench.bench_pages [CORPUS] [--backend sqlite|elasticsearch] [--es-url URL]
    python -m bench.bench_pages [CORPUS] --against REF [--pages search] [--runs 30]

Indexes the corpus into a fresh store, then renders each page headlessly (Streamlit's AppTest,
the same script run a browser triggers) with realistic URL parameters, and prints the median
of several runs per page.

`--against REF` measures this checkout next to an earlier commit (a git worktree of REF,
indexed by its own code into its own store): two worker processes render the same page turn
by turn, so both see the same machine load, and the ratio of the medians is printed.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.page_worker import render_page
from indexer.extract import Extractor
from indexer.pipeline import ingest
from kb.backends import open_backend
from kb.service import configured_catalog
from kb.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "mle-newsletter"
PAGES = [
    ("search", "ui/search_page.py", {"q": "kubernetes monitoring"}),
    ("search + filters", "ui/search_page.py", {"q": "llm", "type": "ORG", "sort": "date"}),
    ("entity", "ui/entity_page.py", {"entity": "openai"}),
    ("coverage check", "ui/coverage_page.py", {"title": "Serving LLMs on Kubernetes with vLLM"}),
    ("trends", "ui/trends_page.py", {"entities": "llms,kubernetes,openai", "interval": "month"}),
    ("issues", "ui/issues_page.py", {"issue": "mle-newsletter-200"}),
    ("candidates", "ui/candidates_page.py", {}),
]


def render(page: str, params: dict[str, str]) -> float:
    return render_page(str(ROOT / "app.py"), page, params)


def _worker(tree: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "page_worker.py")],
        cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )


def _render_in(worker: subprocess.Popen, page: str, params: dict[str, str]) -> float:
    assert worker.stdin and worker.stdout
    worker.stdin.write(json.dumps([page, params]) + "\n")
    worker.stdin.flush()
    answer = worker.stdout.readline()
    if not answer:
        raise RuntimeError(f"the page worker stopped on {page} {params}")
    return float(answer)


def compare(args: argparse.Namespace, tmp: Path) -> int:
    """This checkout against `args.against`, page by page, turn by turn."""
    ref_tree = tmp / "ref"
    subprocess.run(["git", "worktree", "add", "--detach", str(ref_tree), args.against], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = {}
        for name, tree in (("before", ref_tree), ("after", ROOT)):
            env = {
                **os.environ,
                "KB_BACKEND": args.backend,
                "KB_SQLITE_PATH": str(tmp / f"{name}.sqlite3"),
                "KB_DATA_DIR": str(tmp / "none"),
                "ES_URL": args.es_url,
                "KB_ES_INDEX": f"kb-bench-{name}",
            }
            subprocess.run([sys.executable, "-m", "indexer", "reindex", str(args.corpus.resolve())], cwd=tree, env=env,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            workers[name] = _worker(tree, env)
        print(f"{args.backend}: {args.against} (before) and this checkout (after), median of {args.runs} turns each")
        for label, page, params in PAGES:
            if args.pages and not any(label.startswith(p) for p in args.pages):
                continue
            times: dict[str, list[float]] = {name: [] for name in workers}
            for turn in range(args.runs + 2):
                for name, worker in workers.items():
                    took = _render_in(worker, page, params)
                    if turn >= 2:  # the first turns warm both processes up
                        times[name].append(took)
            before, after = (statistics.median(times[n]) for n in ("before", "after"))
            print(f"{label:<18} before {before * 1000:6.0f} ms   after {after * 1000:6.0f} ms   ratio {after / before:.2f}")
        for worker in workers.values():
            assert worker.stdin
            worker.stdin.close()
            worker.wait()
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(ref_tree)], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if args.backend == "elasticsearch":
            _drop_indices(args.es_url, "kb-bench-before-*,kb-bench-after-*")
    return 0


def _drop_indices(es_url: str, pattern: str) -> None:
    """Delete the comparison's indices by name (wildcard deletes are refused by default)."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(es_url)
    names = list(client.indices.get(index=pattern, ignore_unavailable=True, allow_no_indices=True))
    if names:
        client.indices.delete(index=",".join(names))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "elasticsearch"))
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", metavar="REF", help="also time this git commit, turn by turn")
    parser.add_argument("--pages", nargs="*", default=[], help="only pages whose label starts so (with --against)")
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    if args.against:
        with tempfile.TemporaryDirectory() as tmp:
            return compare(args, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "KB_BACKEND": args.backend,
            "KB_SQLITE_PATH": str(Path(tmp) / "kb.sqlite3"),
            "KB_DATA_DIR": str(Path(tmp) / "none"),
            "ES_URL": args.es_url,
            "KB_ES_INDEX": "kb-bench-pages",
        }
        os.environ.update(env)
        settings = Settings.from_env()
        backend = open_backend(settings)
        backend.clear()
        report = ingest([args.corpus], backend=backend, extractor=Extractor(configured_catalog(settings)))
        print(f"{args.backend}: {report.summary_line()}")
        for label, page, params in PAGES:
            times = [render(page, params) for _ in range(args.runs)]
            print(f"{label:<18} median {statistics.median(times) * 1000:7.0f} ms  (min {min(times) * 1000:.0f} ms)")
        if args.backend == "elasticsearch":
            backend.drop()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
