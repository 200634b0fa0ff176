"""newsletter-kb — the Streamlit entry point: a router, nothing else.

Run: streamlit run app.py
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from kb.backends import BackendError
from kb.catalog import CatalogError
from ui.links import enable_in_place_links
from ui.state import get_kb, index_files, settings

st.set_page_config(page_title="newsletter-kb", page_icon=":material/newspaper:", layout="wide")

config = settings()
try:
    kb = get_kb(config)
    status = kb.service.status()
except (BackendError, CatalogError) as exc:
    st.error(f"The knowledge base is not available: {exc}")
    st.info("Check KB_BACKEND / KB_SQLITE_PATH / ES_URL, then reload the page.")
    st.stop()

if status.items == 0 and Path(config.data_dir).is_dir():
    with st.container():
        st.info(f"First start: indexing the issues in {config.data_dir} …")
        report = index_files(kb, [Path(config.data_dir)], "First start")
        st.success(report.summary_line())
    status = kb.service.status()

if status.items == 0:
    st.info(
        "The knowledge base is empty. Add newsletter issues on the **Add issues** page, or from a "
        "terminal: `python -m indexer ingest PATH` (files, folders or feeds)."
    )

pages = [
    st.Page("ui/search_page.py", title="Search", icon=":material/search:", url_path="search", default=True),
    st.Page("ui/entity_page.py", title="Entities", icon=":material/label:", url_path="entity"),
    st.Page("ui/coverage_page.py", title="Coverage check", icon=":material/rule:", url_path="coverage"),
    st.Page("ui/trends_page.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("ui/issues_page.py", title="Issues", icon=":material/newspaper:", url_path="issues"),
    st.Page("ui/candidates_page.py", title="Candidates", icon=":material/fact_check:", url_path="candidates"),
    st.Page("ui/add_issues_page.py", title="Add issues", icon=":material/upload_file:", url_path="add"),
]
with st.sidebar:
    st.caption(f"Backend: {status.backend}")
    st.caption(f"{status.issues} issues · {status.items} items")
    enable_in_place_links()
try:
    st.navigation(pages).run()
except BackendError as exc:  # e.g. the server went down after the app started
    st.error(f"The knowledge base did not answer: {exc}")
    st.info("Check that the backend is up (KB_BACKEND / ES_URL), then reload the page.")
