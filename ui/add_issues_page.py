"""Add issues: upload issue files (text, Markdown, HTML, RSS/Atom) into the knowledge base.

The newsletter comes from the files themselves (title line, front matter, site name, feed
title) or a `dates.yaml` uploaded with them; the page asks only for files that name none,
and never picks one silently.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from indexer.pipeline import IngestReport, named_publications
from ui.state import get_kb, index_files, settings

ISSUE_TYPES = ["txt", "md", "markdown", "html", "htm", "xml", "rss", "atom"]
SIDECAR_TYPES = ["yaml", "yml", "tsv"]  # dates.yaml (dates, publication:), MANIFEST.tsv, layout.yaml
ANOTHER = "Another newsletter…"

config = settings()
kb = get_kb(config)


def show_report(report: IngestReport) -> None:
    """Each failed file, each note (an item cut, a link left out), then the summary line."""
    for failure in report.failures:
        st.error(f"{Path(failure.path).name}: {failure.reason}")
    for note in report.notes:
        st.info(f"{Path(note.path).name}: {note.reason}")
    (st.success if not report.failures else st.warning)(report.summary_line())


def save_batch(uploaded) -> Path:
    """The uploaded files in a folder of their own, so a sidecar applies to its batch only."""
    digest = hashlib.sha1()
    for f in uploaded:
        digest.update(f.name.encode("utf-8"))
        digest.update(f.getvalue())
    folder = Path(config.upload_dir) / f"upload-{digest.hexdigest()[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    for f in uploaded:
        target = folder / Path(f.name).name
        if not target.exists():
            target.write_bytes(f.getvalue())
    return folder


st.title("Add issues")
st.write(
    "Upload newsletter issues: plain text, Markdown with front matter, HTML exports or RSS/Atom "
    "feeds, optionally with their `dates.yaml` or `MANIFEST.tsv`, and a `layout.yaml` when the "
    "newsletter's layout needs describing (see the README). Re-uploading an edited issue "
    "replaces it; an unchanged one is left as it is."
)
files = st.file_uploader("Issue files", type=ISSUE_TYPES + SIDECAR_TYPES, accept_multiple_files=True)
publication: str | None = None
ready = False
if files:
    batch = save_batch(files)
    named = named_publications([batch])
    names = sorted({n for n in named.values() if n})
    unnamed = sorted(p.name for p, n in named.items() if n is None)
    if names:
        st.caption(f"Named by the files: {', '.join(names)}")
    ready = True
    if unnamed:
        known = sorted({s.publication for s in kb.service.issues()})
        choice = st.selectbox(
            f"{len(unnamed)} file{'s' if len(unnamed) > 1 else ''} ({', '.join(unnamed[:5])}"
            f"{'…' if len(unnamed) > 5 else ''}) name no newsletter: which one is it?",
            [*known, ANOTHER], index=None, placeholder="Choose a newsletter",
        )
        publication = (st.text_input("Newsletter name") if choice == ANOTHER else choice) or None
        ready = publication is not None
        if not ready:
            st.info("Choose the newsletter of the files that do not name it, then index.")
    if st.button("Index these files", type="primary", disabled=not ready):
        show_report(index_files(kb, [batch], "Uploading", publication=publication))

st.divider()
if st.button(f"Re-index the data folder ({config.data_dir})"):
    show_report(index_files(kb, [Path(config.data_dir)], "Re-indexing"))
