"""Entity page: one entity or topic — what it is, when it was covered, with what, every item."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from kb.browse import counted, page_count
from kb.models import is_candidate
from kb.query import Filters, SearchQuery
from kb.service import UnknownEntity
from ui.params import param_int, param_str, params_of
from ui.render import about, entity_chips, hit_markdown, md_escape, md_link, scroll_to_top_if_asked, start_at_top
from ui.state import fmt_date, get_kb, settings

PAGE_SIZE = 10
INTERVALS = {"issue": "Issue", "month": "Month", "quarter": "Quarter", "year": "Year"}
ENTITY_PAGE = "ui/entity_page.py"
ISSUES_PAGE = "ui/issues_page.py"
service = get_kb(settings()).service
scroll_to_top_if_asked()

if service.status().items == 0:
    st.title("Entities")
    st.info("The index is empty: add newsletter issues first, then every entity gets a page here.")
    st.page_link("ui/add_issues_page.py", label="Add issues", icon=":material/upload_file:")
    st.stop()

raw = param_str("entity").strip()
key = None
if raw:
    try:
        key = raw if is_candidate(raw) else service.resolve(raw)
    except UnknownEntity as exc:
        st.title("Entities")
        st.warning(
            f"No entity or topic called “{raw}” is in the catalog. Pick one below; names found "
            "outside the catalog are listed on the Candidates page."
        )
        for suggestion in exc.suggestions:
            st.page_link(ENTITY_PAGE, label=f"Did you mean {service.name_of(suggestion)}?",
                         query_params={"entity": suggestion})

if key is None:
    if not raw:
        st.title("Entities")
    st.write("Pick an entity or a topic to see when the newsletters covered it, with what, and every item.")
    c1, c2 = st.columns(2)
    choice = c1.selectbox(
        "Entity or topic", list(service.choices), index=None, format_func=service.choices.get, filter_mode="contains",
        placeholder="Choose from the catalog, e.g. Tesla, GPT-3, PyTorch",
    )
    if choice:
        st.query_params.from_dict({"entity": choice})
        st.rerun()
    typed = c2.text_input("Or a name as written in the archive", placeholder="e.g. Quokkaflow",
                          help="Finds names outside the catalog (candidates) too")
    if typed.strip():
        found = service.suggest(typed.strip())
        if not found:
            c2.warning(f"No name in the catalog or the archive starts with “{typed.strip()}”.")
        for s in found:
            c2.page_link(ENTITY_PAGE, label=f"{s.text} ({s.type.lower()})", query_params={"entity": s.entity_id})
    st.subheader("Most covered")
    facets = service.search(SearchQuery("", limit=0, facet_size=24)).facets
    top = sorted((*facets.get("entity", ()), *facets.get("topic", ())), key=lambda v: -v.count)[:24]
    columns = st.columns(4)
    for n, value in enumerate(top):
        columns[n % 4].page_link(ENTITY_PAGE, label=f"{service.name_of(value.value)} · {about(value.count, value.estimated)}",
                                 query_params={"entity": value.value})
    st.stop()

entry = service.entry(key)
candidate = None if entry else service.candidate(key)
name = candidate.name if candidate else service.name_of(key)
st.title(name)
if entry:
    facts = [entry.type.lower()]
    if entry.aliases:
        facts.append("also written " + ", ".join(f"“{a}”" for a in entry.aliases))
    if entry.homepage:
        facts.append(md_link(md_escape(entry.homepage), entry.homepage))
    st.caption(" · ".join(facts))
    if entry.owner:
        st.page_link(ENTITY_PAGE, label=f"Owned by {service.name_of(entry.owner)}",
                     query_params={"entity": entry.owner}, icon=":material/corporate_fare:")
else:
    guessed = f" (guessed type: {candidate.type.lower()})" if candidate else ""
    st.info(
        f"“{name}” is a candidate{guessed}: a name found in the archive that is not in the catalog "
        "yet. Accept it on the Candidates page to give it a canonical name and aliases."
    )
    st.page_link("ui/candidates_page.py", label="Candidates", icon=":material/fact_check:")

stats = service.entity_stats(key)
# Always write the URL: a page link to this same page changes the page but not the address bar.
if stats is None:
    st.query_params.from_dict({"entity": key})
    st.info(f"No item in the archive mentions {name} yet.")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric("Items", stats.items, help="Items mentioning it")
c2.metric("Mentions", stats.mentions, help="Every mention, titles and texts, repeats included")
for column, label, ref in ((c3, "First covered", stats.first), (c4, "Last covered", stats.last)):
    column.metric(label, fmt_date(ref.date, ref.date_estimated) if ref.date else service.issue_name(ref.id, ref.number))
    column.page_link(ISSUES_PAGE, label=service.issue_name(ref.id, ref.number), query_params={"issue": ref.id})

chart_col, side_col = st.columns([2, 1], gap="large")
with chart_col:
    st.subheader("Timeline")
    wanted = param_str("interval") if param_str("interval") in INTERVALS else "month"
    interval = st.segmented_control(
        "Items per", list(INTERVALS), format_func=INTERVALS.get, required=True, default=wanted,
        key=f"interval-{wanted}",  # a control per URL value, so back/forward restore it
    )
    if interval != wanted:
        st.query_params.from_dict(params_of({"entity": key, "interval": interval if interval != "month" else None}))
        st.rerun()
    points = service.trend([key], interval)
    # an issue is named with its newsletter: numbers of different newsletters are different scales
    names = service.issue_names() if interval == "issue" else {}
    labels = [names.get(p.period, p.period) for p in points]
    frame = pd.DataFrame(
        {
            "period": labels,
            "items": [p.items for p in points],
            "date": ["estimated" if p.date_estimated else "known" for p in points],
            "issues from": [fmt_date(p.period_start, p.date_estimated) for p in points],
        }
    )
    if frame.empty:
        st.caption("No dated issues mention it: choose “Issue” to chart it by issue.")
    else:
        fig = px.bar(
            frame, x="period", y="items", pattern_shape="date",
            pattern_shape_map={"known": "", "estimated": "/"},
            hover_data={"issues from": True, "date": True, "period": True},
            labels={"period": "issue" if interval == "issue" else interval, "items": "items mentioning it"},
        )
        # categories in time order: with hatched (estimated) bars in a trace of their own, Plotly
        # would otherwise append their periods after the last known one
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(dict.fromkeys(frame["period"])))
        fig.update_yaxes(rangemode="tozero", tickformat=",d", dtick=1 if frame["items"].max() < 8 else None)
        fig.update_layout(height=320, margin=dict(l=10, r=10, t=10, b=10), legend_title_text="dates",
                          showlegend=frame["date"].nunique() > 1)
        st.plotly_chart(fig)
        if (frame["date"] == "estimated").any():
            st.caption("Hatched bars include issues whose dates are estimated from their numbers.")

with side_col:
    st.subheader("Mentioned with")
    together = service.co_mentions(key)
    if not together:
        st.caption("Nothing else is mentioned in its items.")
    for other in together:
        st.page_link(ENTITY_PAGE, label=f"{other.name} · {about(other.count, other.estimated)}", query_params={"entity": other.entity_id})
    with st.expander("What's distinctive next to it"):
        distinctive = service.significant(Filters(entities=(key,)))
        if not distinctive:
            st.caption("Nothing stands out yet: that needs names seen with it in at least two items.")
        for s in distinctive:
            st.markdown(f"- **{md_escape(service.name_of(s.key))}**: {about(s.foreground, s.estimated)} of its items, {s.background} in the archive")

pages = page_count(stats.items, PAGE_SIZE)
page = min(max(1, param_int("page") or 1), pages)
results = service.search(
    SearchQuery("", Filters(entities=(key,)), sort="date", limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, with_facets=False)
)
st.query_params.from_dict(params_of({"entity": key, "interval": interval if interval != "month" else None, "page": page if page > 1 else None}))

st.subheader(f"Items mentioning {name}")
first = (page - 1) * PAGE_SIZE + 1
st.caption(f"{counted(results.total, 'item')}, newest first · showing {first}–{first + len(results.hits) - 1}")
for hit in results.hits:
    with st.container(border=True):
        st.markdown(hit_markdown(hit, fmt_date(hit.date, hit.date_estimated)), unsafe_allow_html=True)
        chips = entity_chips(hit, service)
        if chips:
            st.markdown(chips, unsafe_allow_html=True)
if pages > 1:
    prev_col, info_col, next_col = st.columns([1, 2, 1])
    if prev_col.button("← Newer", disabled=page <= 1):
        st.query_params["page"] = str(page - 1)
        start_at_top()
        st.rerun()
    info_col.caption(f"Page {page} of {pages}")
    if next_col.button("Older →", disabled=page >= pages):
        st.query_params["page"] = str(page + 1)
        start_at_top()
        st.rerun()
