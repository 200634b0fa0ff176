"""Backends by name, imported lazily so the Elasticsearch client loads only when chosen.

A backend is one module with a `Backend` subclass that builds itself `from_settings`; adding
one means writing that module and one line in `REGISTRY`.
"""
from __future__ import annotations

import importlib

from kb.backends.base import Backend, BackendError, BackendUnavailable
from kb.settings import Settings

__all__ = ["open_backend", "BACKENDS", "REGISTRY", "Backend", "BackendError", "BackendUnavailable"]

# name -> (module, class)
REGISTRY: dict[str, tuple[str, str]] = {
    "sqlite": ("kb.backends.sqlite", "SQLiteBackend"),
    "elasticsearch": ("kb.backends.elasticsearch", "ElasticsearchBackend"),
}
ALIASES: dict[str, str] = {"es": "elasticsearch"}
BACKENDS: tuple[str, ...] = tuple(REGISTRY)


def backend_class(name: str) -> type[Backend]:
    """The class registered under `name` (or an alias), imported now."""
    key = ALIASES.get(name.lower(), name.lower())
    if key not in REGISTRY:
        raise BackendError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")
    module, cls = REGISTRY[key]
    try:
        return getattr(importlib.import_module(module), cls)
    except ImportError as exc:
        raise BackendError(
            f"the {key} backend is not available ({exc}); install requirements.txt or use KB_BACKEND=sqlite"
        ) from exc


def open_backend(settings: Settings) -> Backend:
    return backend_class(settings.backend).from_settings(settings)
