"""Coverage check: before an item runs, has it (or its link) run already, and what is new in it?"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from kb.coverage import NEAR_DUPLICATE, check_coverage
from ui.params import param_str, set_params
from ui.render import entity_chip, issue_label, md_escape
from ui.state import fmt_date, get_kb, settings

kb = get_kb(settings())
MAX_TEXT_IN_LINK = 2_000  # characters of the draft's text kept in the page's link


def ran_in(hit) -> str:
    return md_escape(issue_label(hit.publication, hit.issue_number, fmt_date(hit.date, hit.date_estimated)))


def last_covered(ref) -> str:
    if ref is None:
        return "never"
    return f"{kb.service.issue_name(ref.id, ref.number)} ({fmt_date(ref.date, ref.date_estimated)})"


st.title("Coverage check")
st.write(
    "Paste a draft item before it goes out. The check warns when its link or a near-identical "
    "item already ran, lists the entities it names (new ones too) with when each was last "
    "covered, and shows the most similar past items."
)
with st.form("draft"):
    c1, c2 = st.columns(2)
    title = c1.text_input("Title", value=param_str("title"), placeholder="e.g. Announcing Jurassic-1 Language Models")
    url = c2.text_input("Link", value=param_str("url"), placeholder="https://…")
    text = st.text_area("Text", value=param_str("text"), height=150,
                        placeholder="The item's text as it would run (links in it are checked too)")
    submitted = st.form_submit_button("Check", type="primary", icon=":material/rule:")
if submitted:  # the whole draft in the link, so a check can be shared or reloaded
    set_params({"title": title.strip(), "url": url.strip(), "text": text.strip()[:MAX_TEXT_IN_LINK]})
if not (submitted or param_str("title") or param_str("url") or param_str("text")):
    st.stop()
if not (title.strip() or text.strip() or url.strip()):
    st.info("Paste a title, some text or a link, then press **Check**.")
    st.stop()

report = check_coverage(kb.service, kb.extractor, title=title, text=text, url=url)

st.subheader("Already covered?")
for dup in report.duplicates:
    item = f"“{md_escape(dup.hit.title)}” in **{ran_in(dup.hit)}**"
    if dup.kind == "same-url":
        st.error(f"**This link already ran**: {item}.", icon=":material/link:")
    elif dup.kind == "near-duplicate":
        st.error(f"**A near-duplicate already ran** ({dup.reason}): {item}.", icon=":material/content_copy:")
    else:
        st.warning(f"An earlier item links to it in its text: {item}.", icon=":material/link:")
if not report.duplicates:
    checked = ["link" if report.links else "", "title and wording" if report.title or report.text else ""]
    st.success(f"Not covered before: no past item has the same {' or '.join(filter(None, checked))}.",
               icon=":material/check_circle:")

if report.title or report.text:
    st.subheader("Entities in the draft")
    if not report.entities:
        st.caption("No known entities or names found in the draft.")
    else:
        rows = ["| Entity | Type | Past items | Last covered | First covered |", "|---|---|--:|---|---|"]
        for e in report.entities:
            chip = entity_chip(e.entity_id, e.type, e.name, link=e.in_catalog or e.items > 0)
            new = " :orange-badge[:material/fiber_new: new to the catalog]" if e.is_new else ""
            rows.append(f"| {chip}{new} | {e.type.lower()} | {e.items} | {last_covered(e.last)} | {last_covered(e.first)} |")
        st.markdown("\n".join(rows), unsafe_allow_html=True)
        if report.new_entities:
            st.caption("Names new to the catalog can be accepted on the Candidates page once they appear in the archive.")

    st.subheader("Most similar past items")
    if not report.similar:
        st.caption("No past item shares words with the draft.")
    else:
        table = pd.DataFrame(
            {
                "similarity": [s.similarity for s in report.similar],
                "why": [s.why for s in report.similar],
                "item": [s.hit.title for s in report.similar],
                "ran in": [issue_label(s.hit.publication, s.hit.issue_number, fmt_date(s.hit.date, s.hit.date_estimated))
                           for s in report.similar],
                "link": [s.hit.url for s in report.similar],
            }
        )
        if table["link"].isna().all():
            table = table.drop(columns=["link"])
        st.dataframe(
            table, hide_index=True,
            column_config={
                "similarity": st.column_config.ProgressColumn(
                    "Similarity", min_value=0.0, max_value=1.0, format="%.2f", width=110,
                    help="The stronger of two measures, and the order of this list: the titles' words in the same "
                         "order, or the share of content words the draft and the item have in common."),
                "why": st.column_config.TextColumn("Why", width=300,
                                                   help="Which measure, and the names and words both share"),
                "item": st.column_config.TextColumn("Past item", width=320),
                "ran in": st.column_config.TextColumn("Ran in"),
                "link": st.column_config.LinkColumn("Link", display_text="open ↗", width="small"),
            },
        )
        st.caption(
            f"Similarity compares the words of the draft (title and text) with each past item's; a title "
            f"alike from {NEAR_DUPLICATE:.0%}, or the same wording from {NEAR_DUPLICATE:.0%} in a longer draft, "
            "is reported above as a near-duplicate."
        )
