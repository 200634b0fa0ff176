"""Small rendering helpers shared by pages (no queries here)."""
from __future__ import annotations

import re

from kb.backends.base import Hit
from kb.service import QueryService

__all__ = ["md_escape", "TYPE_COLORS", "entity_chips", "hit_markdown"]

TYPE_COLORS = {
    "ORG": "blue",
    "PERSON": "violet",
    "MODEL": "green",
    "HARDWARE": "orange",
    "PRODUCT": "red",
    "DATASET": "gray",
    "EVENT": "yellow",
    "TOPIC": "primary",
}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~$>])")


def md_escape(text: str) -> str:
    """Keep Markdown (and Streamlit's $…$ LaTeX) from reinterpreting newsletter text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def entity_chips(hit: Hit, service: QueryService, limit: int = 12) -> str:
    chips = []
    for entity_id, etype in hit.entities[:limit]:
        name = md_escape(service.name_of(entity_id)).replace("]", "")
        chips.append(f":{TYPE_COLORS.get(etype, 'gray')}-badge[{name}]")
    return " ".join(chips)


def hit_markdown(hit: Hit, when: str) -> str:
    """Title (linked), meta line and highlighted snippet as one Markdown block."""
    title = md_escape_html(hit.title_html)
    head = f"**[{title}]({hit.url})**" if hit.url else f"**{title}**"
    meta = " · ".join(
        part
        for part in (
            f"{md_escape(hit.publication)} #{hit.issue_number}" if hit.issue_number else md_escape(hit.publication),
            when,
            md_escape(hit.section) if hit.section else "",
        )
        if part
    )
    return f"{head}  \n<small>{meta}</small>  \n{md_escape_html(hit.snippet)}"


def md_escape_html(marked: str) -> str:
    """Escape Markdown in HTML-escaped text but keep our <mark> tags working."""
    return md_escape(marked).replace("<mark\\>", "<mark>").replace("</mark\\>", "</mark>")
