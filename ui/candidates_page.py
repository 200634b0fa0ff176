"""Candidates: names the extractor found outside the catalog, for editors to accept."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from kb.browse import counted, issue_name
from kb.catalog import CatalogError
from kb.curation import accept_candidate, merge_candidate, near_candidates, near_duplicates
from kb.models import ENTITY_TYPES
from kb.service import catalog_files
from ui.state import get_kb, retag_archive, settings

config = settings()
kb = get_kb(config)
service = kb.service

st.title("Candidates")
st.write(
    "Names found in the archive that are not in the catalog yet, with a guessed type, most "
    "items first. Merge one into an existing entry (a variant or a typo of it), or accept it "
    "as a new entry; then re-tag the archive so search, entity pages and trends use it."
)
c1, c2 = st.columns([1, 3])
min_items = c1.number_input("Seen in at least (items)", min_value=1, value=2, step=1)
types = c2.multiselect("Guessed types", [t for t in ENTITY_TYPES if t != "TOPIC"])
candidates = [c for c in service.candidates(min_items=int(min_items)) if not types or c.type in types]

if not candidates:
    st.info("No candidates with these settings. Lower the minimum, or index more issues.")
else:
    table = pd.DataFrame(
        {
            "name": [c.name for c in candidates],
            "type": [c.type for c in candidates],
            "items": [c.items for c in candidates],
            "first issue": [f"{issue_name(c.first.publication, c.first.number)} {c.first.date or ''}".strip() for c in candidates],
            "last issue": [f"{issue_name(c.last.publication, c.last.number)} {c.last.date or ''}".strip() for c in candidates],
            "example": [c.examples[0] if c.examples else "" for c in candidates],
        }
    )
    st.caption(f"{len(candidates)} candidates")
    st.dataframe(table, hide_index=True)

    by_id = {c.entity_id: c for c in candidates}
    chosen = by_id[st.selectbox("Candidate", list(by_id), format_func=lambda i: f"{by_id[i].name} ({by_id[i].type}, {counted(by_id[i].items, 'item')})")]
    for example in chosen.examples:
        st.caption(f"“{example}”")

    st.subheader("Merge into an existing entry")
    near = near_duplicates(chosen, service.catalog)
    if near:
        st.caption("Nearly the same name as " + ", ".join(f"**{e.name}**" for e in near) + ": probably a variant or a typo.")
    entries = list(service.choices)
    default = entries.index(near[0].id) if near else None
    with st.form("merge"):
        into = st.selectbox("Entry", entries, index=default, format_func=lambda i: service.choices[i],
                            placeholder="Choose the entry these spellings belong to")
        merged = st.form_submit_button(f"Merge {', '.join(chosen.spellings)} into it")
    if merged and into:
        try:
            entry, _ = merge_candidate(into=into, spellings=chosen.spellings, target=Path(config.accepted_file),
                                       catalog_paths=catalog_files(config))
        except CatalogError as exc:
            st.error(f"Not merged: {exc}")
        else:
            get_kb.clear()
            st.success(f"{', '.join(chosen.spellings)} now also name {entry.name} (`{entry.id}`), in {config.accepted_file}. "
                       "Re-tag the archive to use it.")

    siblings = near_candidates(chosen, candidates)
    st.subheader("Accept into the catalog")
    if siblings:
        st.caption("Probably the same name as " + ", ".join(f"**{c.name}** ({counted(c.items, 'item')})" for c in siblings)
                   + ": their spellings are added as aliases below.")
    orgs = sorted((e.id for e in service.catalog if e.type == "ORG"), key=service.name_of)
    with st.form("accept"):
        name = st.text_input("Canonical name", value=chosen.name)
        etype = st.selectbox("Type", [t for t in ENTITY_TYPES if t != "TOPIC"], index=[t for t in ENTITY_TYPES if t != "TOPIC"].index(chosen.type) if chosen.type in ENTITY_TYPES else 0)
        spellings = [*chosen.spellings, *(s for c in siblings for s in c.spellings)]
        aliases = st.text_input("Aliases (comma-separated)", value=", ".join(dict.fromkeys(s for s in spellings if s != chosen.name)))
        owner = st.selectbox("Owner (optional)", ["", *orgs], format_func=lambda i: service.name_of(i) if i else "—")
        submitted = st.form_submit_button("Accept", type="primary")
    if submitted:
        try:
            entry, _ = accept_candidate(
                name=name.strip(),
                type=etype,
                aliases=[a.strip() for a in aliases.split(",") if a.strip()],
                owner=owner or None,
                target=Path(config.accepted_file),
                catalog_paths=catalog_files(config),
            )
        except CatalogError as exc:
            st.error(f"Not accepted: {exc}")
        else:
            get_kb.clear()  # reload the catalog everywhere
            st.success(f"Accepted {entry.name} ({entry.type}) as `{entry.id}` in {config.accepted_file}. Re-tag the archive to use it.")

st.divider()
if st.button("Re-tag the archive with the current catalog"):
    report = retag_archive(get_kb(config))
    (st.success if not report.failures else st.warning)(report.summary_line())
