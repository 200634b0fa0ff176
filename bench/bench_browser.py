"""How long each app page takes to show its content in a real browser: first load, warm, in place.

    python -m bench.bench_browser [CORPUS ...] [--backend sqlite|elasticsearch] [--es-url URL] [--runs 3]

Indexes the corpora (default: the MLE newsletter beside the repository) into a fresh store,
starts `streamlit run app.py` on a free loopback port and drives Debian's chromium (Playwright)
through every page with realistic links. For each page it prints the time to content (the
page's own element drawn and the script finished), in three ways a reader meets the page:

- **first load**: the first visit after the server starts, in a new browser profile (nothing
  cached);
- **warm**: typing the page's address into a new tab of a browser that has used the app before
  (its cache kept; a new Streamlit session and all the app's scripts started again); the median
  of `--runs` visits;
- **in place**: following a link from another page of the app already open, which is how
  readers move between pages (the app changes page without reloading, `ui/links.py`); the
  median of `--runs` rounds through every page.

Beside them, in the same run, the bare anchors: a Streamlit script that only writes a title and
a line, the same with one small Plotly chart, and with one small table, served and visited the
same way, which is what Streamlit and the browser cost before any page of ours does anything.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "mle-newsletter"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PLOT = ".js-plotly-plot .main-svg"
TABLE = '[data-testid="stDataFrame"] canvas, [data-testid="stDataFrameResizable"]'


@dataclass(frozen=True)
class PageCase:
    name: str
    path: str  # URL path and query, as a reader's link
    content: str  # CSS selector of what the reader came for


PAGES = (
    PageCase("search", "/?q=kubernetes+monitoring", "mark"),
    PageCase("search, filters", "/?q=llm&type=ORG&sort=date", "mark"),
    PageCase("entity", "/entity?entity=openai", PLOT),
    PageCase("coverage check", "/coverage?title=Serving+LLMs+on+Kubernetes+with+vLLM", "table"),
    PageCase("trends, 3 names by month", "/trends?entities=llms,kubernetes,openai", PLOT),
    PageCase("trends, per issue", "/trends?entities=llms,kubernetes,openai&interval=issue", PLOT),
    PageCase("rising & falling", "/trends?view=rising", TABLE),
    PageCase("issues", "/issues", TABLE),
    PageCase("an issue", "/issues?issue=mle-newsletter-200", "h1"),
    PageCase("candidates", "/candidates", TABLE),
)


ANCHOR_APP = """
import pandas as pd
import plotly.express as px
import streamlit as st


def anchor():
    st.title("Anchor")
    st.markdown("<mark>a line</mark>", unsafe_allow_html=True)
    if st.query_params.get("show") == "plot":
        st.plotly_chart(px.line(x=[1, 2, 3], y=[1, 3, 2]))
    if st.query_params.get("show") == "table":
        st.dataframe(pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}))


# a router with one page, as app.py is one with several (a page changes in place only under one)
st.navigation([st.Page(anchor, title="Anchor", default=True)]).run()
"""
ANCHORS = (
    PageCase("bare page (anchor)", "/", "mark"),
    PageCase("bare page + chart (anchor)", "/?show=plot", PLOT),
    PageCase("bare page + table (anchor)", "/?show=table", TABLE),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """`streamlit run app.py` over a prepared store, restartable."""

    def __init__(self, env: dict[str, str], log: Path, script: Path = ROOT / "app.py"):
        self.env, self.log, self.script, self.port, self.proc = env, log, script, _free_port(), None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=self.env, stdout=self.log.open("a"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {self.log}")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


VIEWPORT = {"width": 1400, "height": 1000}
# What following a link of the app does (ui/links.py), done directly so the bare anchors can
# be visited the same way.
GO_IN_PLACE = """(path) => { history.pushState(null, "", path); window.dispatchEvent(new PopStateEvent("popstate")); }"""
# Streamlit has drawn the finished run: no element of an earlier run is left on the page.
DRAWN = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === "notRunning"
  && !document.querySelector('[data-stale="true"]')"""
_DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
         ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


@dataclass
class Tab:
    """An open tab of the app and how many script runs its session has finished: read from
    Streamlit's own messages on the tab's websocket, since a fast run can start and end
    between two frames the page draws."""

    page: object
    runs_finished: int = 0

    def count(self, payload) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished in _DONE:
                self.runs_finished += 1


def refuse_an_exception(page, where: str) -> None:
    """A page that shows a traceback has no time worth printing."""
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"{where} shows an exception")


def visit(context, url: str, content: str, *, timeout_ms: int = 120_000) -> float:
    """Seconds from navigation until `content` is drawn and the script run has finished."""
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    try:
        started = time.perf_counter()
        page.goto(url)
        page.locator(content).first.wait_for(state="visible")
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
        seconds = time.perf_counter() - started
        refuse_an_exception(page, url)
        return seconds
    finally:
        page.close()


