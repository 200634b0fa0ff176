"""Figures of the fault and abuse suite, printed at the end of the test run (CI logs show them)."""
from __future__ import annotations

__all__ = ["record", "FIGURES"]

FIGURES: list[str] = []


def record(line: str) -> None:
    FIGURES.append(line)
