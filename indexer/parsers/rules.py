"""What a newsletter's layout file may tell the item detector; empty means "infer it all"."""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Rules"]


@dataclass(frozen=True)
class Rules:
    ignore: tuple[re.Pattern[str], ...] = ()  # blocks (and a heading's whole part) whose text matches
    section_levels: tuple[int, ...] = ()  # heading levels that always name sections
    item_levels: tuple[int, ...] = ()  # heading levels that always start an item (a story)
    list_items: bool = True  # list items may be items
    paragraphs: bool = True  # link-led and untitled paragraphs may be items
    labels: bool = True  # bold-only and colon-ended lines name sub-sections
    origin: str = ""  # the layout file these rules come from ("" = none)
