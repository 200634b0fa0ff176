"""Add issues: upload issue files (text, Markdown, HTML, RSS/Atom) into the knowledge base."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.state import get_kb, index_files, settings

config = settings()
kb = get_kb(config)

st.title("Add issues")
st.write(
    "Upload newsletter issues: plain text, Markdown with front matter, HTML exports or RSS/Atom "
    "feeds. Re-uploading an edited issue replaces it; an unchanged one is left as it is."
)
files = st.file_uploader(
    "Issue files", type=["txt", "md", "markdown", "html", "htm", "xml", "rss", "atom"],
    accept_multiple_files=True,
)
known = sorted({s.publication for s in kb.service.issues()})
choice = st.selectbox(
    "Newsletter (for files that do not name it)", [*known, "Another newsletter…"],
    help="Text issues name their newsletter in the first line; Markdown and HTML files often don't.",
)
publication = st.text_input("Newsletter name") if choice == "Another newsletter…" else choice
if files and st.button("Index these files", type="primary"):
    folder = Path(config.upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files:
        target = folder / Path(f.name).name
        target.write_bytes(f.getvalue())
        saved.append(target)
    report = index_files(kb, saved, "Uploading", publication=publication or None)
    for failure in report.failures:
        st.error(f"{Path(failure.path).name}: {failure.reason}")
    (st.success if not report.failures else st.warning)(report.summary_line())

st.divider()
if st.button(f"Re-index the data folder ({config.data_dir})"):
    report = index_files(kb, [Path(config.data_dir)], "Re-indexing")
    for failure in report.failures:
        st.error(f"{Path(failure.path).name}: {failure.reason}")
    st.success(report.summary_line())
