"""Search: every item of every issue, with filters, facets and highlighted snippets."""
from __future__ import annotations

import streamlit as st

from kb.models import ENTITY_TYPES
from kb.query import Filters, SearchQuery
from ui.params import param_date, param_int, param_list, param_str, set_params, url_differs
from ui.render import entity_chips, hit_markdown
from ui.state import fmt_date, get_kb, settings

PAGE_SIZE = 10
kb = get_kb(settings())
service = kb.service
catalog = service.catalog

st.title("Search the archive")
q = st.text_input(
    "Search",
    value=param_str("q"),
    placeholder='e.g. Dojo, "graph neural networks", pytorch OR tensorflow -tutorial',
    help='Words are combined with AND; use "quotes" for phrases, OR between alternatives, -word to exclude.',
)

entity_choices = sorted((e.id for e in catalog if e.type != "TOPIC"), key=service.name_of)
topic_choices = sorted((e.id for e in catalog if e.type == "TOPIC"), key=service.name_of)
with st.expander("Filters", expanded=any(st.query_params.get(k) for k in ("entity", "type", "topic", "section", "from", "to"))):
    c1, c2, c3 = st.columns(3)
    entities = c1.multiselect(
        "Entities (all)", entity_choices, default=[e for e in param_list("entity") if e in entity_choices],
        format_func=service.name_of,
    )
    topics = c2.multiselect(
        "Topics (all)", topic_choices, default=[t for t in param_list("topic") if t in topic_choices],
        format_func=service.name_of,
    )
    types = c3.multiselect(
        "Entity types (any)", [t for t in ENTITY_TYPES if t != "TOPIC"],
        default=[t for t in param_list("type") if t in ENTITY_TYPES],
    )
    c4, c5, c6, c7 = st.columns(4)
    sections = c4.text_input("Sections (comma-separated)", value=param_str("section"))
    date_from = c5.date_input("From", value=param_date("from"), format="YYYY-MM-DD")
    date_to = c6.date_input("To", value=param_date("to"), format="YYYY-MM-DD")
    sort = c7.radio("Sort by", ["relevance", "date"], index=1 if param_str("sort") == "date" else 0, horizontal=True)

page = max(1, param_int("page") or 1)
filters = Filters(
    entities=tuple(entities),
    topics=tuple(topics),
    entity_types=tuple(types),
    sections=tuple(s.strip() for s in sections.split(",") if s.strip()),
    date_from=date_from or None,
    date_to=date_to or None,
)
state = {
    "q": q.strip(), "entity": entities, "topic": topics, "type": types,
    "section": filters.sections, "from": filters.date_from, "to": filters.date_to,
    "sort": sort if sort != "relevance" else None,
}
if url_differs(state):
    page = 1
set_params({**state, "page": page if page > 1 else None})

if not (q.strip() or filters != Filters()):
    st.caption("Type a query or choose a filter. Try *Dojo*, *Jurassic* or *reinforcement learning*.")
    st.stop()

results = service.search(
    SearchQuery(q, filters, sort=sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
)
main, side = st.columns([3, 1])
with side:
    st.subheader("Facets")
    for name, label in (("type", "Types"), ("entity", "Entities"), ("topic", "Topics"), ("section", "Sections"), ("year", "Years")):
        values = results.facets.get(name, ())
        if values:
            lines = [
                f"- {service.name_of(v.value) if name in ('entity', 'topic') else v.value} ({v.count})"
                for v in values[:8]
            ]
            st.markdown(f"**{label}**\n" + "\n".join(lines))
with main:
    if results.total == 0:
        st.warning("No items match. Try fewer words, another spelling, or remove a filter.")
        st.stop()
    first = (page - 1) * PAGE_SIZE + 1
    st.caption(f"{results.total} items · showing {first}–{first + len(results.hits) - 1}")
    for hit in results.hits:
        with st.container(border=True):
            st.markdown(hit_markdown(hit, fmt_date(hit.date, hit.date_estimated)), unsafe_allow_html=True)
            chips = entity_chips(hit, service)
            if chips:
                st.markdown(chips)
    pages = (results.total + PAGE_SIZE - 1) // PAGE_SIZE
    if pages > 1:
        prev_col, info_col, next_col = st.columns([1, 2, 1])
        if prev_col.button("← Previous", disabled=page <= 1):
            st.query_params["page"] = str(page - 1)
            st.rerun()
        info_col.caption(f"Page {page} of {pages}")
        if next_col.button("Next →", disabled=page >= pages):
            st.query_params["page"] = str(page + 1)
            st.rerun()