def open_for_in_place(context, url: str, content: str, *, timeout_ms: int = 120_000) -> Tab:
    """A tab with the app loaded, for `visit_in_place`."""
    tab = Tab(context.new_page())
    tab.page.set_default_timeout(timeout_ms)
    tab.page.on("websocket", lambda ws: ws.on("framereceived", tab.count))
    tab.page.goto(url)
    tab.page.locator(content).first.wait_for(state="visible")
    tab.page.wait_for_function(DRAWN)
    return tab


def visit_in_place(tab: Tab, path: str, content: str, *, timeout_s: float = 120) -> float:
    """Seconds from following a link to `path` in an open tab until the run of the new page
    has finished, nothing of the old page is left, and the new page's `content` is drawn."""
    page, before = tab.page, tab.runs_finished
    started = time.perf_counter()
    page.evaluate(GO_IN_PLACE, path)
    while tab.runs_finished == before:
        if time.perf_counter() - started > timeout_s:
            raise TimeoutError(f"{path}: no script run finished in {timeout_s:.0f} s")
        page.wait_for_timeout(5)  # lets Playwright deliver the websocket's frames
    page.wait_for_function(DRAWN, polling=10)
    page.locator(content).first.wait_for(state="visible")
    seconds = time.perf_counter() - started
    refuse_an_exception(page, path)
    return seconds


def index(corpora: list[Path], env: dict[str, str]) -> str:
    proc = subprocess.run([sys.executable, "-m", "indexer", "reindex", *map(str, corpora), "--quiet"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return (proc.stdout.strip().splitlines() or [""])[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite")
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--runs", type=int, default=3, help="warm visits per page (median printed)")
    parser.add_argument("--skip", default="", help="pages left out, comma-separated (e.g. a view an older version lacks)")
    args = parser.parse_args(argv)
    pages = tuple(p for p in PAGES if p.name not in args.skip.split(","))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kb-bench-browser-"))
    env = {**os.environ, "KB_BACKEND": args.backend, "KB_SQLITE_PATH": str(work / "kb.sqlite3"),
           "KB_DATA_DIR": str(work / "no-data"), "KB_UPLOAD_DIR": str(work / "uploads"),
           "KB_ACCEPTED_FILE": str(work / "accepted.yaml"), "ES_URL": args.es_url,
           "KB_ES_INDEX": f"kb-bench-browser-{os.getpid()}"}
    print(index(args.corpora, env))
    app = App(env, work / "streamlit.log")
    (work / "anchor.py").write_text(ANCHOR_APP, encoding="utf-8")
    anchor = App(env, work / "anchor.log", work / "anchor.py")
    first: dict[str, float] = {}
    warm: dict[str, list[float]] = {p.name: [] for p in (*pages, *ANCHORS)}
    in_place: dict[str, list[float]] = {p.name: [] for p in (*pages, *ANCHORS)}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for server, cases in ((app, pages), (anchor, ANCHORS)):
                for case in cases:  # each page's first load: a fresh server and a new profile for each
                    server.start()
                    with_nothing_cached = browser.new_context(viewport=VIEWPORT)
                    first[case.name] = visit(with_nothing_cached, server.url + case.path, case.content)
                    with_nothing_cached.close()
                    server.stop()
            readers_browser = browser.new_context(viewport=VIEWPORT)
            for server, cases in ((app, pages), (anchor, ANCHORS)):
                server.start()
                for case in cases:
                    visit(readers_browser, server.url + case.path, case.content)  # this server's first visit, not timed
            for _ in range(args.runs):  # pages and anchors in turns: both see the same machine load
                for server, cases in ((app, pages), (anchor, ANCHORS)):
                    for case in cases:
                        warm[case.name].append(visit(readers_browser, server.url + case.path, case.content))
            for server, cases in ((app, pages), (anchor, ANCHORS)):
                tab = open_for_in_place(readers_browser, server.url + cases[-1].path, cases[-1].content)
                for _ in range(args.runs):
                    for case in cases:
                        try:
                            in_place[case.name].append(visit_in_place(tab, case.path, case.content))
                        except Exception as exc:  # say so, and go on from a freshly loaded tab
                            print(f"in place, {case.name}: {str(exc).splitlines()[0]}", file=sys.stderr)
                            in_place[case.name].append(math.nan)
                            tab.page.close()
                            tab = open_for_in_place(readers_browser, server.url + case.path, case.content)
                tab.page.close()
            browser.close()
    finally:
        app.stop()
        anchor.stop()
    print(f"{args.backend}, {', '.join(c.name for c in args.corpora)}; seconds from navigation to content")
    print(f"{'page':28} {'first load':>10} {'warm':>8} {'in place':>9}")
    for case in (*pages, *ANCHORS):
        done = [t for t in in_place[case.name] if not math.isnan(t)]
        in_place_figure = f"{statistics.median(done):9.1f}" if len(done) == len(in_place[case.name]) else f"{'failed':>9}"
        print(f"{case.name:28} {first[case.name]:10.1f} {statistics.median(warm[case.name]):8.1f} {in_place_figure}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
