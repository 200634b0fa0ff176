"""Small rendering helpers shared by pages (no queries here)."""
from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import quote

from kb.backends.base import Hit
from kb.browse import issue_name
from kb.models import is_candidate
from kb.service import QueryService
from kb.urls import is_web_link

__all__ = [
    "md_escape",
    "TYPE_COLORS",
    "entity_url",
    "entity_chip",
    "entity_chips",
    "hit_markdown",
    "issue_label",
    "issue_url",
    "HIT_RULE",
    "start_at_top",
    "scroll_to_top_if_asked",
    "year_bars",
]

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

# Between hits shown as one Markdown block (one element per page is much lighter than ten).
HIT_RULE = "\n\n---\n\n"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~$>])")


def md_escape(text: str) -> str:
    """Keep Markdown (and Streamlit's $…$ LaTeX) from reinterpreting newsletter text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


_LINK_SAFE = ":/?#[]@!$&*+,;=%~-._"  # kept in a link; ( ) " ' < > \\ ` spaces and the rest are %-encoded


def md_link(label: str, url: str | None) -> str:
    """`label` (Markdown already) linked to `url` when it is a web link (http, https) or a path
    of this app; any other scheme (javascript:, data:, file:) leaves the label as plain text.
    The URL is %-encoded so nothing in it can end the link early or add Markdown."""
    if not url or not is_web_link(url):
        return label
    return f"[{label}]({quote(url.strip(), safe=_LINK_SAFE)})"


def entity_url(entity_id: str) -> str:
    """The entity page of an id, relative so the app works under any base path."""
    return f"entity?entity={quote(entity_id, safe='')}"


# (text, background) of each badge colour, as Streamlit's own badges use them
_CHIP_COLORS = {
    "blue": ("#0054a3", "#e0efff"), "violet": ("#583f84", "#efe6fb"), "green": ("#177233", "#dff5e6"),
    "orange": ("#a14d00", "#fdebd9"), "red": ("#a12a2a", "#fde4e4"), "gray": ("#4b4b4b", "#eeeeee"),
    "yellow": ("#7a5f00", "#fff4c2"), "primary": ("#a50e3d", "#fde8ee"),
}
_CHIP_STYLE = ("display:inline-block;padding:0 .45em;margin:0 .25em .25em 0;border-radius:.5em;"
               "font-size:.85em;line-height:1.6;text-decoration:none;color:{};background:{}")


def entity_chip(entity_id: str, etype: str, name: str, *, link: bool = True) -> str:
    """A badge in the type's colour linking to the entity page in the same tab. Raw HTML (render
    with `unsafe_allow_html=True`): Streamlit opens Markdown links in a new tab, which readers
    browsing from result to entity and back do not expect."""
    color, background = _CHIP_COLORS[TYPE_COLORS.get(etype, "gray")]
    label = ("# " if etype == "TOPIC" else "") + html.escape(name)  # topics apart from things with names
    style = _CHIP_STYLE.format(color, background)
    if not link:
        return f'<span style="{style}">{label}</span>'
    return f'<a href="{html.escape(entity_url(entity_id))}" target="_self" style="{style}">{label}</a>'


def entity_chips(hit: Hit, service: QueryService, limit: int = 12) -> str:
    """HTML: linked chips for a hit's entities - catalog entries first, then new names (as
    written), each group in order of first mention - and "+N more" when there are more."""
    ordered = sorted(hit.entities, key=lambda et: is_candidate(et[0]))  # stable: keeps mention order
    chips = [entity_chip(e, t, service.name_of(e)) for e, t in ordered[:limit]]
    if len(ordered) > limit:
        color, background = _CHIP_COLORS["gray"]
        chips.append(f'<span style="{_CHIP_STYLE.format(color, background)}">+{len(ordered) - limit} more</span>')
    return " ".join(chips)


def issue_url(issue_id: str) -> str:
    """The issue page of an id (relative, like `entity_url`)."""
    return f"issues?issue={quote(issue_id, safe='')}"


def issue_label(publication: str, number: int | None, when: str) -> str:
    """ "Deep Learning Weekly #214 (2021-08-19)" (plain text; escape it for Markdown)."""
    name = issue_name(publication, number)
    return f"{name} ({when})" if when else name


def hit_markdown(hit: Hit, when: str) -> str:
    """Title (linked), meta line and highlighted snippet as one Markdown block."""
    title = md_escape_html(hit.title_html)
    head = f"**{md_link(title, hit.url)}**"
    issue = " · ".join(part for part in (issue_name(md_escape(hit.publication), hit.issue_number), when) if part)
    meta = " · ".join(
        part for part in (md_link(issue, issue_url(hit.issue_id)), md_escape(hit.section) if hit.section else "") if part
    )
    return f"{head}  \n<small>{meta}</small>  \n{md_escape_html(hit.snippet)}"


def md_escape_html(marked: str) -> str:
    """Escape Markdown in HTML-escaped text but keep our <mark> tags working."""
    return md_escape(marked).replace("<mark\\>", "<mark>").replace("</mark\\>", "</mark>")


def about(count: int, estimated: bool) -> str:
    """A count as shown: "≈1200" when it was estimated from a sample of many items."""
    return f"≈{count}" if estimated else str(count)


_TO_TOP = "kb_scroll_to_top"


def start_at_top() -> None:
    """Ask the next run of the page to begin scrolled to the top (a new page of results:
    the reader pressed "Next" at the bottom and expects the first result, not the last)."""
    import streamlit as st

    st.session_state[_TO_TOP] = st.session_state.get(_TO_TOP, 0) + 1


def scroll_to_top_if_asked() -> None:
    """Scroll the page to the top when `start_at_top` asked for it (a script that runs once:
    its run number makes it a new element each time)."""
    import streamlit as st

    run = st.session_state.pop(_TO_TOP, None)
    if run is not None:
        st.html(f"<script>/* {run} */ document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0);"
                " window.scrollTo(0, 0);</script>", unsafe_allow_javascript=True)


def year_bars(counts: list[tuple[str, str]], link_of: Callable[[str], str], height: int = 48) -> str:
    """Results over time as a small bar chart: one bar per year (oldest first, years without
    results kept as gaps), each a link that narrows the search to that year in the same tab.
    `counts` are (year, count as shown: "12" or "≈1200"). Raw HTML, for `unsafe_allow_html`."""
    values = {y: c for y, c in counts}
    numbers = {y: int(c.lstrip("≈")) for y, c in counts}
    if len(numbers) < 2:
        return ""
    first, last = int(min(numbers)), int(max(numbers))
    top = max(numbers.values()) or 1
    bars = []
    for year in map(str, range(first, last + 1)):
        n = numbers.get(year, 0)
        bar = (f'<span style="display:block;height:{max(2, round(height * n / top))}px;background:#7aa6d8;'
               f'border-radius:2px 2px 0 0"></span>')
        shown = values.get(year, "0")
        tip = html.escape(f"{year}: {shown} {'item' if shown == '1' else 'items'}")
        cell = (f'<a href="{html.escape(link_of(year))}" target="_self" title="{tip}" style="flex:1;display:flex;'
                f'flex-direction:column;justify-content:flex-end;text-decoration:none">{bar}</a>' if n else
                f'<span title="{tip}" style="flex:1"></span>')
        bars.append(cell)
    axis = (f'<div style="display:flex;justify-content:space-between;font-size:.75em;color:#808495">'
            f"<span>{first}</span><span>{last}</span></div>")
    return (f'<div aria-label="results per year" style="display:flex;gap:2px;align-items:flex-end;'
            f'height:{height}px">{"".join(bars)}</div>{axis}')
