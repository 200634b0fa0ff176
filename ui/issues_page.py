"""Issues: every issue of every newsletter, and each issue as it was sent, section by section."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from kb.browse import counted, issue_entities, issue_name, item_hit, neighbours, newest_first, sections_of
from ui.params import param_str, set_params
from ui.render import entity_chips, md_escape, md_link
from ui.state import fmt_date, get_kb, settings

ALL = "All newsletters"
ALL_YEARS = "All years"
ENTITY_PAGE = "ui/entity_page.py"
service = get_kb(settings()).service
issues = service.issues()

if not issues:
    st.title("Issues")
    st.info("The index is empty: add newsletter issues first, then browse them here.")
    st.page_link("ui/add_issues_page.py", label="Add issues", icon=":material/upload_file:")
    st.stop()

issue_id = param_str("issue").strip()
issue = service.issue(issue_id) if issue_id else None

if issue is None:
    st.title("Issues")
    if issue_id:
        st.warning(
            f"No issue “{issue_id}” is in the index (ids look like deep-learning-weekly-214). "
            "Choose one below, or add it on the Add issues page."
        )
    publications = sorted({s.publication for s in issues})
    years = [str(y) for y in sorted({s.date.year for s in issues if s.date}, reverse=True)]
    c1, c2, c3 = st.columns([1, 1, 2])
    wanted = param_str("publication") if param_str("publication") in publications else ALL
    publication = c1.selectbox("Newsletter", [ALL, *publications], index=[ALL, *publications].index(wanted),
                               key=f"publication-{wanted}")  # a control per URL value, so back/forward restore it
    wanted_year = param_str("year") if param_str("year") in years else ALL_YEARS
    year = c2.selectbox("Year", [ALL_YEARS, *years], index=[ALL_YEARS, *years].index(wanted_year),
                        key=f"year-{wanted_year}")
    words = c3.text_input("Words", value=param_str("q"), key=f"q-{param_str('q')}",
                          placeholder="In titles and summaries, e.g. kubernetes").strip()
    headings = service.issue_headings()
    folded = words.casefold().split()
    shown = newest_first([
        s for s in issues
        if publication in (ALL, s.publication) and year in (ALL_YEARS, str(s.date.year) if s.date else "")
        and all(w in f"{s.publication} {s.number} {headings.get(s.id, s.title)}".casefold() for w in folded)
    ])
    set_params({"publication": publication if publication != ALL else None,  # drops a bad ?issue=
                "year": year if year != ALL_YEARS else None, "q": words})
    labels = {s.id: f"{issue_name(s.publication, s.number, s.title)} · {fmt_date(s.date, s.date_estimated)}" for s in shown}
    chosen = st.selectbox("Open an issue", list(labels), index=None, format_func=labels.get,
                          placeholder="Choose an issue, or click a row below")
    st.caption(f"{counted(len(shown), 'issue')}, newest first; click a column's name to sort by it")
    table = pd.DataFrame(
        {
            "newsletter": [s.publication for s in shown],
            "number": pd.array([s.number for s in shown], dtype="Int64"),
            "date": [fmt_date(s.date, s.date_estimated) for s in shown],
            "title": [headings.get(s.id, s.title) for s in shown],
            "items": [s.items for s in shown],
        }
    )
    event = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row")
    if event.selection.rows:
        chosen = shown[event.selection.rows[0]].id
    if chosen:
        st.query_params.from_dict({"issue": chosen})
        st.rerun()
    st.stop()

set_params({"issue": issue.id})
near = neighbours(issues, issue.id)
st.title(issue.title or issue_name(issue.publication, issue.number))
st.caption(" · ".join(
    part for part in (issue.publication, f"#{issue.number}" if issue.number is not None else "",
                      fmt_date(issue.date, issue.date_estimated), counted(len(issue.items), "item")) if part
))
if issue.date_estimated:
    st.caption(
        "The issue does not state its date: it is estimated from its number and the nearest dated "
        "issue of the same newsletter (weekly cadence), or given as approximate in a dates file."
    )
back_col, _, prev_col, next_col = st.columns([2, 3, 1, 1])
if back_col.button("All issues", icon=":material/arrow_back:", type="tertiary"):
    st.query_params.clear()
    st.rerun()
for column, label, target in ((prev_col, "← Previous", near.previous), (next_col, "Next →", near.next)):
    tip = issue_name(target.publication, target.number, target.title) if target else "No such issue in the index"
    if column.button(label, disabled=target is None, help=tip, width="stretch"):
        st.query_params["issue"] = target.id
        st.rerun()
if issue.summary:
    st.markdown(f"*{md_escape(issue.summary)}*")
if issue.intro:
    with st.expander("Intro"):
        st.markdown(md_escape(issue.intro))

main, side = st.columns([5, 2], gap="large")
with main:
    for n, section in enumerate(sections_of(issue)):
        if section.name:
            st.subheader(section.name)
        elif n:
            st.divider()
        for item in section.items:
            with st.container(border=True):
                title = md_escape(item.title)
                st.markdown(f"**{md_link(title, item.url)}**")
                if item.text:
                    st.markdown(md_escape(item.text))
                chips = entity_chips(item_hit(issue, item), service)
                if chips:
                    st.markdown(chips, unsafe_allow_html=True)
with side:
    st.subheader("In this issue")
    counted = issue_entities(issue)
    st.caption(f"{len(counted)} entities and topics, by items mentioning them")
    for e in counted:
        st.page_link(ENTITY_PAGE, label=f"{service.name_of(e.entity_id)} · {e.items}",
                     query_params={"entity": e.entity_id})
