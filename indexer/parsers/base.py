"""The contract every format parser follows (after Aleph's ingest-file handlers)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from kb.models import Issue

from .rules import Rules

if TYPE_CHECKING:
    from .blocks import Block

__all__ = ["ParseError", "Source", "Parser"]


class ParseError(Exception):
    """The one error a parser raises: the file is reported with its path and the batch goes on."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class Source:
    """A file's bytes decoded, plus what we know about it from outside the file."""

    path: Path
    text: str
    publication_hint: str | None = None  # e.g. from a sidecar or the folder name
    rules: Rules = Rules()  # from the newsletter's layout file, if it has one

    @property
    def name(self) -> str:
        return self.path.name


class Parser:
    """One format. `score` says how well it fits a file (0 = not at all); the best wins."""

    name: ClassVar[str] = "base"
    extensions: ClassVar[tuple[str, ...]] = ()

    def score(self, source: Source) -> int:
        raise NotImplementedError

    def parse(self, source: Source) -> list[Issue]:
        """Return one Issue per newsletter issue in the file (a feed holds many)."""
        raise NotImplementedError

    def rules(self, source: Source) -> Rules:
        """The rules item detection runs with: the layout file's, or the format's defaults."""
        return source.rules

    def blocks(self, source: Source) -> list[list["Block"]]:
        """The block tree of each issue in the file, as item detection sees it (--explain)."""
        raise NotImplementedError
