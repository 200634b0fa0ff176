"""How both backends turn stored text into the HTML a hit shows (one behaviour, one place)."""
from __future__ import annotations

import html
from datetime import date

__all__ = ["HL_OPEN", "HL_CLOSE", "marked_html", "lead", "as_date"]

# Sentinels the engines wrap matches in; escaped text can never contain them.
HL_OPEN, HL_CLOSE = "\x02", "\x03"


def marked_html(text: str) -> str:
    """Escape <, > and & (quotes stay readable), then turn the sentinels into <mark>."""
    return html.escape(text, quote=False).replace(HL_OPEN, "<mark>").replace(HL_CLOSE, "</mark>")


def lead(text: str, words: int = 40) -> str:
    """The start of a text, for hits whose match is not in the text."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def as_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None
