"""Search: every item of every issue, with facets, did-you-mean and highlighted snippets.

The URL is the page's only state (`SearchState`): widgets show it and their callbacks write
it, so a copied link opens the same results.
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from kb.backends.base import SearchResults
from kb.browse import counted
from kb.query import SearchQuery
from kb.service import FEW_RESULTS
from kb.settings import Settings
from ui.render import (HIT_RULE, about, entity_chips, hit_markdown, md_escape, scroll_to_top_if_asked,
                       start_at_top, year_bars)
from ui.search_box import suggestions_script
from ui.search_state import SearchState, resolve_names
from ui.state import fmt_date, get_kb, settings

PAGE_SIZE = 10
FACETS = {"type": "Types", "entity": "Entities", "topic": "Topics", "section": "Sections",
          "year": "Years", "publication": "Newsletters"}
config = settings()
service = get_kb(config).service


@st.cache_data(show_spinner=False, max_entries=500)
def search(_config: Settings, config_key: str, generation: str, query: SearchQuery) -> SearchResults:
    """Kept per state of the archive (`generation`): an ingest from anywhere shows at once."""
    return get_kb(_config).service.search(query)


def current() -> SearchState:
    return SearchState.from_params(st.query_params)


def go(state: SearchState) -> None:
    if state.page != current().page:
        start_at_top()
    st.query_params.from_dict(state.to_params())


def on_widget(key: str, change) -> None:
    """Callback: a widget changed; apply it to the state in the URL."""
    go(change(current(), st.session_state[key]))


def label(facet: str, value: str) -> str:
    if facet in ("entity", "topic"):
        return service.name_of(value)
    return value.title() if facet == "type" else value


def is_topic(entity_id: str) -> bool:
    entry = service.entry(entity_id)
    return entry is not None and entry.type == "TOPIC"


state = current()
# Names typed into the box (or into a link) become ids; topics go to the topic filter.
ids, unknown = resolve_names(state.entities, service.find)
resolved = state.with_facet("entity", [i for i in ids if not is_topic(i)])
resolved = resolved.with_facet("topic", [*state.topics, *filter(is_topic, ids)])
if (resolved.entities, resolved.topics) != (state.entities, state.topics):
    state = resolved
    go(state)

scroll_to_top_if_asked()
st.title("Search the archive")
st.session_state["search_q"] = state.q
st.session_state["search_sort"] = state.sort
c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
c1.text_input(
    "Search", key="search_q", on_change=on_widget, args=("search_q", SearchState.with_query),
    placeholder='e.g. Dojo, "graph neural networks", pytorch OR tensorflow -tutorial',
    help='Items with all your words come first, then items with most of them. Word forms fold (GPUs = GPU); '
         'use "quotes" for exact phrases, OR between alternatives, -word to exclude, +word to require.',
)
with st.sidebar:  # the script draws its list under the box; its element shows nothing
    st.html(suggestions_script(service.box_suggestions()), unsafe_allow_javascript=True)
c2.segmented_control(
    "Sort by", ["relevance", "date"], key="search_sort", required=True,
    on_change=on_widget, args=("search_sort", SearchState.with_sort),
)
with st.expander("Search tips"):
    st.markdown(
        "| Type | Finds items with |\n|---|---|\n"
        "| `tesla dojo` | both words first, then either (any form: *GPUs* finds *GPU*) |\n"
        "| `what is RAG` | the words that matter: question words are left out |\n"
        '| `"graph neural networks"` | the exact phrase |\n'
        "| `pytorch OR tensorflow` | either word |\n"
        "| `transformers -tutorial` | the first word, not the second |\n"
        "| `+kubernetes monitoring` | always the `+` word |\n"
        "| `Llama3`, `RLHF` | the entity or topic, however an item spells it |\n"
        "| a pasted link | the items that ran it |\n\n"
        "Click a facet on the right to narrow the results; the address bar keeps the whole "
        "search, so you can share the link."
    )

choices = service.choices
picked = [*state.entities, *state.topics]
st.session_state["search_names"] = picked
st.multiselect(
    "Entities and topics (all must be mentioned)", list(dict.fromkeys([*picked, *choices])), key="search_names",
    format_func=lambda i: choices.get(i) or service.name_of(i),
    accept_new_options=True, filter_mode="contains", placeholder="Type a name, e.g. OpenAI, Tesla, reinforcement learning",
    on_change=on_widget, args=("search_names", lambda s, v: s.with_facet("entity", v).with_facet("topic", [])),
)
for name in unknown:
    st.warning(f"No entity or topic called {name!r} in the catalog or the archive.")

results = search(config, repr(config), service.generation(), state.query(PAGE_SIZE))
main, side = st.columns([3, 1], gap="large")

with side:
    if state.has_filters:
        st.button("Clear filters", icon=":material/filter_alt_off:", on_click=go, args=(state.without_filters(),))
    for facet, title in FACETS.items():
        chosen = state.selected(facet)
        values = results.facets.get(facet, ())
        # years in year order, newest first (all of them: a year is a place on a timeline);
        # the others by how many items they would keep
        listed = sorted(values, key=lambda v: v.value, reverse=True) if facet == "year" else values[:8]
        counts = {v.value: about(v.count, v.estimated) for v in listed}
        options = list(dict.fromkeys([*counts, *chosen]))
        if not options or (facet == "publication" and len(options) < 2 and not chosen):
            continue  # one newsletter: nothing to narrow
        single = facet == "year"
        st.session_state[f"facet_{facet}"] = (chosen[0] if chosen else None) if single else list(chosen)
        st.pills(
            title, options, selection_mode="single" if single else "multi", key=f"facet_{facet}", wrap=True,
            format_func=lambda v, f=facet, c=counts: f"{label(f, v)} · {c[v]}" if v in c else label(f, v),
            on_change=on_widget,
            args=(f"facet_{facet}", lambda s, v, f=facet: s.with_facet(f, [v] if isinstance(v, str) else v or [])),
        )

with main:
    if results.notice:
        st.info(results.notice, icon=":material/content_cut:")
    if results.corrected_query:
        st.markdown(f"Showing results for **{md_escape(results.corrected_query)}**")
        st.button(f"Search instead for *{md_escape(state.q)}*", type="tertiary", icon=":material/undo:",
                  on_click=go, args=(state.with_query(state.q, literal=True),))
    elif state.literal and state.q:
        st.button("Searching the words as typed: read names and spellings again", type="tertiary",
                  icon=":material/auto_fix_high:", on_click=go, args=(state.with_query(state.q),))
    elif results.linked and results.entity_changed:
        names = ", ".join(f"**{md_escape(service.name_of(eid))}**" for _, eid in results.linked)
        entity_word = "entity" if len(results.linked) == 1 else "entities"
        st.markdown(f"Results for the {entity_word} {names}, however items spell {'it' if len(results.linked) == 1 else 'them'}")
        st.button("Search the words instead", type="tertiary", icon=":material/text_fields:",
                  on_click=go, args=(state.with_query(state.q, literal=True),))
    suggestion = (
        service.did_you_mean(state.q) if state.q and results.total < FEW_RESULTS and not results.corrected_query else None
    )
    if suggestion and suggestion.casefold() != state.q.casefold():
        st.button(f"Did you mean **{md_escape(suggestion)}**?", type="tertiary", icon=":material/spellcheck:",
                  on_click=go, args=(state.with_query(suggestion),))
    if results.total == 0:
        st.warning("No items match. Try fewer words, another spelling, or remove a filter.")
        st.stop()
    first = (state.page - 1) * PAGE_SIZE + 1
    what = counted(results.total, "item") + ("" if state.q or state.has_filters else " in the archive, newest first")
    shown = f"showing {first}–{first + len(results.hits) - 1}"
    if results.relaxed:
        strict = results.strict_total or 0
        shown += (
            f" · {strict} {'matches' if strict == 1 else 'match'} enough of your words;"
            " the others match some of them and come after"
        )
    st.caption(f"{what} · {shown}")
    if not state.years:  # results over time; a bar narrows the search to its year
        years = [(v.value, about(v.count, v.estimated)) for v in results.facets.get("year", ())]
        bars = year_bars(years, lambda y: "?" + urlencode(state.with_facet("year", [y]).to_params()))
        if bars:
            st.markdown(bars, unsafe_allow_html=True)
    # one Markdown block for the page of hits, ruled between them: light to send and to draw
    blocks = [
        hit_markdown(hit, fmt_date(hit.date, hit.date_estimated))
        + (f"\n\n{entity_chips(hit, service)}" if hit.entities else "")
        for hit in results.hits
    ]
    st.markdown(HIT_RULE.join(blocks), unsafe_allow_html=True)
    pages = state.pages(results.total, PAGE_SIZE)
    if pages > 1:
        prev_col, info_col, next_col = st.columns([1, 2, 1], vertical_alignment="center")
        prev_col.button("← Previous", disabled=state.page <= 1, on_click=go, args=(state.with_page(state.page - 1),))
        info_col.caption(f"Page {state.page} of {pages}")
        next_col.button("Next →", disabled=state.page >= pages, on_click=go, args=(state.with_page(state.page + 1),))
