"""Hardware makers, derived from the catalog: the organisations that own hardware entries.

Why a context variable: the name rules are plain functions deep under the rules component;
the component sets the makers of its own catalog while it tags a document, and code that
calls the functions directly gets the bundled catalog's.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from kb.catalog import Catalog

__all__ = ["makers_of", "hardware_makers", "using_makers"]

_CURRENT: ContextVar[frozenset[str] | None] = ContextVar("hardware_makers", default=None)


def makers_of(catalog: Catalog) -> frozenset[str]:
    """Every spelling of every organisation that owns a HARDWARE entry, as written."""
    owners = {e.owner for e in catalog.by_type("HARDWARE") if e.owner}
    return frozenset(form for org in owners if (entry := catalog.get(org)) is not None
                     for form in entry.surface_forms)


@lru_cache(maxsize=1)
def _bundled() -> frozenset[str]:
    from kb.catalog import load_catalog

    return makers_of(load_catalog())


def hardware_makers() -> frozenset[str]:
    current = _CURRENT.get()
    return current if current is not None else _bundled()


@contextmanager
def using_makers(makers: frozenset[str]) -> Iterator[None]:
    token = _CURRENT.set(makers)
    try:
        yield
    finally:
        _CURRENT.reset(token)
