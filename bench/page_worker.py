"""Render app pages on request, one per line of stdin, and print each render time.

Run by `bench.bench_pages --against REF` with the working directory set to a checkout of the
app (this one or an older commit), so two versions can be timed turn by turn in one run. It
imports nothing from the checkout it lives in: only the checkout it runs in.

    stdin:  ["ui/search_page.py", {"q": "kubernetes"}]
    stdout: 0.0412
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time


def render_page(app: str, page: str, params: dict[str, str]) -> float:
    """Seconds one page run takes, opened from a link with `params`, result cache cleared."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()  # real queries, not Streamlit's result cache
    at = AppTest.from_file(app, default_timeout=120).run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed


def main() -> int:
    sys.path.insert(0, os.getcwd())
    logging.disable(logging.WARNING)
    app = os.path.join(os.getcwd(), "app.py")
    for line in sys.stdin:
        page, params = json.loads(line)
        try:
            elapsed = render_page(app, page, params)
        except RuntimeError as exc:
            print(f"error {exc}", file=sys.stderr, flush=True)
            return 1
        print(elapsed, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
