"""The app's shared handles: one knowledge base per settings, cached for every session."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import streamlit as st

from indexer.parallel import available_cores
from kb.backends import Backend, open_backend
from kb.service import QueryService, configured_catalog
from kb.settings import Settings

if TYPE_CHECKING:
    from indexer.extract import Extractor
    from indexer.pipeline import IngestReport

__all__ = ["KnowledgeBase", "get_kb", "settings", "index_files", "retag_archive", "fmt_date"]


@dataclass
class KnowledgeBase:
    settings: Settings
    backend: Backend
    service: QueryService

    @cached_property
    def extractor(self) -> Extractor:
        """Built on first use: spaCy and the rules take about two seconds to load, and only the
        coverage check, adding issues and re-tagging need them, so other pages start without."""
        from indexer.extract import Extractor

        return Extractor(self.service.catalog)


def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner="Opening the knowledge base…")
def get_kb(config: Settings) -> KnowledgeBase:
    catalog = configured_catalog(config)
    backend = open_backend(config)
    return KnowledgeBase(config, backend, QueryService(backend, catalog))


def index_files(
    kb: KnowledgeBase, paths: Sequence[Path], label: str, publication: str | None = None
) -> IngestReport:
    """Ingest with a visible progress bar; the caller shows the report."""
    from indexer.pipeline import ingest

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
    from indexer.pipeline import retag

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
