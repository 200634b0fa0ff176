"""A terminal progress bar per pipeline stage, on stderr."""
from __future__ import annotations

import sys
from typing import Any, Callable

__all__ = ["progress_bar"]

_UNITS = {"parse": " files"}


def progress_bar(quiet: bool) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """(update(stage, done, total), close()): one bar per stage, the previous one closed."""
    if quiet:
        return (lambda stage, done, total: None), (lambda: None)
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():
                other.close()
            bar = bars[stage] = tqdm(total=total, desc=f"{stage:>5}", unit=_UNITS.get(stage, " issues"), file=sys.stderr)
        bar.n = done
        bar.refresh()

    def close() -> None:
        for bar in bars.values():
            bar.close()

    return update, close
