"""The app's shared handles: one knowledge base per settings, cached for every session."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import streamlit as st

from indexer.extract import Extractor
from indexer.parallel import available_cores
from indexer.pipeline import IngestReport, ingest, retag
from kb.backends import Backend, open_backend
from kb.service import QueryService, configured_catalog
from kb.settings import Settings

__all__ = ["KnowledgeBase", "get_kb", "settings", "index_files", "retag_archive", "fmt_date"]


@dataclass
class KnowledgeBase:
    settings: Settings
    backend: Backend
    service: QueryService
    extractor: Extractor


def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner="Opening the knowledge base…")
def get_kb(config: Settings) -> KnowledgeBase:
    catalog = configured_catalog(config)
    backend = open_backend(config)
    return KnowledgeBase(config, backend, QueryService(backend, catalog), Extractor(catalog))


def index_files(
    kb: KnowledgeBase, paths: Sequence[Path], label: str, publication: str | None = None
) -> IngestReport:
    """Ingest with a visible progress bar; the caller shows the report."""
    bar = st.progress(0.0, text=label)

    def progress(stage: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        verb = "Reading" if stage == "parse" else "Indexing"
        bar.progress(share, text=f"{label}: {verb} {done}/{total}")

    report = ingest(
        paths, backend=kb.backend, extractor=kb.extractor, progress=progress, publication=publication,
        workers=available_cores(),  # a few files stay in this process (see indexer.parallel)
    )
    bar.empty()
    st.cache_data.clear()
    return report


def retag_archive(kb: KnowledgeBase) -> IngestReport:
    """Re-extract every stored item with the loaded catalog, with a progress bar."""
    bar = st.progress(0.0, text="Re-tagging")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Re-tagging {done}/{total} issues")

    report = retag(kb.backend, kb.extractor, progress=progress)
    bar.empty()
    st.cache_data.clear()
    return report


def fmt_date(value, estimated: bool) -> str:
    if value is None:
        return "date unknown"
    return value.isoformat() + (" (estimated)" if estimated else "")
