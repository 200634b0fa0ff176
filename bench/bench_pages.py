"""Server-side render time of every app page on a real archive.

    python -m bench.bench_pages [CORPUS] [--backend sqlite|elasticsearch] [--es-url URL]

Indexes the corpus into a fresh store, then renders each page headlessly (Streamlit's AppTest,
the same script run a browser triggers) with realistic URL parameters, and prints the median
of several runs per page.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

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
    st.cache_data.clear()  # measure real queries, not Streamlit's result cache
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "elasticsearch"))
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
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
