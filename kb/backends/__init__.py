"""Backends by name, imported lazily so the Elasticsearch client loads only when chosen."""
from __future__ import annotations

from kb.backends.base import Backend, BackendError, BackendUnavailable
from kb.settings import Settings

__all__ = ["open_backend", "BACKENDS", "Backend", "BackendError", "BackendUnavailable"]

BACKENDS: tuple[str, ...] = ("sqlite", "elasticsearch")


def open_backend(settings: Settings) -> Backend:
    name = settings.backend.lower()
    if name == "sqlite":
        from kb.backends.sqlite import SQLiteBackend

        return SQLiteBackend(settings.sqlite_path)
    if name in ("elasticsearch", "es"):
        try:
            from kb.backends.elasticsearch import ElasticsearchBackend
        except ImportError as exc:
            raise BackendError(
                f"the Elasticsearch backend is not available ({exc}); "
                "install requirements.txt or use KB_BACKEND=sqlite"
            ) from exc
        return ElasticsearchBackend.from_settings(settings)
    raise BackendError(f"unknown backend {settings.backend!r}: choose one of {', '.join(BACKENDS)}")
